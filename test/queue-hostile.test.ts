/**
 * What comes from the queue is untrusted: jobs and announcements that ask too much, strings
 * meant for a terminal, data that is not JSON. Real agents, a redis-server of the test's own,
 * jobs published straight to BullMQ as a hostile coordinator would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFlagServer, type FlagServer } from '../src/server/index.js';
import { everyCode } from '../src/countries.js';
import { listAgents } from '../src/queue/presence.js';
import { skipWithoutRedis, startRedis, type TestRedis } from './helpers/redis.js';
import { startAgent } from './helpers/agents.js';
import { runCli } from './helpers/run-cli.js';
import { openQueue, type QueueClient } from './helpers/queue-client.js';

let redis: TestRedis;
let server: FlagServer;
let queue: QueueClient;

before(async () => {
  if (skipWithoutRedis !== false) return;
  redis = await startRedis();
  server = await startFlagServer();
  queue = await openQueue(redis.url);
});

after(async () => {
  if (skipWithoutRedis !== false) return;
  await queue.close();
  await redis.stop();
  await server.close();
});

/** A valid shard job of `codes` × `repeat` in one shard, against the test's flag server. */
function job(runId: string, codes: readonly string[], repeat: number): object {
  return {
    protocol: 2,
    runId,
    shard: 0,
    shards: 1,
    codes,
    start: 0,
    end: codes.length * repeat,
    maxReq: 4,
    workers: 1,
    split: 'dynamic',
    fetch: { baseUrl: server.url, timeoutMs: 5000, retries: 0, maxBytes: 100_000, names: false, save: false },
  };
}

void test(
  'a job of 676 codes × 10,000,000 in one shard is refused with the reason, and the agent takes the next',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    const agent = await startAgent(redis.url, ['--name', 'sturdy', '--no-save', '-w', '1']);
    try {
      const huge = await queue.run('huge-1', job('hugerun1', everyCode(), 10_000_000));
      assert.deepEqual(huge, {
        failed:
          'agent sturdy refused shard 1/1 of run hugerun1: a shard of 6760000000 requests is more than an agent ' +
          'runs at once (2147483647): publish more shards (--shards)',
      });
      const next = await queue.run('next-1', job('nextrun1', ['BR', 'FR'], 3));
      assert.ok('value' in next, JSON.stringify(next));
      assert.equal((next.value as { counters: { ok: number } }).counters.ok, 6);
      assert.equal(agent.child.exitCode, null, agent.stderr());
    } finally {
      assert.equal(await agent.stop(), 130, agent.stderr());
    }
  },
);

void test(
  'an announcement asking more than an agent can (10⁹ shards at once, a name with escapes) is not counted',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    const agent = await startAgent(redis.url, ['--name', 'honest', '--no-save', '-w', '1']);
    try {
      const fakes = {
        'flagfetch:agent:greedy': { name: 'greedy', concurrency: 1_000_000_000, workers: 1 },
        'flagfetch:agent:threads': { name: 'threads', concurrency: 1, workers: 100_000 },
        'flagfetch:agent:ansi': { name: '\u001b]0;pwned\u0007', concurrency: 1, workers: 1 },
      };
      for (const [key, value] of Object.entries(fakes)) await queue.redis.set(key, JSON.stringify(value), 'EX', 60);
      assert.deepEqual(await listAgents(queue.redis), [{ name: 'honest', concurrency: 1, workers: 1 }]);
      await queue.redis.del(...Object.keys(fakes));
    } finally {
      assert.equal(await agent.stop(), 130, agent.stderr());
    }
  },
);

void test(
  'a job whose data is not JSON fails with that reason; a job id with escapes reaches the terminal escaped',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    const agent = await startAgent(redis.url, ['--name', 'wary', '--no-save', '-w', '1']);
    try {
      const id = '\u001b]0;pwned\u0007\u009b31m-1';
      const { ended } = await queue.publish(id, {}, 300); // delayed: its data is replaced before any agent sees it
      await queue.redis.hset(queue.jobKey(id), 'data', '{not json');
      const end = await ended;
      assert.ok('failed' in end, JSON.stringify(end));
      assert.match(end.failed, /^agent wary refused job \\u001b\]0;pwned\\u0007\\u009b31m-1: its data is not JSON \(/);
      await agent.saw(/refused job/);
      assert.ok(!['\u001b', '\u0007', '\u009b'].some((c) => agent.stderr().includes(c)), agent.stderr());
      const next = await queue.run('after-raw-1', job('afterraw1', ['BR'], 1));
      assert.ok('value' in next, JSON.stringify(next));
    } finally {
      assert.equal(await agent.stop(), 130, agent.stderr());
    }
  },
);

void test(
  "a second agent of the same --name is refused; after kill -9 the name is free again and the dead one's temp files are swept",
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-agent-dest-'));
    try {
      const first = await startAgent(redis.url, ['--name', 'twin', '-o', dest, '-w', '1']);
      const second = await runCli(['agent', '--queue', redis.url, '--name', 'twin', '--no-save'], {
        timeoutMs: 20_000,
      });
      assert.equal(second.code, 2, second.stderr);
      assert.match(
        second.stderr,
        /^error: --name twin is taken: an agent of that name takes shards from redis:\/\/127\.0\.0\.1:\d+: give each agent its own --name\n$/,
      );
      const dead = `.flagfetch-${first.child.pid ?? 0}-0123456789ab.tmp`;
      const live = `.flagfetch-${process.pid}-0123456789ab.tmp`; // a live process's, written just now: kept
      for (const name of [dead, live]) await writeFile(path.join(dest, name), 'partial');
      first.child.kill('SIGKILL');
      await first.exited;
      const again = await startAgent(redis.url, ['--name', 'twin', '-o', dest, '-w', '1']);
      try {
        assert.deepEqual(
          (await readdir(dest)).filter((n) => n.endsWith('.tmp')),
          [live],
        );
      } finally {
        assert.equal(await again.stop(), 130, again.stderr());
      }
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  },
);

void test(
  'redis://…/99 (no such database) is one clear line and exit 2, for an agent and a coordinator',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const url = `${redis.url}/99`;
    const line = (flag: string): RegExp =>
      new RegExp(
        `^error: ${flag} redis://127\\.0\\.0\\.1:\\d+/99: that Redis has no database 99 \\(ERR DB index is out of range\\): use one it has \\(0 to 15 unless redis\\.conf sets 'databases'\\)\\n$`,
      );
    const agent = await runCli(['agent', '--queue', url, '--no-save'], { timeoutMs: 20_000 });
    assert.equal(agent.code, 2, agent.stderr);
    assert.match(agent.stderr, line('--queue'));
    const run = await runCli(['BR', '-s', server.url, '--queue', url, '--agent-wait', '1', '--no-save'], {
      timeoutMs: 20_000,
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, line('--queue'));
  },
);

void test(
  'the Redis password from FLAGFETCH_QUEUE_PASSWORD or --queue-password-file: never on the command line',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const secret = 'pa55-w0rd-never-in-ps';
    const locked = await startRedis(['--requirepass', secret]);
    const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-secret-'));
    try {
      const file = path.join(dir, 'redis-password');
      await writeFile(file, `${secret}\n`, { mode: 0o600 });
      const agent = await startAgent(locked.url, ['--name', 'locked', '--no-save', '-w', '1'], {
        FLAGFETCH_QUEUE_PASSWORD: secret,
      });
      try {
        const cmdline = await readFile(`/proc/${agent.child.pid ?? 0}/cmdline`, 'utf8');
        assert.ok(!cmdline.includes(secret), "the agent's command line holds no password");
        const args = ['BR', 'FR', '-s', server.url, '--queue', locked.url, '--queue-password-file', file, '--json'];
        const r = await runCli([...args, '--no-save'], { env: { FLAGFETCH_QUEUE_PASSWORD: '' } });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { ok: number }).ok, 2);
        const wrong = await runCli(['BR', '-s', server.url, '--queue', locked.url, '--no-save'], {
          env: { FLAGFETCH_QUEUE_PASSWORD: 'nope' },
        });
        assert.equal(wrong.code, 2, wrong.stderr);
        assert.match(
          wrong.stderr,
          /^error: cannot reach the queue at redis:\/\/127\.0\.0\.1:\d+ \(.*(WRONGPASS|invalid).*\)/,
        );
        const twice = await runCli([
          'BR',
          '-s',
          server.url,
          '--queue',
          `redis://:${secret}@127.0.0.1:1`,
          '--queue-password-file',
          file,
        ]);
        assert.equal(twice.code, 2, twice.stderr);
        assert.match(
          twice.stderr,
          /^error: --queue has a password and --queue-password-file gives one too: give it once/,
        );
      } finally {
        assert.equal(await agent.stop(), 130, agent.stderr());
      }
    } finally {
      await locked.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
