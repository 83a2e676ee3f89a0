/**
 * The API's fields that mirror the CLI's less common flags, each doing what its flag does
 * against real servers: download's open model (rate, durationMs), download over a queue
 * (a redis-server of the test's own and a real agent process), serve's pause and limits;
 * and each refused with a UsageError naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { download, serve, UsageError } from '../src/index.js';
import { startAgent } from './helpers/agents.js';
import { withServer } from './helpers/flag-server.js';
import { skipWithoutRedis, startRedis } from './helpers/redis.js';

test('rate and durationMs start requests on a schedule, as --rate and --duration do', async () => {
  await withServer({}, async (server) => {
    const report = await download({
      server: server.url,
      codes: ['BR'],
      dest: null,
      model: 'loop',
      rate: 100,
      durationMs: 100,
    });
    assert.equal(report.rate?.targetPerSec, 100);
    assert.equal(report.rate?.durationMs, 100);
    assert.equal(report.total, 10, '100 per second for 100 ms');
    assert.equal(server.stats.requests, 10);
  });
  assert.throws(
    () => download({ seed: 3 }),
    (err: unknown) => err instanceof UsageError && err.field === 'seed' && /^seed goes with rate/.test(err.message),
  );
});

test('serve() passes on its pause and limits: a pause at the 2nd request holds that request', async () => {
  const server = await serve({ pauseAfter: 2, pauseMs: 400, maxConnections: 50, maxStreams: 10, processes: 1 });
  try {
    const report = await download({ server: server.url, codes: ['BR', 'CN', 'FR'], dest: null, model: 'sequential' });
    assert.equal(report.ok, 3);
    assert.ok(report.latencyMs.max >= 350, `the slowest request took ${report.latencyMs.max} ms`);
  } finally {
    await server.close();
  }
  await assert.rejects(
    serve({ processes: 0 }),
    (err: unknown) => err instanceof UsageError && err.field === 'processes',
  );
});

test(
  'download() over a queue runs on the agents and reports their table',
  { skip: skipWithoutRedis, timeout: 60_000 },
  async () => {
    const redis = await startRedis();
    try {
      await withServer({}, async (server) => {
        const agent = await startAgent(redis.url, ['--name', 'api-agent', '-w', '1', '--no-save']);
        try {
          const report = await download({
            queue: redis.url,
            server: server.url,
            all: true,
            dest: null,
            agents: 1,
            shards: 2,
          });
          assert.deepEqual([report.total, report.ok], [194, 194]);
          assert.equal(server.stats.requests, 194);
          assert.deepEqual(
            report.agents?.map((a) => [a.name, a.total]),
            [['api-agent', 194]],
          );
          assert.equal(report.shards?.length, 2);
        } finally {
          assert.equal(await agent.stop(), 130, agent.stderr());
        }
      });
    } finally {
      await redis.stop();
    }
    assert.throws(
      () => download({ shards: 2 }),
      (err: unknown) =>
        err instanceof UsageError &&
        err.field === 'shards' &&
        /^shards only applies to runs over a queue/.test(err.message),
    );
    assert.throws(
      () => download({ queue: 'redis://127.0.0.1:1', onOutcome: () => undefined }),
      (err: unknown) => err instanceof UsageError && err.field === 'onOutcome',
    );
  },
);
