/**
 * Runs over a real queue: a redis-server of the test's own, agents as real processes, the
 * flag server on port 0, the coordinator through the built CLI. Counts must add up, each
 * shard count once, and the files be the ones a local run saves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFlagServer, type FlagServer } from '../src/server/index.js';
import { runCli } from './helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type TestRedis } from './helpers/redis.js';
import { startAgent, type TestAgent } from './helpers/agents.js';

interface QueueJson {
  total: number;
  ok: number;
  notFound: number;
  errors: number;
  cancelled: number;
  errorsByReason: Record<string, number>;
  agents: { name: string; shards: number; total: number }[];
  shards: { shard: number; agent: string | null; attempts: number; codes: number }[];
}

let redis: TestRedis;
let server: FlagServer;
let work: string;

before(async () => {
  if (skipWithoutRedis !== false) return;
  redis = await startRedis();
  server = await startFlagServer({ delayMs: 20 });
  work = await mkdtemp(path.join(tmpdir(), 'flagfetch-queue-'));
});

after(async () => {
  if (skipWithoutRedis !== false) return;
  await redis.stop();
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function withAgents(
  specs: readonly (readonly string[])[],
  body: (agents: TestAgent[]) => Promise<void>,
): Promise<void> {
  const agents = await Promise.all(specs.map((args) => startAgent(redis.url, args)));
  try {
    await body(agents);
  } finally {
    for (const a of agents) assert.equal(await a.stop(), 130, a.stderr());
  }
}

const addsUp = (j: QueueJson): boolean => j.ok + j.notFound + j.errors + j.cancelled === j.total;

void test(
  'two agents (text) and three (JSON): counts add up, a row per agent, the files a local run saves',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const local = path.join(work, 'local');
    const here = await runCli(['-a', '-s', server.url, '-o', local, '--model', 'loop']);
    assert.equal(here.code, 0, here.stderr);
    for (const n of [2, 3]) {
      const dirs = Array.from({ length: n }, (_, i) => path.join(work, `agents${n}-${i}`));
      await withAgents(
        dirs.map((d, i) => ['--name', `a${i + 1}`, '-w', '1', '-o', d]),
        async () => {
          const args = [
            '-e',
            '-s',
            server.url,
            '--queue',
            redis.url,
            '--agents',
            String(n),
            '--shards',
            String(n * 3),
            '-m',
            '4',
          ];
          const r = await runCli(n === 2 ? args : [...args, '--json']);
          assert.equal(r.code, 0, r.stderr);
          if (n === 2) checkText(r.stdout);
          else checkJson(JSON.parse(r.stdout) as QueueJson, n);
        },
      );
      const saved = (await Promise.all(dirs.map(async (d) => (await readdir(d)).map((f) => [d, f] as const)))).flat();
      assert.equal(saved.length, 194, 'each flag saved once, by one agent');
      for (const [d, f] of saved)
        assert.deepEqual(await readFile(path.join(d, f)), await readFile(path.join(local, f)), f);
    }
  },
);

function checkText(stdout: string): void {
  assert.match(stdout, /^Searching for 676 flags: from AA to ZZ$/m);
  assert.match(
    stdout,
    /^6 shards on 2 agents via redis:\/\/127\.0\.0\.1:\d+, 4 concurrent requests per agent will be used\.$/m,
  );
  assert.match(stdout, /^194 flags downloaded\.\n482 not found\.$/m);
  assert.match(stdout, /^agent +shards +codes +ok +not found +errors +req\/s +workers$/m);
  const rows = [...stdout.matchAll(/^(a\d) +(\d+) +(\d+) +(\d+) +(\d+) +0 +\d+ +(\d+)$/gm)];
  assert.deepEqual(
    rows.map((m) => m[1]),
    ['a1', 'a2'],
    'a row per agent, each ran shards',
  );
  assert.equal(
    rows.reduce((sum, m) => sum + Number(m[3]), 0),
    676,
  );
  assert.deepEqual(
    rows.map((m) => m[6]),
    ['1', '2'],
    'each agent its row in the worker table',
  );
}

function checkJson(j: QueueJson, n: number): void {
  assert.equal(j.total, 676);
  assert.equal(j.ok, 194);
  assert.equal(j.notFound, 482);
  assert.ok(addsUp(j));
  assert.equal(j.shards.length, n * 3);
  assert.ok(j.shards.every((s) => s.agent !== null && s.attempts === 1));
  assert.equal(
    j.shards.reduce((sum, s) => sum + s.codes, 0),
    676,
    'shards add back up to the codes',
  );
  assert.deepEqual(
    j.agents.map((a) => a.name),
    ['a1', 'a2', 'a3'],
    'every agent ran shards',
  );
  assert.equal(
    j.agents.reduce((sum, a) => sum + a.total, 0),
    676,
  );
}

void test(
  'an agent killed mid-shard: another runs the shard again, and it counts once',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const slow = await startFlagServer({ delayMs: 100 });
    const env = { FLAGFETCH_QUEUE_LOCK_MS: '1500' };
    try {
      const doomed = await startAgent(redis.url, ['--name', 'doomed', '--no-save', '-w', '1'], env);
      const run = runCli([
        '-a',
        '-s',
        slow.url,
        '--queue',
        redis.url,
        '--shards',
        '4',
        '-m',
        '10',
        '--no-save',
        '--json',
      ]);
      await doomed.saw(/shard \d\/4 of run \w+ \(\d+ codes, attempt 1\)/);
      doomed.child.kill('SIGKILL');
      assert.equal(await doomed.exited, 'SIGKILL');
      const heir = await startAgent(redis.url, ['--name', 'heir', '--no-save', '-w', '1'], env);
      const r = await run;
      assert.equal(await heir.stop(), 130);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as QueueJson;
      assert.equal(j.total, 194);
      assert.equal(j.ok, 194, 'every code once: the killed attempt is not counted');
      assert.ok(addsUp(j));
      assert.ok(j.shards.every((s) => s.agent === 'heir'));
      assert.ok(
        j.shards.some((s) => s.attempts === 2),
        'the shard in hand was run again',
      );
      assert.deepEqual(
        j.agents.map((a) => a.name),
        ['heir'],
      );
    } finally {
      await slow.close();
    }
  },
);

void test(
  'no agent comes: a clear error after --agent-wait, naming the queue',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    // A database no agent ever used: an agent killed by an earlier test leaves its presence
    // key behind until it expires, and would count as 'there' on the shared database.
    const url = `${redis.url}/9`;
    const r = await runCli(['BR', '-s', server.url, '--queue', url, '--agent-wait', '1']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `waiting up to 1 s for 1 agent on ${url} (0 so far)\n` +
        `error: waited 1 s for 1 agent on the queue at ${url}, none came: start 'flagfetch agent --queue ${url}' on each machine, or raise --agent-wait\n`,
    );
  },
);

void test(
  'an origin the agent does not allow: its shards are refused and the coordinator says which',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    await withAgents([['--name', 'strict', '--no-save', '--allow', 'http://10.1.2.3:8001']], async (agents) => {
      const r = await runCli(['-a', '-s', server.url, '--queue', redis.url, '--shards', '2', '--json']);
      assert.equal(r.code, 1);
      const j = JSON.parse(r.stdout) as QueueJson;
      assert.equal(j.errors, 194);
      assert.ok(addsUp(j));
      assert.deepEqual(j.errorsByReason, { 'shard refused': 194 });
      const origin = new URL(server.url).origin;
      assert.match(
        r.stderr,
        new RegExp(
          `^error: shard 1: agent strict refused shard 1/2 of run \\w+: origin ${origin} is not allowed \\(http://10.1.2.3:8001\\): start the agent with --allow ${origin}`,
        ),
      );
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(agents[0]?.stderr() ?? '', /refused shard/);
    });
  },
);

void test(
  'a malformed job fails with its reason, and the agent goes on (bench --queue next)',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    const { Queue, QueueEvents } = await import('bullmq');
    const { Redis } = await import('ioredis');
    await withAgents([['--name', 'careful', '--no-save', '-w', '1']], async (agents) => {
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const queue = new Queue('flagfetch-shards', { connection });
      const blocking = connection.duplicate();
      const events = new QueueEvents('flagfetch-shards', { connection: blocking, lastEventId: '0-0' });
      try {
        await events.waitUntilReady();
        const failed = new Promise<string>((resolve) =>
          events.on('failed', ({ jobId, failedReason }) => (jobId === 'bad-1' ? resolve(failedReason) : undefined)),
        );
        await queue.add(
          'shard',
          { protocol: 2, runId: 'abcdefgh', shard: 0, shards: 1, codes: ['BR', '../etc'] },
          { jobId: 'bad-1' },
        );
        assert.match(
          await failed,
          /^agent careful refused job bad-1: malformed \(job\.codes must be a list of 1 to 676 two-letter upper-case codes, not \["BR","\.\.\/etc"\]\)$/,
        );
        await queue.remove('bad-1');
      } finally {
        await events.close();
        await queue.close();
        connection.disconnect();
        blocking.disconnect();
      }
      // bench --queue: every run of the matrix goes through the queue, and still succeeds.
      const args = ['BR', 'FR', '-s', server.url, '--queue', redis.url, '-w', '1', '-m', '4', '--repeat', '1'];
      const r = await runCli(['bench', ...args, '--runs', '1', '--warmup', '0', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const bench = JSON.parse(r.stdout) as {
        configs: { config: { model: string } }[];
        command: string;
        notes: string[];
      };
      assert.deepEqual(
        bench.configs.map((c) => c.config.model),
        ['loop', 'workers'],
        'workers over the queue, loop here',
      );
      assert.ok(bench.notes.includes('workers runs went through the queue (--queue); the other models ran here'));
      assert.match(bench.command, /--queue redis:\/\/127\.0\.0\.1:\d+ --agents 1 --agent-wait 30/);
      assert.match(agents[0]?.stderr() ?? '', /refused job bad-1/);
      assert.match(agents[0]?.stderr() ?? '', /shard 1\/\d+ of run \w+ done/);
    });
  },
);

void test(
  'Redis stopped mid-run: coordinator and agent each say so in one line and exit 1',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const own = await startRedis();
    const slow = await startFlagServer({ delayMs: 200 });
    try {
      const agent = await startAgent(own.url, ['--name', 'cut', '--no-save', '-w', '1']);
      const run = runCli(['-a', '-s', slow.url, '--queue', own.url, '-m', '4', '--no-save']);
      await agent.saw(/attempt 1\)/);
      await own.stop(true);
      const r = await run;
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`^error: lost the queue at ${own.url} \\([^)]*\\): is Redis still running\\?\\n$`),
      );
      assert.equal(await agent.exited, 1);
      assert.match(
        agent.stderr(),
        new RegExp(`\\nerror: lost the queue at ${own.url} \\([^)]*\\): is Redis still running\\?\\n$`),
      );
    } finally {
      await slow.close();
      await own.stop();
    }
  },
);

void test('queue flags are checked like any other', { timeout: 30_000 }, async () => {
  const cases: [string[], RegExp][] = [
    [
      ['agent', '--queue', 'redis://127.0.0.1:1', '--allow', 'http://x:1/path'],
      /^error: --allow 'http:\/\/x:1\/path' must be a bare http\(s\) origin/,
    ],
    [
      ['BR', '-s', 'http://127.0.0.1:9/flags', '--queue', 'redis://127.0.0.1:1', '--no-save'],
      /^error: cannot reach the queue at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\): start Redis there, or fix --queue\n$/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
