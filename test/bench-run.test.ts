import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildMatrix, configKey } from '../src/compare/matrix.js';
import { formatDuration, progressLine, runBench, type BenchPlan } from '../src/compare/run-bench.js';
import { writeBenchOutputs } from '../src/commands/bench-outputs.js';
import type { BenchConfig, BenchResult, Runner } from '../src/compare/types.js';
import { benchTextLines } from '../src/report/bench-table.js';
import { benchCsv, csvCell } from '../src/report/bench-csv.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';
import type { JsonReport } from '../src/compare/json-report.js';

/** Elapsed times per configuration key, one per call (warm-up first). */
const ELAPSED: Record<string, number[]> = {
  'loop m100': [999, 100, 110, 90, 100, 105],
  'workers w2 m100 dynamic': [999, 50, 52, 48, 51, 49],
};

/** A runner replaying hand-built reports; run 3 of workers comes back with a bad count. */
function replayRunner(calls: string[]): Runner {
  const seen = new Map<string, number>();
  return (config: BenchConfig): Promise<JsonReport> => {
    const key = configKey(config);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    calls.push(key);
    const elapsedMs = ELAPSED[key]?.[n] ?? 100;
    if (key.startsWith('workers') && n === 3)
      return Promise.resolve(fakeReport({ elapsedMs, ok: 193, errors: 1, elu: [0.9, 0.7] }));
    if (key.startsWith('workers') && n === 4) return Promise.reject(new Error('download exit code 1: worker died'));
    return Promise.resolve(
      fakeReport({
        elapsedMs,
        elu: key.startsWith('workers') ? [0.8, 0.6] : [0.95],
        workers: key.startsWith('workers') ? 2 : 1,
      }),
    );
  };
}

async function benchOf(calls: string[] = []): Promise<BenchResult> {
  const { configs, notes } = buildMatrix({ models: ['workers'], workers: [2], maxReq: [100], split: 'dynamic' });
  const plan: BenchPlan = {
    title: 't',
    configs,
    notes,
    target: LOCAL_TARGET,
    delayMs: null,
    runs: 5,
    warmup: 1,
    command: 'flagfetch download …',
  };
  return runBench(plan, replayRunner(calls));
}

void test('runs are interleaved after the warm-ups', async () => {
  const calls: string[] = [];
  await benchOf(calls);
  assert.deepEqual(calls, Array.from({ length: 6 }, () => ['workers w2 m100 dynamic', 'loop m100']).flat());
});

void test('medians leave out the flagged runs; ratio, noise and best are exact', async () => {
  const result = await benchOf();
  const [workers, loop] = result.configs;
  assert.ok(workers !== undefined && loop !== undefined);
  // Loop: runs 100 110 90 100 105 → median 100, range 90–110 (20 % → noisy).
  assert.deepEqual(loop.elapsedMs, { median: 100, min: 90, max: 110 });
  assert.equal(loop.noisy, true);
  assert.equal(loop.requestsPerSec.median, 1940);
  // Workers: run 3 (counts differ) and run 4 (failed) left out → 50 52 49, median 50.
  assert.equal(workers.goodRuns, 3);
  assert.equal(workers.flaggedRuns, 2);
  assert.deepEqual(workers.elapsedMs, { median: 50, min: 49, max: 52 });
  assert.equal(workers.noisy, false);
  assert.equal(workers.requestsPerSec.median, 3880);
  assert.equal(workers.ratioToLoop, 2);
  assert.equal(workers.baselineKey, 'loop m100');
  assert.deepEqual(
    workers.eluPerWorker.map((v) => Math.round(v * 1e9) / 1e9),
    [0.8, 0.6],
  );
  assert.equal(workers.cpuMs, 100);
  assert.equal(result.bestKey, 'workers w2 m100 dynamic');
  const flagged = result.records.filter((r) => r.flags.length > 0).map((r) => `${r.run}: ${r.flags.join()}`);
  assert.equal(flagged.length, 2);
  assert.match(flagged[0] ?? '', /^3: counts differ from the other runs: total 194, ok 193/);
  assert.match(flagged[1] ?? '', /^4: failed: download exit code 1: worker died/);
  assert.match(result.notes[0] ?? '', /added loop at max-req 100/);
});

void test('the text report marks the best, the noise and the runs left out', async () => {
  const lines = benchTextLines(await benchOf());
  const text = lines.join('\n');
  assert.match(text, /Each run is a fresh process/);
  const best = lines.find((l) => l.startsWith('*'));
  assert.ok(best?.includes('workers w2 m100 dynamic'));
  assert.match(best ?? '', /2\.00× \(\d\.\d\d–\d\.\d\d\)/);
  assert.match(lines.find((l) => l.includes('loop m100')) ?? '', /100 \(90\.0–110\) ~/);
  assert.match(text, /3\+2!/);
  assert.match(text, /Left out: workers w2 m100 dynamic run 3: counts differ/);
  assert.match(text, /Note: added loop/);
});

void test('CSV: a header and one row per configuration, quoted where needed', async () => {
  const csv = benchCsv(await benchOf());
  const rows = csv.trimEnd().split('\n');
  assert.equal(rows.length, 3);
  assert.match(
    rows[0] ?? '',
    /^key,config\.model,config\.workers,config\.maxReq,config\.split,threads,inFlight,goodRuns,/,
  );
  assert.match(rows[1] ?? '', /^workers w2 m100 dynamic,workers,2,100,dynamic,2,100,3,2,50,49,52,false,3880,/);
  assert.match(rows[1] ?? '', /,true$/);
  assert.equal(csvCell('a,"b"'), '"a,""b"""');
  assert.equal(csvCell(Number.NaN), '');
});

void test('outputs are written atomically: the files, and no temp file left behind', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-bench-'));
  try {
    const result = await benchOf();
    const said: string[] = [];
    const files = { json: path.join(dir, 'r.json'), csv: path.join(dir, 'r.csv'), html: path.join(dir, 'r.html') };
    await writeBenchOutputs(files, [result], (l) => said.push(l), { kind: 'bench' });
    const json = JSON.parse(await readFile(files.json, 'utf8')) as BenchResult;
    assert.equal(json.bestKey, 'workers w2 m100 dynamic');
    assert.equal(json.configs.length, 2);
    assert.match(await readFile(files.html, 'utf8'), /^<!DOCTYPE html>/);
    assert.deepEqual((await readdir(dir)).sort(), ['r.csv', 'r.html', 'r.json']);
    assert.equal(said.length, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('progress lines count runs done of those planned, up to the most, and show an ETA', () => {
  const plan = { runs: 5, warmup: 1 };
  assert.equal(
    progressLine({ done: 0, planned: 12, most: 12 }, 'loop m100', { run: 1, warmup: true }, plan, 5, null),
    '[1/12] loop m100: warm-up 1/1',
  );
  assert.equal(
    progressLine({ done: 4, planned: 12, most: 22 }, 'loop m100', { run: 2, warmup: false }, plan, 10, 65_000),
    '[5/12, up to 22] loop m100: run 2/5, ETA 1m05s',
  );
  assert.equal(
    progressLine({ done: 12, planned: 14, most: 22 }, 'loop m100', { run: 6, warmup: false }, plan, 10, 2_000),
    '[13/14, up to 22] loop m100: run 6 of at most 10 (its interval is still wide), ETA 2s',
  );
  assert.equal(formatDuration(9_400), '9s');
});

void test('an aborted bench stops between runs and says so', async () => {
  const controller = new AbortController();
  const { configs, notes } = buildMatrix({ models: ['loop'], workers: [1], maxReq: [10], split: 'dynamic' });
  let calls = 0;
  const result = await runBench(
    { title: 't', configs, notes, target: LOCAL_TARGET, delayMs: null, runs: 5, warmup: 0, command: '' },
    () => {
      if (++calls === 2) controller.abort();
      return Promise.resolve(fakeReport());
    },
    { signal: controller.signal },
  );
  assert.equal(calls, 2);
  assert.match(result.notes.join(), /stopped early: 2 runs finished/);
});

void test('bench records the threads a configuration actually started (threads w4 m2: 2), in JSON and CSV', async () => {
  const { configs, notes } = buildMatrix({ models: ['threads'], workers: [4], maxReq: [2], split: 'dynamic' });
  // What download reports: never more threads than requests in flight (concurrencyOf).
  const runner: Runner = (c) =>
    Promise.resolve(fakeReport({ workers: Math.min(c.workers, c.maxReq), maxReq: c.maxReq }));
  const result = await runBench(
    { title: 't', configs, notes, target: LOCAL_TARGET, delayMs: null, runs: 1, warmup: 0, command: '' },
    runner,
  );
  const threads = result.configs.find((c) => c.key === 'threads w4 m2');
  assert.equal(threads?.config.workers, 4, 'what was asked: -w 4');
  assert.equal(threads?.threads, 2, 'what ran: the pool threads');
  const rows = benchCsv(result).trimEnd().split('\n');
  const header = (rows[0] ?? '').split(',');
  const row = rows.find((r) => r.startsWith('threads w4 m2,'))?.split(',') ?? [];
  assert.equal(row[header.indexOf('threads')], '2');
  assert.equal(row[header.indexOf('config.workers')], '4');
});
