import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrencyLine, headerLines, summaryLines } from '../src/report/text.js';
import { ALL_CODES } from '../src/countries.js';
import type { ModelName, RunPlan } from '../src/models/types.js';
import { planFor, settingsFor } from './helpers/plans.js';
import { counters, latency, loopResult, workerReport, workersResult } from './helpers/run-results.js';

const URL = 'http://localhost:8001/flags';
const plan = (model: ModelName, n: number, over: Partial<RunPlan> = {}): RunPlan =>
  planFor(model, ALL_CODES.slice(0, n), URL, over);

test('concurrencyLine: sequential is always one connection', () => {
  assert.equal(concurrencyLine(plan('sequential', 194, { maxReq: 50 })), '1 concurrent connection will be used.');
});

test('concurrencyLine: loop uses min(max-req, codes), singular for one', () => {
  assert.equal(concurrencyLine(plan('loop', 194, { maxReq: 50 })), '50 concurrent connections will be used.');
  assert.equal(concurrencyLine(plan('loop', 3, { maxReq: 50 })), '3 concurrent connections will be used.');
  assert.equal(concurrencyLine(plan('loop', 3, { maxReq: 50, repeat: 10 })), '30 concurrent connections will be used.');
  assert.equal(concurrencyLine(plan('loop', 1, { maxReq: 50 })), '1 concurrent connection will be used.');
});

test('concurrencyLine: a loop sharing connections (HTTP/2, --connections) says over how many', () => {
  const h2 = settingsFor('https://localhost:8001/flags', { protocol: 'h2' });
  assert.equal(
    concurrencyLine(plan('loop', 194, { maxReq: 100, fetch: h2 })),
    '100 concurrent requests over 1 HTTP/2 connection will be used.',
  );
  assert.equal(
    concurrencyLine(plan('loop', 194, { maxReq: 100, fetch: h2, connections: 4 })),
    '100 concurrent requests over 4 HTTP/2 connections will be used.',
  );
  assert.equal(
    concurrencyLine(plan('loop', 194, { maxReq: 100, connections: 10 })),
    '100 concurrent requests over 10 connections will be used.',
  );
});

test('concurrencyLine: threads share max-req as workers do, capped by max-req and the codes', () => {
  assert.equal(
    concurrencyLine(plan('threads', 194, { workers: 2, maxReq: 100 })),
    '2 threads × 50 concurrent requests will be used.',
  );
  assert.equal(
    concurrencyLine(plan('threads', 194, { workers: 3, maxReq: 20 })),
    '3 threads × 6–7 concurrent requests (20 in total) will be used.',
  );
  assert.equal(
    concurrencyLine(plan('threads', 5, { workers: 8, maxReq: 100 })),
    '5 threads × 1 concurrent request will be used.',
  );
  assert.equal(
    concurrencyLine(plan('threads', 1, { workers: 2, maxReq: 100 })),
    '1 thread × 1 concurrent request will be used.',
  );
});

test('concurrencyLine: workers share max-req evenly, and say so when shares differ', () => {
  assert.equal(
    concurrencyLine(plan('workers', 194, { workers: 2, maxReq: 100 })),
    '2 workers × 50 concurrent requests will be used.',
  );
  assert.equal(
    concurrencyLine(plan('workers', 194, { workers: 3, maxReq: 100 })),
    '3 workers × 33–34 concurrent requests (100 in total) will be used.',
  );
  assert.equal(
    concurrencyLine(plan('workers', 194, { workers: 1, maxReq: 7 })),
    '1 worker × 7 concurrent requests will be used.',
  );
  assert.equal(
    concurrencyLine(plan('workers', 194, { workers: 4, maxReq: 2 })),
    '2 workers × 1 concurrent request will be used.',
  );
});

test('concurrencyLine: workers and requests in flight are capped by the requests to make (one flag: one worker, one request)', () => {
  assert.equal(
    concurrencyLine(plan('workers', 1, { workers: 2, maxReq: 100 })),
    '1 worker × 1 concurrent request will be used.',
  );
  assert.equal(
    concurrencyLine(plan('workers', 3, { workers: 2, maxReq: 100 })),
    '2 workers × 1–2 concurrent requests (3 in total) will be used.',
  );
  assert.equal(
    concurrencyLine(plan('workers', 3, { workers: 2, maxReq: 100, repeat: 40 })),
    '2 workers × 50 concurrent requests will be used.',
  );
});

test('headerLines: many codes are shown as a range', () => {
  const lines = headerLines({ label: 'LOCAL', url: URL }, ALL_CODES, 1, 'C');
  assert.deepEqual(lines, ['LOCAL site: http://localhost:8001/flags', 'Searching for 194 flags: from AD to ZW', 'C']);
});

test('headerLines: up to 10 codes are listed, one is singular', () => {
  assert.deepEqual(headerLines({ label: 'DELAY', url: URL }, ['BR', 'CN', 'IN'], 1, 'C'), [
    'DELAY site: http://localhost:8001/flags',
    'Searching for 3 flags: BR, CN, IN',
    'C',
  ]);
  assert.equal(
    headerLines({ label: 'URL', url: 'http://127.0.0.1:9/x' }, ['BR'], 1, 'C').slice(0, 2).join('|'),
    'URL site: http://127.0.0.1:9/x|Searching for 1 flag: BR',
  );
  assert.equal(
    headerLines({ label: 'LOCAL', url: URL }, ALL_CODES.slice(0, 10), 1, 'C')[1],
    `Searching for 10 flags: ${ALL_CODES.slice(0, 10).join(', ')}`,
  );
  assert.equal(
    headerLines({ label: 'LOCAL', url: URL }, ALL_CODES.slice(0, 11), 1, 'C')[1],
    `Searching for 11 flags: from AD to ${ALL_CODES[10] ?? ''}`,
  );
});

test('headerLines: repeated passes give the number of requests', () => {
  assert.equal(
    headerLines({ label: 'LOCAL', url: URL }, ALL_CODES, 50, 'C')[1],
    'Searching for 194 flags: from AD to ZW (× 50 passes: 9700 requests)',
  );
});

test('summaryLines: a loop run with not found, no errors, no table', () => {
  assert.deepEqual(summaryLines(loopResult()), [
    '--------------------',
    '194 flags downloaded.',
    '482 not found.',
    'Elapsed time: 0.31s',
    'Requests/s: 2181 (7.3 MB/s) · latency p50 1.2, p90 3.5, p99 12.3, max 151 ms',
  ]);
});

test('summaryLines: singular forms, zero counts left out, sub-millisecond latency', () => {
  const c = counters({ ok: 1, errors: 1, bytes: 1000, errorsByReason: { refused: 1 } });
  const lines = summaryLines(
    loopResult({
      counters: c,
      elapsedMs: 4,
      requestsPerSec: 500,
      latencyMs: { count: 2, min: 0.1, mean: 0.3, p50: 0.345, p90: 0.5, p99: 0.5, max: 0.5 },
    }),
  );
  assert.deepEqual(lines, [
    '--------------------',
    '  1 flag downloaded.',
    '  1 error.',
    'Elapsed time: 0.00s',
    'Requests/s: 500 (0.3 MB/s) · latency p50 0.34, p90 0.50, p99 0.50, max 0.50 ms',
    'Errors: refused ×1',
  ]);
});

test('summaryLines: nothing downloaded in no time does not divide by zero', () => {
  const lines = summaryLines(
    loopResult({ counters: counters(), elapsedMs: 0, requestsPerSec: 0, latencyMs: latency(0) }),
  );
  assert.equal(lines[1], '  0 flags downloaded.');
  assert.ok(
    lines.some((l) => l.startsWith('Requests/s: 0 (0.0 MB/s)')),
    lines.join('\n'),
  );
});

test('summaryLines: a workers run has start-up, errors by reason and the per-worker table', () => {
  assert.deepEqual(summaryLines(workersResult()), [
    '--------------------',
    '191 flags downloaded.',
    '  3 errors.',
    'Elapsed time: 1.00s',
    'Requests/s: 194 (2.3 MB/s) · latency p50 1.2, p90 3.5, p99 12.3, max 151 ms',
    'Start-up of workers and connections: 18 ms (100 connections opened in 4.2 ms: 0.04 ms each)',
    'Errors: http 503 ×2, timeout ×1',
    '',
    'worker  codes  ok  not found  errors    bytes  req/s   ELU',
    '1          97  96          0       1  1200000    194  12 %',
    '2          97  95          0       2  1140000    100  99 %',
  ]);
});

test('summaryLines: a threads run names threads; an interrupted run says it is partial', () => {
  const c = counters({ ok: 10, cancelled: 2, bytes: 1000 });
  const lines = summaryLines(
    workersResult({ model: 'threads', counters: c, interrupted: true, perWorker: [workerReport(1, c, 100, 0.5)] }),
  );
  assert.ok(lines.includes('  2 cancelled.'), lines.join('\n'));
  assert.ok(
    lines.includes('Start-up of threads and connections: 18 ms (100 connections opened in 4.2 ms: 0.04 ms each)'),
    lines.join('\n'),
  );
  const tls = summaryLines(workersResult({ baseUrl: 'https://localhost:8001/flags', connections: 2, connectMs: 31 }));
  assert.ok(
    tls.includes('Start-up of workers and connections: 18 ms (2 TLS connections opened in 31.0 ms: 15.5 ms each)'),
  );
  const h2 = summaryLines(workersResult({ protocol: 'h2', connections: 1, connectMs: 9 }));
  assert.ok(h2.includes('Start-up of workers and connections: 18 ms (1 HTTP/2 connection opened in 9.0 ms)'));
  assert.ok(lines.includes('Interrupted: partial report.'), lines.join('\n'));
  assert.equal(lines.at(-1), '1          12  10          0       0   1000    100  50 %');
  assert.ok(!lines.some((l) => l.startsWith('Errors:')));
});

test('summaryLines: a --work run says how much CPU the work took, and the table gains a work column', () => {
  const base = workersResult();
  const [w1, w2] = base.perWorker;
  assert.ok(w1 !== undefined && w2 !== undefined);
  const lines = summaryLines({
    ...base,
    work: 'decode',
    workMs: 655.4,
    perWorker: [
      { ...w1, workMs: 320.2 },
      { ...w2, workMs: 335.2 },
    ],
  });
  assert.ok(
    lines.includes('Work (decode): 655 ms of CPU on the downloading threads, 3.4 ms per flag'),
    lines.join('\n'),
  );
  assert.deepEqual(lines.slice(-3), [
    'worker  codes  ok  not found  errors    bytes  req/s   ELU  work ms',
    '1          97  96          0       1  1200000    194  12 %      320',
    '2          97  95          0       2  1140000    100  99 %      335',
  ]);
  assert.ok(!summaryLines(base).some((l) => l.startsWith('Work')), 'no work line without --work');
});

test('summaryLines: counts are padded to three places as the original prints them', () => {
  const lines = summaryLines(loopResult({ counters: counters({ ok: 20, notFound: 5, errors: 1000 }) }));
  assert.deepEqual(lines.slice(1, 4), [' 20 flags downloaded.', '  5 not found.', '1000 errors.']);
});

test('worker table: a worker that handled no code shows – for its ELU, not 0 % or 100 %', () => {
  const idle = counters();
  const lines = summaryLines(
    workersResult({ perWorker: [workerReport(1, counters({ ok: 3 }), 10, 0.5), workerReport(2, idle, 0, 1)] }),
  );
  assert.match(lines.at(-1) ?? '', /^2 .* –$/);
});

test('worker table: more than 9 rows fold into the first 8 and one summary row', () => {
  const perWorker = Array.from({ length: 32 }, (_, i) =>
    workerReport(i + 1, counters({ ok: 2, notFound: 1 }), 100, 0.25),
  );
  const lines = summaryLines(workersResult({ model: 'threads', perWorker }));
  const table = lines.slice(lines.indexOf('') + 1);
  assert.equal(table.length, 1 + 8 + 1, table.join('\n'));
  assert.match(table[8] ?? '', /^8 /);
  assert.match(table[9] ?? '', /^9–32 +72 +48 +24 +0 +0 +720 +mean 25 %$/);
  const nine = Array.from({ length: 9 }, (_, i) => workerReport(i + 1, counters({ ok: 1 }), 100, 0.5));
  const all = summaryLines(workersResult({ perWorker: nine }));
  assert.match(all.at(-1) ?? '', /^9 /, 'nine rows are shown as they are');
});
