import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { toJsonReport } from '../src/report/json.js';
import { parseJsonReport, type JsonReport } from '../src/compare/json-report.js';
import type { ProcessUsage, ServerTarget } from '../src/models/types.js';
import { loopResult, workersResult } from './helpers/run-results.js';

const SERVER: ServerTarget = { label: 'ERROR', url: 'http://127.0.0.1:8003/flags' };
const USAGE: ProcessUsage = { cpuUserMs: 123.456, cpuSystemMs: 7.04, peakRssBytes: 61_234_567 };

/** Every field of JsonReport, in the order the report prints them. */
const FIELDS: readonly (keyof JsonReport)[] = [
  'schema',
  'model',
  'server',
  'url',
  'workers',
  'maxReq',
  'split',
  'repeat',
  'total',
  'ok',
  'notFound',
  'errors',
  'cancelled',
  'bytes',
  'elapsedMs',
  'startupMs',
  'connectMs',
  'work',
  'workMs',
  'protocol',
  'connections',
  'connectMsPerConnection',
  'requestsPerSec',
  'megabytesPerSec',
  'latencyMs',
  'errorsByReason',
  'perWorker',
  'interrupted',
  'failure',
  'cpuUserMs',
  'cpuSystemMs',
  'peakRssBytes',
  'node',
  'cores',
];

test('toJsonReport: every field, in order, and the bench validator accepts it after a JSON round trip', () => {
  const report = toJsonReport(workersResult(), SERVER, USAGE);
  assert.deepEqual(Object.keys(report), FIELDS);
  const text = JSON.stringify(report);
  assert.deepEqual(JSON.parse(text), report);
  assert.deepEqual(parseJsonReport(text), report);
});

test('toJsonReport: run, server and counters are copied; rates and times rounded', () => {
  const r = toJsonReport(workersResult(), SERVER, USAGE);
  assert.equal(r.schema, 1);
  assert.equal(r.model, 'workers');
  assert.equal(r.server, 'ERROR');
  assert.equal(r.url, 'http://127.0.0.1:8002/flags');
  assert.deepEqual([r.workers, r.maxReq, r.split, r.repeat], [2, 100, 'static', 1]);
  assert.deepEqual([r.total, r.ok, r.notFound, r.errors, r.cancelled, r.bytes], [194, 191, 0, 3, 0, 2_340_000]);
  assert.deepEqual(
    [r.elapsedMs, r.startupMs, r.connectMs, r.requestsPerSec, r.megabytesPerSec],
    [1000, 18.4, 4.2, 194, 2.34],
  );
  assert.deepEqual([r.protocol, r.connections, r.connectMsPerConnection], ['h1', 100, 0.04]);
  assert.deepEqual(r.latencyMs, workersResult().latencyMs);
  assert.deepEqual([r.cpuUserMs, r.cpuSystemMs, r.peakRssBytes], [123.5, 7, 61_234_567]);
  assert.equal(r.node, process.version);
  assert.equal(r.cores, availableParallelism());
  assert.equal(r.interrupted, false);
  assert.equal(r.failure, null);
});

test('toJsonReport: errors by reason are sorted by reason', () => {
  const r = toJsonReport(workersResult(), SERVER, USAGE);
  assert.deepEqual(Object.entries(r.errorsByReason), [
    ['http 503', 2],
    ['timeout', 1],
  ]);
});

test('toJsonReport: one entry per worker with its own rate (cancelled not counted) and ELU to 0.001', () => {
  const [w1, w2] = toJsonReport(workersResult(), SERVER, USAGE).perWorker;
  assert.deepEqual(w1, {
    id: 1,
    total: 97,
    ok: 96,
    notFound: 0,
    errors: 1,
    cancelled: 0,
    bytes: 1_200_000,
    elapsedMs: 500,
    requestsPerSec: 194,
    eventLoopUtilization: 0.123,
    workMs: 0,
    latencyMs: workersResult().perWorker[0]?.latency,
  });
  assert.equal(w2?.requestsPerSec, 100);
  assert.equal(w2?.eventLoopUtilization, 0.988);
});

test('toJsonReport: interrupted and failed runs say so; zero elapsed gives zero rates', () => {
  const r = toJsonReport(
    loopResult({ interrupted: true, failure: 'worker 2 died: out of memory', elapsedMs: 0, requestsPerSec: 0 }),
    { label: 'LOCAL', url: 'x' },
    USAGE,
  );
  assert.equal(r.interrupted, true);
  assert.equal(r.failure, 'worker 2 died: out of memory');
  assert.equal(r.megabytesPerSec, 0);
  assert.equal(r.perWorker[0]?.requestsPerSec, 2180.6, 'the lane keeps its own elapsed time');
  assert.ok(Number.isFinite(r.requestsPerSec));
  assert.doesNotThrow(() => parseJsonReport(JSON.stringify(r)));
});

test('toJsonReport: a loop run reports its single lane and megabytes per second', () => {
  const r = toJsonReport(loopResult(), SERVER, USAGE);
  assert.equal(r.perWorker.length, 1);
  assert.equal(r.megabytesPerSec, 7.3);
  assert.equal(r.requestsPerSec, 2180.6);
  assert.equal(r.notFound, 482);
});

test('toJsonReport: the --work kind and its CPU time, in total and per worker', () => {
  const none = toJsonReport(loopResult(), SERVER, USAGE);
  assert.deepEqual([none.work, none.workMs, none.perWorker[0]?.workMs], ['none', 0, 0]);
  const base = workersResult();
  const [w1, w2] = base.perWorker;
  assert.ok(w1 !== undefined && w2 !== undefined);
  const r = toJsonReport(
    {
      ...base,
      work: 'decode',
      workMs: 601.26,
      perWorker: [
        { ...w1, workMs: 300.04 },
        { ...w2, workMs: 301.22 },
      ],
    },
    SERVER,
    USAGE,
  );
  assert.deepEqual([r.work, r.workMs], ['decode', 601.3]);
  assert.deepEqual(
    r.perWorker.map((w) => w.workMs),
    [300, 301.2],
  );
});
