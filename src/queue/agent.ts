/**
 * `flagfetch agent`: a long-running BullMQ Worker that takes shard jobs and runs each with
 * the local workers model. It announces itself while it runs, refuses jobs it must not run
 * (malformed, or an origin it does not allow) with a reason the coordinator prints, and on
 * Ctrl-C finishes the shards in hand before it exits with 130 (a second Ctrl-C quits at
 * once: the shard's lock then lapses and another agent runs it again).
 */
import type { Job, JobJson, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { EXIT_INTERRUPTED, RunFailure, UsageError } from '../errors.js';
import { LOCK_MS, MAX_STALLS, QUEUE_NAME, cancelKey } from './names.js';
import { RedisLink, loadQueueLib, type QueueLib } from './redis.js';
import { announce } from './presence.js';
import { readShardJob, type ShardJob, type ShardResult } from './protocol.js';
import { refusal } from './allowed-origins.js';
import { terminalSafe } from './untrusted-json.js';
import { runShard, sizeRefusal, type AgentSettings } from './run-shard.js';
import { WarmPools } from './warm-pools.js';
import type { QueueTarget } from './target.js';

/** Run an agent until `stop` aborts (exit code 130) or the queue is lost (RunFailure). */
export async function runAgent(
  target: QueueTarget,
  settings: AgentSettings,
  say: (line: string) => void,
  stop: AbortSignal,
): Promise<number> {
  const lib = await loadQueueLib();
  const link = new RedisLink(lib, target);
  let worker: Worker<unknown, ShardResult> | undefined;
  let retire: (() => Promise<void>) | undefined;
  const pools = new WarmPools(settings.concurrency);
  // Aborted when the queue is lost: shards in hand stop (their results could not be returned).
  const abandon = new AbortController();
  void link.lost.then(() => abandon.abort());
  // Shards in hand, so that an agent that lost its queue reports it only once they have stopped.
  const inHand = new Set<Promise<ShardResult>>();
  const track = (p: Promise<ShardResult>): Promise<ShardResult> => {
    inHand.add(p);
    void p.catch(() => undefined).finally(() => inHand.delete(p));
    return p;
  };
  try {
    const main = link.client(false, 'flagfetch-agent');
    await link.ready(main, '--queue');
    const context: ShardContext = { lib, main, settings, say, abandon: abandon.signal, pools };
    const info = { name: settings.name, concurrency: settings.concurrency, workers: settings.workers };
    retire = await announce(main, info);
    if (retire === undefined)
      throw new UsageError(
        `--name ${settings.name} is taken: an agent of that name takes shards from ${target.shown}: give each agent its own --name`,
      );
    worker = await startWorker(link, settings, (job) => track(processShard(job, context)));
    say(
      `agent ${settings.name}: taking shards from ${target.shown} (${settings.concurrency} at a time, ${allowed(settings)})`,
    );
    const why = await Promise.race([link.lost, aborted(stop)]);
    if (why !== undefined) throw new RunFailure(link.lostMessage(why));
    say(
      `agent ${settings.name}: stopping after the shards in hand (Ctrl-C again quits now; another agent then runs them again)`,
    );
    await retire();
    retire = undefined;
    const closing = worker.close();
    worker = undefined;
    const closed = await Promise.race([closing.then(() => undefined), link.lost]);
    if (closed !== undefined) throw new RunFailure(link.lostMessage(closed));
    return EXIT_INTERRUPTED;
  } finally {
    void retire?.();
    const held = worker;
    await link.close([held === undefined ? undefined : { close: () => held.close(true) }]);
    await Promise.allSettled(inHand);
    await pools.close();
  }
}

/** A job's data that BullMQ could not parse, kept so the job fails with the reason. */
class NotJson {
  constructor(readonly reason: string) {}
}

/**
 * A BullMQ Worker taking shards, with the short lock a benchmark tool wants (names.ts).
 * BullMQ parses a job's data before the processor sees it, and a parse error would leave
 * the job active with nobody working on it: here such a job reaches the processor, which fails it.
 */
async function startWorker(
  link: RedisLink,
  settings: AgentSettings,
  handle: (job: Job<unknown, ShardResult>) => Promise<ShardResult>,
): Promise<Worker<unknown, ShardResult>> {
  class ShardWorker extends link.lib.bullmq.Worker<unknown, ShardResult> {
    protected override createJob(json: JobJson, jobId: string): Job<unknown, ShardResult> {
      try {
        return super.createJob(json, jobId);
      } catch (err) {
        const job = super.createJob({ ...json, data: 'null' }, jobId);
        job.data = new NotJson(err instanceof Error ? err.message : String(err));
        return job;
      }
    }
  }
  const worker = new ShardWorker(QUEUE_NAME, handle, {
    connection: link.client(true),
    name: settings.name,
    concurrency: settings.concurrency,
    lockDuration: LOCK_MS,
    stalledInterval: LOCK_MS,
    maxStalledCount: MAX_STALLS,
  });
  worker.on('error', () => undefined); // a lost connection is reported once, through link.lost
  await worker.waitUntilReady();
  return worker;
}

/** What processing a shard needs besides the job. */
interface ShardContext {
  readonly lib: QueueLib;
  readonly main: Redis;
  readonly settings: AgentSettings;
  readonly say: (line: string) => void;
  readonly abandon: AbortSignal;
  readonly pools: WarmPools;
}

/** Validate, check the origin, run, summarise: one shard job. A refusal fails the job, never the agent. */
async function processShard(
  job: Job<unknown, ShardResult>,
  { lib, main, settings, say, abandon, pools }: ShardContext,
): Promise<ShardResult> {
  const { UnrecoverableError } = lib.bullmq;
  const id = terminalSafe(job.id ?? '?', 100);
  let shard: ShardJob;
  try {
    shard = readShardJob(job.data);
  } catch (err) {
    const why =
      job.data instanceof NotJson
        ? `its data is not JSON (${terminalSafe(job.data.reason, 200)})`
        : `malformed (${terminalSafe((err as Error).message, 500)})`;
    say(`agent ${settings.name}: refused job ${id}: ${why}`);
    throw new UnrecoverableError(`agent ${settings.name} refused job ${id}: ${why}`);
  }
  const what = `shard ${shard.shard + 1}/${shard.shards} of run ${shard.runId}`;
  const why = refusal(shard.fetch.baseUrl, settings.allow) ?? sizeRefusal(shard);
  if (why !== undefined) {
    say(`agent ${settings.name}: refused ${what}: ${why}`);
    throw new UnrecoverableError(`agent ${settings.name} refused ${what}: ${why}`);
  }
  if ((await main.exists(cancelKey(shard.runId))) === 1) throw new UnrecoverableError(`${what}: the run was cancelled`);
  say(`agent ${settings.name}: ${what} (${shard.end - shard.start} codes, attempt ${job.attemptsStarted})`);
  const result = await runShard(shard, settings, Math.max(1, job.attemptsStarted), pools, abandon);
  const c = result.counters;
  say(
    `agent ${settings.name}: ${what} done: ${c.ok} ok, ${c.notFound} not found, ${c.errors} errors ` +
      `in ${(result.elapsedMs / 1000).toFixed(2)}s`,
  );
  return result;
}

function allowed(settings: AgentSettings): string {
  return settings.allow.length === 0 ? 'fetching from loopback only' : `fetching from ${settings.allow.join(', ')}`;
}

/** Resolves (with undefined) when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
