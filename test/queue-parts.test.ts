/** The queue's pure parts: flags, the job and result contract, the origin check, the merge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueueUrl } from '../src/queue/target.js';
import { parseOrigin, refusal } from '../src/queue/allowed-origins.js';
import { readShardJob, readShardResult, type ShardJob, type ShardResult } from '../src/queue/protocol.js';
import { mergeShards } from '../src/queue/merge.js';
import { Gather, type ShardOutcome } from '../src/queue/gather.js';
import { shardCount } from '../src/queue/coordinator.js';
import { resolveQueueOptions } from '../src/queue/options.js';
import { checkQueueFlagsNeedQueue } from '../src/queue/queue-flags.js';
import { resolveOptions } from '../src/options.js';
import { shardPlan, sizeRefusal } from '../src/queue/run-shard.js';
import { requestsOf } from '../src/models/concurrency.js';
import { everyCode } from '../src/countries.js';

const EVERY_CODE = everyCode();
import { LatencyRecorder } from '../src/stats/latency.js';
import { countsAddUp, emptyCounters, type Counters } from '../src/stats/counters.js';
import type { RunPlan } from '../src/models/types.js';

const JOB: ShardJob = {
  protocol: 2,
  runId: 'abcdefgh12',
  shard: 1,
  shards: 3,
  codes: ['BR', 'FR', 'ZZ'],
  start: 3,
  end: 7,
  maxReq: 10,
  workers: null,
  split: 'dynamic',
  fetch: {
    baseUrl: 'http://127.0.0.1:8001/flags',
    timeoutMs: 1000,
    retries: 0,
    maxBytes: 100_000,
    names: false,
    save: true,
  },
  rate: null,
};

test('--queue takes redis:// and rediss:// URLs and never shows the password', () => {
  assert.deepEqual(parseQueueUrl('--queue', 'redis://:s3cret@10.0.0.1:6380/2'), {
    url: 'redis://:s3cret@10.0.0.1:6380/2',
    shown: 'redis://:***@10.0.0.1:6380/2',
    db: 2,
    password: null,
  });
  assert.equal(parseQueueUrl('--queue', 'rediss://cache.example:6379').shown, 'rediss://cache.example:6379');
  assert.throws(() => parseQueueUrl('--queue', 'http://x:6379'), /is not a redis:\/\/ or rediss:\/\/ URL/);
  assert.throws(
    () => parseQueueUrl('--queue', 'redis://:pw@x/a/b'),
    /^UsageError: --queue 'redis:\/\/:\*\*\*@x\/a\/b' may only end in a database number/,
  );
  assert.throws(() => parseQueueUrl('--queue', 'nope'), /is not a URL/);
});

test('agents fetch from loopback only unless told otherwise, and say which --allow would do', () => {
  for (const url of [
    'http://127.0.0.1:1/flags',
    'http://localhost:8001/flags',
    'http://[::1]:8001/flags',
    'https://127.9.9.9/f',
  ]) {
    assert.equal(refusal(url, []), undefined, url);
  }
  assert.equal(
    refusal('http://10.0.0.5:8001/flags', []),
    'origin http://10.0.0.5:8001 is not allowed (loopback only): start the agent with --allow http://10.0.0.5:8001',
  );
  const allow = [parseOrigin('http://10.0.0.5:8001/')];
  assert.equal(refusal('http://10.0.0.5:8001/flags', allow), undefined);
  assert.match(refusal('http://127.0.0.1:8001/flags', allow) ?? '', /not allowed \(http:\/\/10\.0\.0\.5:8001\)/);
  assert.throws(() => parseOrigin('ftp://x'), /must be a bare http\(s\) origin/);
  assert.throws(() => parseOrigin('http://u:p@x'), /must be a bare http\(s\) origin/);
});

test('a job is read like command-line input: every bad field named', () => {
  assert.deepEqual(readShardJob(JSON.parse(JSON.stringify(JOB))), JOB);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ protocol: 1 }, /job protocol 1 is not 2/],
    [{ runId: 'X;rm -rf' }, /job\.runId must be a string matching/],
    [{ codes: ['BR', '../x'] }, /job\.codes must be a list of 1 to 676 two-letter upper-case codes/],
    [{ codes: [] }, /job\.codes must be a list/],
    [{ end: 3 }, /end must be a whole number from 4 to/],
    [{ shard: 3 }, /shard must be a whole number from 0 to 2/],
    [{ maxReq: 0 }, /maxReq must be a whole number from 1 to 10000/],
    [{ workers: '2' }, /workers must be a whole number/],
    [{ split: 'random' }, /job\.split must be one of static, dynamic/],
    [{ fetch: { ...JOB.fetch, baseUrl: 'file:///etc/passwd' } }, /job\.fetch\.baseUrl must be a string matching/],
    [{ fetch: { ...JOB.fetch, save: 'yes' } }, /job\.fetch\.save must be true or false/],
  ];
  for (const [change, message] of bad)
    assert.throws(() => readShardJob({ ...JOB, ...change }), message, JSON.stringify(change));
  assert.throws(() => readShardJob('{}'), /job is not an object/);
});

test("an agent runs the shard's codes once, within its own bounds and its own --dest", () => {
  const agent = { name: 'a', concurrency: 2, workers: 3, maxReq: 8, allow: [], dest: '/agent/dest' };
  const plan = shardPlan(JOB, agent);
  assert.deepEqual(planned(plan), ['BR', 'FR', 'ZZ', 'BR'], 'indices 3..6 of codes × repeat');
  assert.deepEqual(planned(shardPlan({ ...JOB, start: 4, end: 6 }, agent)), ['FR', 'ZZ']);
  assert.equal(plan.maxReq, 4, 'min(job 10, agent 8) shared by 2 shards at once');
  assert.equal(plan.workers, 3, "the agent's -w when the job gives none");
  assert.equal(plan.fetch.dest, '/agent/dest');
  assert.equal(shardPlan({ ...JOB, workers: 1, fetch: { ...JOB.fetch, save: false } }, agent).fetch.dest, null);
  assert.equal(shardPlan({ ...JOB, workers: 1 }, { ...agent, dest: null }).fetch.dest, null);
});

/** The codes a plan fetches, in order (written out: small plans only). */
function planned(plan: RunPlan): string[] {
  return Array.from({ length: requestsOf(plan) }, (_, i) => plan.codes[i % plan.codes.length] ?? '');
}

test('a shard of 676 codes × 10,000,000 is never written out: planned lazily, or refused when too big', () => {
  const agent = { name: 'a', concurrency: 1, workers: 1, maxReq: null, allow: [], dest: null };
  const huge: ShardJob = { ...JOB, codes: EVERY_CODE, shard: 0, shards: 1, start: 0, end: 676 * 10_000_000 };
  assert.match(
    sizeRefusal(huge) ?? '',
    /^a shard of 6760000000 requests is more than an agent runs at once \(2147483647\): publish more shards/,
  );
  const big: ShardJob = { ...huge, start: 1_000_000_005, end: 3_000_000_005 };
  assert.equal(sizeRefusal(big), undefined);
  const plan = shardPlan(big, agent);
  assert.ok(plan.codes.length <= 676, `${plan.codes.length} codes written out`);
  assert.equal(requestsOf(plan), 2_000_000_000);
  for (const j of [0, 1, 675, 676, 1_999_999_999])
    assert.equal(plan.codes[j % plan.codes.length], EVERY_CODE[(big.start + j) % 676], `request ${j}`);
});

function counters(ok: number, notFound: number, bytes = ok * 100): Counters {
  return { ...emptyCounters(), total: ok + notFound, ok, notFound, bytes };
}

function latency(...ms: number[]): string {
  const r = new LatencyRecorder();
  for (const v of ms) r.record(v);
  return r.encode();
}

function result(job: ShardJob, agent: string, c: Counters, extra: Partial<ShardResult> = {}): ShardResult {
  const lat = latency(...Array.from({ length: c.total }, (_, i) => 10 + i));
  return {
    protocol: 2,
    runId: job.runId,
    shard: job.shard,
    agent,
    attempt: 1,
    counters: c,
    latency: lat,
    threads: [{ id: 1, counters: c, latency: lat, elapsedMs: 100, eventLoopUtilization: 0.5 }],
    startedAt: 1000 + job.shard * 100,
    elapsedMs: 100,
    failure: null,
    rate: null,
    ...extra,
  };
}

test('a result is checked against its shard', () => {
  const good = result(JOB, 'a', counters(3, 1));
  assert.deepEqual(readShardResult(JSON.parse(JSON.stringify(good)), JOB), good);
  assert.throws(
    () => readShardResult({ ...good, counters: counters(3, 2) }, JOB),
    /result counts 5 codes, the shard has 4/,
  );
  assert.throws(() => readShardResult({ ...good, counters: { ...counters(3, 1), ok: 2 } }, JOB), /do not add up/);
  assert.throws(() => readShardResult({ ...good, runId: 'otherrun99' }, JOB), /does not answer this shard/);
});

const PLAN: RunPlan = {
  model: 'workers',
  codes: ['BR', 'FR', 'ZZ'],
  repeat: 4,
  maxReq: 10,
  workers: 2,
  split: 'dynamic',
  fetch: {
    baseUrl: 'http://127.0.0.1:1/flags',
    timeoutMs: 1,
    retries: 0,
    maxBytes: 1,
    followRedirects: 'same-origin',
    dest: null,
    names: false,
  },
};

test('shards merge exactly: each once, retried ones shown, refused and lost ones counted with a reason', () => {
  const jobs = [0, 1, 2, 3].map((shard) => ({ ...JOB, shard, shards: 4, start: shard * 3, end: shard * 3 + 3 }));
  const [j0, j1] = jobs as [ShardJob, ShardJob];
  const outcomes = new Map<number, ShardOutcome>([
    [0, { kind: 'done', result: result(j0, 'b', counters(2, 1)) }],
    [1, { kind: 'done', result: result(j1, 'a', counters(3, 0), { attempt: 2 }) }],
    [2, { kind: 'failed', reason: 'agent c refused shard 3/4 of run x: origin … is not allowed' }],
  ]);
  const r = mergeShards(PLAN, jobs, outcomes, {
    queue: 'redis://q',
    elapsedMs: 500,
    startupMs: 20,
    interrupted: false,
    lost: 'no agent left',
  });
  assert.deepEqual([r.counters.total, r.counters.ok, r.counters.notFound, r.counters.errors], [12, 5, 1, 6]);
  assert.ok(countsAddUp(r.counters));
  assert.deepEqual(r.counters.errorsByReason, { 'shard refused': 3, 'shard lost': 3 });
  assert.equal(r.latencyMs.count, 6, 'histograms of the shards that counted, merged');
  assert.deepEqual(
    r.agents.map((a) => [a.name, a.shards, a.counters.total, a.threads]),
    [
      ['a', 1, 3, [1, 1]],
      ['b', 1, 3, [2, 2]],
    ],
  );
  assert.deepEqual(
    r.shards.map((s) => [s.shard, s.agent, s.attempts]),
    [
      [1, 'b', 1],
      [2, 'a', 2],
      [3, null, 0],
      [4, null, 0],
    ],
  );
  assert.deepEqual(
    r.perWorker.map((w) => [w.id, w.counters.total]),
    [
      [1, 3],
      [2, 3],
    ],
  );
  assert.match(r.failure ?? '', /^shard 3: agent c refused .*; shard 4: no agent left$/);
  const cancelled = mergeShards(PLAN, jobs, new Map(), { queue: 'q', elapsedMs: 1, startupMs: 0, interrupted: true });
  assert.equal(cancelled.counters.cancelled, 12);
  assert.equal(cancelled.failure, undefined);
});

test('one agent: its thread rows merge across its shards', () => {
  const jobs = [0, 1].map((shard) => ({ ...JOB, shard, shards: 2, start: shard * 6, end: shard * 6 + 6 }));
  const outcomes = new Map<number, ShardOutcome>(
    jobs.map((j) => [j.shard, { kind: 'done', result: result(j, 'solo', counters(4, 2)) }]),
  );
  const r = mergeShards(PLAN, jobs, outcomes, { queue: 'q', elapsedMs: 300, startupMs: 0, interrupted: false });
  assert.equal(r.perWorker.length, 1);
  assert.equal(r.perWorker[0]?.counters.total, 12);
  assert.equal(r.perWorker[0]?.latency.count, 12);
  assert.equal(r.agents[0]?.elapsedMs, 200, 'from its first shard start to its last shard end');
  assert.equal(r.agents[0]?.requestsPerSec, 60);
});

test('gathering: the first valid result of a shard counts, a late or foreign one is ignored', async () => {
  const jobs = [0, 1].map((shard) => ({ ...JOB, shard, shards: 2, start: shard * 3, end: shard * 3 + 3 }));
  const g = new Gather(jobs, (j) => `${j.runId}-${j.shard}`);
  const [j0] = jobs as [ShardJob, ShardJob];
  g.completed('otherrun-0', result(j0, 'x', counters(3, 0)));
  g.completed(`${JOB.runId}-0`, result(j0, 'a', counters(3, 0)));
  g.completed(`${JOB.runId}-0`, result(j0, 'late', counters(3, 0)));
  assert.equal(g.ignored, 1);
  assert.equal(g.pending(), 1);
  g.completed(`${JOB.runId}-1`, { nonsense: true });
  await g.done;
  assert.equal((g.outcomes.get(0) as { result: ShardResult }).result.agent, 'a');
  assert.match((g.outcomes.get(1) as { reason: string }).reason, /^malformed result \(/);
});

test('strings from the queue reach the terminal escaped: failure texts, reasons; an agent name with escapes is refused', () => {
  const evil = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eok';
  const jobs = [0, 1, 2].map((shard) => ({ ...JOB, shard, shards: 3, start: shard, end: shard + 1 }));
  const [, j1, j2] = jobs as [ShardJob, ShardJob, ShardJob];
  const g = new Gather(jobs, (j) => `${j.runId}-${j.shard}`);
  g.failed(`${JOB.runId}-0`, evil);
  const c = { ...counters(0, 0), total: 1, errors: 1, errorsByReason: { [evil]: 1 } };
  const sent = JSON.parse(JSON.stringify(result(j1, 'a', c, { failure: evil }))) as unknown;
  g.completed(`${JOB.runId}-1`, sent);
  g.completed(`${JOB.runId}-2`, JSON.parse(JSON.stringify(result(j2, `a${evil}`, counters(1, 0)))));
  const failed = g.outcomes.get(0) as { reason: string };
  assert.equal(failed.reason, '\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eok');
  const done = (g.outcomes.get(1) as { result: ShardResult }).result;
  assert.ok(!hasControl(done.failure ?? ''), done.failure ?? '');
  assert.match(done.failure ?? '', /^\\u001b\]0;pwned/);
  assert.deepEqual(Object.keys(done.counters.errorsByReason).filter(hasControl), []);
  const refused = g.outcomes.get(2) as { reason: string };
  assert.match(refused.reason, /^malformed result \(result\.agent must be a string matching/);
  assert.ok(!hasControl(refused.reason), refused.reason);
});

/** True when `s` holds a C0 or C1 control character, DEL or a right-to-left override. */
function hasControl(s: string): boolean {
  return [...s].some((ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x202e;
  });
}

test('shard count: one per agent slot (static), four (dynamic), --shards as given, never above the codes', () => {
  const agents = [
    { name: 'a', concurrency: 1, workers: 2 },
    { name: 'b', concurrency: 2, workers: 2 },
  ];
  assert.equal(shardCount({ ...PLAN, split: 'static' }, agents, null), 3);
  assert.equal(shardCount(PLAN, agents, null), 12);
  assert.equal(shardCount(PLAN, agents, 5), 5);
  assert.equal(shardCount(PLAN, agents, 50), 12);
});

test("shard count: bounded whatever the agents' announcements ask, and never a shard an agent refuses", () => {
  const huge = { ...PLAN, codes: EVERY_CODE, repeat: 10_000_000 };
  const greedy = [{ name: 'x', concurrency: 1_000_000_000, workers: 1 }];
  assert.equal(shardCount(huge, greedy, null), 100_000);
  assert.equal(shardCount(huge, [{ name: 'a', concurrency: 1, workers: 1 }], null), 4, '6.76e9 in shards of ≤ 2^31-1');
  const opts = resolveOptions([], { every: true, repeat: '10000000', save: false });
  assert.throws(
    () => resolveQueueOptions({ queue: 'redis://h:1', shards: '1' }, opts),
    /^UsageError: --shards 1 makes shards of up to 6760000000 requests, more than an agent runs at once \(2147483647\): give --shards 4 or more/,
  );
  assert.equal(resolveQueueOptions({ queue: 'redis://h:1', shards: '4' }, opts).shards, 4);
});

test('queue flags: checked against the run they go with', () => {
  const opts = resolveOptions(['BR'], { save: false });
  assert.deepEqual(resolveQueueOptions({ queue: 'redis://h:1', agents: '2', agentWait: '5' }, opts), {
    target: { url: 'redis://h:1', shown: 'redis://h:1', db: 0, password: null },
    shards: null,
    agents: 2,
    agentWaitMs: 5000,
    workers: null,
  });
  assert.equal(
    resolveQueueOptions({ queue: 'redis://h:1', workers: '3' }, resolveOptions(['BR'], { workers: '3' })).workers,
    3,
  );
  assert.throws(
    () => resolveQueueOptions({ queue: 'redis://h:1' }, resolveOptions(['BR'], { model: 'loop' })),
    /--queue runs the workers model on every agent: drop --model loop/,
  );
  assert.throws(
    () => resolveQueueOptions({ queue: 'redis://h:1' }, resolveOptions(['BR'], { verbose: true })),
    /-v does not work with --queue/,
  );
  assert.throws(
    () => resolveQueueOptions({ queue: 'redis://h:1' }, resolveOptions(['BR'], { followRedirects: 'any' })),
    /same-origin redirects only/,
  );
  assert.throws(
    () => resolveQueueOptions({ queue: 'redis://h:1', shards: '0' }, opts),
    /--shards must be a whole number from 1/,
  );
  assert.throws(
    () => checkQueueFlagsNeedQueue({ agents: '2' }),
    /--agents only applies to runs over a queue: add --queue/,
  );
  assert.doesNotThrow(() => checkQueueFlagsNeedQueue({}));
});
