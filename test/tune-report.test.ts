import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTune, workerSpace } from '../src/compare/tune-run.js';
import { tuneHeading, tuneTextLines } from '../src/report/bench-tune.js';
import { tuneCsv, tuneHtml, tuneMarkdown } from '../src/report/tune-files.js';
import type { Runner } from '../src/compare/types.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

void test('worker space: the loop (0) and 1…max for workers, the loop alone for loop', () => {
  assert.deepEqual(workerSpace('workers', 4), [0, 1, 2, 3, 4]);
  assert.deepEqual(workerSpace('loop', 4), [0]);
});

void test('runTune turns runs into throughput, leaves failed runs out, and reports a recommendation', async () => {
  let clock = 0;
  const configs: string[] = [];
  const runner: Runner = (c) => {
    clock += 1000;
    configs.push(`${c.model} ${c.workers} ${c.maxReq} ${c.split}`);
    if (c.maxReq === 2000) return Promise.reject(new Error('download exit code 1: too many sockets'));
    const rps = 1000 * Math.min(c.maxReq, 50) * (c.workers === 2 ? 1.2 : 1);
    return Promise.resolve(fakeReport({ elapsedMs: (194 * 1000) / rps, workers: c.workers, maxReq: c.maxReq }));
  };
  const report = await runTune(
    {
      model: 'workers',
      split: 'static',
      target: LOCAL_TARGET,
      delayMs: null,
      budgetMs: 40_000,
      space: { workers: [1, 2, 3], maxReqMin: 1, maxReqMax: 2000 },
    },
    runner,
    { now: () => clock, readLoad: null },
  );
  assert.ok(configs.every((c) => c.startsWith('workers ') && c.endsWith(' static')));
  assert.equal(report.best?.point.workers, 2);
  assert.ok((report.best?.point.maxReq ?? 0) >= 50);
  assert.ok(report.failures.some((f) => /m2000: failed: download exit code 1/.test(f)));
  assert.ok(report.evaluations <= 40);
  const text = tuneTextLines(report).join('\n');
  assert.match(text, /Recommended: flagfetch download --model workers -w 2 -m \d+ {2}\(60000 req\/s/);
  assert.match(text, /^Runner-up: the best ran \d\.\d\d× \([\d.]+–[\d.]+\) the runner-up -w \d -m \d+ \(\d runs?\); /m);
  assert.doesNotMatch(text, /Confidence/);
  assert.match(text, /Left out: w\d m2000: failed/);
  assert.match(text, /^\*/m);
});

void test('runTune with --work: every trial does the work, and the recommendation says so', async () => {
  let clock = 0;
  const works = new Set<string>();
  const runner: Runner = (c) => {
    clock += 1000;
    works.add(c.work ?? 'none');
    return Promise.resolve(fakeReport({ elapsedMs: 1000 / c.workers, workers: c.workers, maxReq: c.maxReq }));
  };
  const report = await runTune(
    {
      model: 'workers',
      split: 'dynamic',
      target: LOCAL_TARGET,
      delayMs: 20,
      budgetMs: 10_000,
      space: { workers: [1, 2], maxReqMin: 1, maxReqMax: 100 },
      work: 'decode',
    },
    runner,
    { now: () => clock, readLoad: null },
  );
  assert.deepEqual([...works], ['decode']);
  assert.equal(report.work, 'decode');
  const text = tuneTextLines(report).join('\n');
  assert.match(text, /^flagfetch tune \(workers model, --work decode\)/);
  assert.match(text, /Recommended: flagfetch download --model workers -w 2 -m \d+ --work decode {2}\(/);
});

void test('tune files: CSV headers are the JSON paths, Markdown and HTML carry the table and the verdict', async () => {
  let clock = 0;
  const runner: Runner = (c) => {
    clock += 1000;
    return Promise.resolve(fakeReport({ elapsedMs: 100 + c.maxReq / 10 + c.workers }));
  };
  const report = await runTune(
    {
      model: 'loop',
      split: 'dynamic',
      target: LOCAL_TARGET,
      delayMs: null,
      budgetMs: 20_000,
      space: { workers: [0], maxReqMin: 1, maxReqMax: 100 },
    },
    runner,
    { now: () => clock, readLoad: null },
  );
  const csv = tuneCsv([report]).trimEnd().split('\n');
  assert.equal(
    csv[0],
    'work,point.workers,point.maxReq,threads,inFlight,phase,runs,failures,score.median,score.min,score.max,cpuMs,best,recommended',
  );
  assert.equal(csv.length, report.trials.length + 1);
  assert.match(
    tuneMarkdown(report, tuneHeading(report)),
    /^# flagfetch tune\n[\s\S]*\| :--- \| ---: \|[\s\S]*- Recommended: /,
  );
  const html = tuneHtml([report]);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<section class="verdict"><p>Recommended: flagfetch download --model loop -m \d+/);
});

void test('tune records what each point really ran: -w 3 -m 1 starts one worker with one request', async () => {
  let clock = 0;
  const runner: Runner = (c) => {
    clock += 1000;
    const threads = Math.min(c.workers, c.maxReq);
    return Promise.resolve(fakeReport({ workers: threads, maxReq: Math.min(c.maxReq, 194), elapsedMs: 100 }));
  };
  const report = await runTune(
    {
      model: 'workers',
      split: 'dynamic',
      target: LOCAL_TARGET,
      delayMs: null,
      budgetMs: 8_000,
      space: { workers: [1, 2, 3], maxReqMin: 1, maxReqMax: 100 },
    },
    runner,
    { now: () => clock, readLoad: null },
  );
  assert.deepEqual(report.ran['2×1'], { threads: 1, inFlight: 1, connections: 100, cpuMs: 100 });
  const text = tuneTextLines(report).join('\n');
  assert.match(text, /^\*? +2 +1 +1×1 /m, 'the table says -w 2 -m 1 ran 1×1');
  assert.match(text, /^Recommended: flagfetch download --model workers -w 1 -m 1 /m, 'the recommendation is what ran');
});
