/**
 * What the queue costs (issue 13): the same run, `-a --repeat 50 -m 100 --no-save`, on the
 * local workers model `-w 2`, over the queue on one agent `-w 2`, and on two agents × 1
 * worker, all on this machine (redis-server and the embedded LOCAL server beside them).
 * On one machine the queue cannot add cores, so what it shows is its overhead: publishing,
 * the agents' pickup, shipping results back (target: one agent ≥ 0.9 × local). Each phase
 * starts with one unmeasured run (the agents' pools warm up), then rounds alternate local
 * and queue; ratios are medians of the per-round ratios.
 * Run: `npm run build && node dist/bench/queue.js` (needs redis-server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { skipWithoutRedis, startRedis } from '../test/helpers/redis.js';
import { CLI, median, report, runDownload, spread, writeSuite, type Target } from './lib/run.js';

const ROUNDS = 3;
const RUN = ['-a', '--repeat', '50', '-m', '100', '--no-save'];

/** Start `flagfetch agent` and resolve once it takes shards. */
async function startAgent(queue: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'agent', '--queue', queue, '--name', name, '--no-save'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (b: Buffer) => {
      seen += b.toString();
      if (seen.includes('taking shards')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`agent ${name} exited with ${code ?? '?'}: ${seen}`)));
  });
  return child;
}

async function stopAgent(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

/** Requests/s of the local runs and the queue runs of one phase, round by round. */
interface Phase {
  readonly local: number[];
  readonly queue: number[];
}

/**
 * Rounds of local then queue runs; returns requests/s of each. `fresh`: a new agent for every
 * queue run (cold threads, as the local run's); else one unmeasured run first warms the agents.
 */
async function phase(
  label: string,
  local: string[],
  queued: string[],
  fresh?: () => Promise<ChildProcess>,
): Promise<Phase> {
  if (fresh === undefined) await runDownload(queued);
  const out = { local: [] as number[], queue: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    out.local.push((await runDownload(local)).report.requestsPerSec);
    const agent = await fresh?.();
    out.queue.push((await runDownload(queued)).report.requestsPerSec);
    if (agent !== undefined) await stopAgent(agent);
    process.stderr.write(
      `${label} round ${round + 1}/${ROUNDS}: local ${Math.round(out.local.at(-1) ?? 0)}, queue ${Math.round(out.queue.at(-1) ?? 0)} req/s\n`,
    );
  }
  return out;
}

const ratio = (a: readonly number[], b: readonly number[]): number => median(a.map((v, i) => v / (b[i] ?? NaN)));

/** Run the suite; returns its markdown. */
export async function runQueue(): Promise<string> {
  if (skipWithoutRedis !== false) throw new Error(skipWithoutRedis);
  const redis = await startRedis();
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 } });
  const agents: ChildProcess[] = [];
  try {
    const base = [...RUN, '-s', servers.urls.LOCAL];
    const local = ['--model', 'workers', '-w', '2', ...base];
    const oneArgs = [...base, '--queue', redis.url, '-w', '2'];
    let n = 0;
    const cold = await phase('1 fresh agent -w 2', local, oneArgs, () => startAgent(redis.url, `fresh${(n += 1)}`));
    agents.push(await startAgent(redis.url, 'one'));
    const one = await phase('1 agent -w 2', local, oneArgs);
    agents.push(await startAgent(redis.url, 'two'));
    const two = await phase('2 agents -w 1', local, [...base, '--queue', redis.url, '--agents', '2', '-w', '1']);
    return await writeSuite(
      'queue',
      'Runs over a queue (BullMQ on Redis)',
      'npm run build && node dist/bench/queue.js',
      queueTargets(cold, one, two),
      queueDetails(cold, one, two),
      { cold, one, two },
    );
  } finally {
    for (const a of agents) await stopAgent(a);
    await servers.stop();
    await redis.stop();
  }
}

/** The ratios to local workers -w 2: one warm agent (the target), a fresh agent per run and two agents (shown). */
function queueTargets(cold: Phase, one: Phase, two: Phase): Target[] {
  const oneRatio = ratio(one.queue, one.local);
  const twoRatio = ratio(two.queue, two.local);
  const coldRatio = ratio(cold.queue, cold.local);
  return [
    {
      name: 'queue, 1 agent -w 2 ÷ local workers -w 2',
      measured: oneRatio.toFixed(2),
      target: '≥ 0.9',
      pass: oneRatio >= 0.9,
    },
    {
      name: 'queue, 1 fresh agent -w 2 per run ÷ local workers -w 2',
      measured: coldRatio.toFixed(2),
      target: '(shown)',
      pass: null,
    },
    {
      name: 'queue, 2 agents × -w 1 ÷ local workers -w 2',
      measured: twoRatio.toFixed(2),
      target: '(shown)',
      pass: null,
    },
  ];
}

/** How the phases ran, each figure as median (min–max), and what they mean. */
function queueDetails(cold: Phase, one: Phase, two: Phase): string[] {
  return [
    `\`flagfetch download ${RUN.join(' ')}\` (9,700 requests) against the embedded LOCAL server, redis-server and the agents on this machine. ${ROUNDS} rounds per phase, after one unmeasured run that warms the agents (not in the fresh-agent phase); requests/s from each run's --json (queue: from publishing the shards to the last result, so pickup, shipping results and merging are in it; local: the model's own clock, thread start-up excluded).`,
    '',
    '| what | requests/s, median (min–max) |',
    '|---|---|',
    `| local workers -w 2 (phase 0) | ${spread(cold.local)} |`,
    `| queue, 1 fresh agent -w 2 per run | ${spread(cold.queue)} |`,
    `| local workers -w 2 (phase 1) | ${spread(one.local)} |`,
    `| queue, 1 agent -w 2 | ${spread(one.queue)} |`,
    `| local workers -w 2 (phase 2) | ${spread(two.local)} |`,
    `| queue, 2 agents × -w 1 | ${spread(two.queue)} |`,
    '',
    "An agent keeps its worker threads between shards and runs (warm pools), so after its first shard its threads run JIT-warm code, while every local run starts cold threads (their first ~1,000 requests are the slowest): that, not the queue, is why a warm agent can beat the local model. A fresh agent per run pays thread start-up and cold code inside the queue's clock: the honest worst case.",
    '',
    'On one machine two agents share the same two cores as one agent with two threads: the second ratio shows the cost of a second process and twice the shards, not a gain. Across machines each agent brings its own cores.',
  ];
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runQueue());
