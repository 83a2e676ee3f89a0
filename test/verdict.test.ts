import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUSY_SHARE,
  busyCpuMsOf,
  machineNoise,
  noiseText,
  readLoad,
  type LoadSample,
} from '../src/compare/machine-load.js';
import { buildMatrix, configKey } from '../src/compare/matrix.js';
import { runBench } from '../src/compare/run-bench.js';
import { benchVerdict } from '../src/compare/verdict.js';
import { compareWords } from '../src/compare/showcase-words.js';
import type { BenchConfig, BenchResult, Runner } from '../src/compare/types.js';
import { benchTextLines } from '../src/report/bench-table.js';
import { renderHtmlReport } from '../src/report/html.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

/** Throughput by configuration; the n-th run of every configuration jitters alike, by up to 3 %. */
function jitteryRunner(rate: (c: BenchConfig) => number): Runner {
  const seen = new Map<string, number>();
  const jitter = [1, 1.03, 0.97, 1.02, 0.98];
  return (c) => {
    const n = seen.get(configKey(c)) ?? 0;
    seen.set(configKey(c), n + 1);
    const rps = rate(c) * (jitter[n % jitter.length] ?? 1);
    return Promise.resolve(fakeReport({ elapsedMs: (194 * 1000) / rps }));
  };
}

async function decodeBench(noise: (() => LoadSample) | null = null): Promise<BenchResult> {
  const { configs, notes } = buildMatrix({
    models: ['loop', 'workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
    works: ['none', 'decode'],
  });
  const rate = (c: BenchConfig): number => (c.work === 'decode' ? (c.model === 'workers' ? 1600 : 1000) : 5000);
  const plan = { title: 't', configs, notes, target: LOCAL_TARGET, delayMs: null, runs: 5, warmup: 0, command: '' };
  return runBench(plan, jitteryRunner(rate), { readLoad: noise });
}

void test('the verdict in words, per group: threads help with decode, not without; never across groups', async () => {
  const result = await decodeBench();
  assert.equal(result.ranking.groups.length, 2);
  const [decode, none] = [
    result.verdict.find((l) => l.includes('decode')),
    result.verdict.find((l) => l.includes('without')),
  ];
  assert.match(
    decode ?? '',
    /^Worker threads help with --work decode: workers -w 2 -m 100 ran 1\.60× \(1\.5\d–1\.6\d\) the loop at -m 100\.$/,
  );
  assert.match(
    none ?? '',
    /^Worker threads do not help without --work: the best of them, workers -w 2 -m 100, ran 1\.00× \(0\.9\d–1\.0\d\) the loop at -m 100, within noise\.$/,
  );
  const text = benchTextLines(result).join('\n');
  assert.match(text, /^Verdict: Worker threads help with --work decode/m);
  assert.doesNotMatch(text, /decode.*as fast as loop m100$/m, 'no comparison across work kinds');
  const html = renderHtmlReport({ title: 'flagfetch bench', suites: [result] });
  assert.match(html, /<section class="verdict">(<p>[^<]*<\/p>)*<p>Verdict: Worker threads help with --work decode/);
  const json = JSON.parse(JSON.stringify(result)) as BenchResult;
  assert.deepEqual(json.verdict, result.verdict);
});

void test('the showcase says "beat" from the same decision as the verdict', async () => {
  const result = await decodeBench();
  const decode = result.configs.find((c) => c.key === 'workers w2 m100 dynamic decode')!;
  const none = result.configs.find((c) => c.key === 'workers w2 m100 dynamic')!;
  assert.equal(decode.decision, 'faster');
  assert.match(compareWords(decode), /^beat the single loop \(1\.\d\d× \(/);
  assert.equal(none.decision, 'same');
  assert.match(compareWords(none), /^did about as well as the single loop \(1\.00× .*within noise$/);
  assert.match(compareWords({ decision: 'slower', ratioInterval: { ratio: 0.8, lo: 0.7, hi: 0.9 } }), /^were slower/);
});

void test('a busy machine is said first, in text, JSON and HTML; a quiet one only in a Machine line', async () => {
  const at = { busyCpuMs: 0, load1: 1.2, selfCpuMs: 0, atMs: 0 };
  const busy = machineNoise(at, { busyCpuMs: 20_000, load1: 2.35, selfCpuMs: 1000, atMs: 10_000 }, 5000, 2);
  // 20 s of machine CPU, 6 s of it ours, in 10 s on 2 cores: others used 14 / 20 = 70 %.
  assert.equal(busy.otherCpuShare, 0.7);
  assert.equal(busy.busy, true);
  assert.equal(
    noiseText(busy),
    'other processes used 70 % of the CPU (2 cores) during the runs; load average 1.20 → 2.35',
  );
  const quiet = machineNoise(at, { busyCpuMs: 6500, load1: 0.3, selfCpuMs: 1000, atMs: 10_000 }, 5000, 2);
  assert.equal(quiet.busy, false, `${quiet.otherCpuShare} is under ${BUSY_SHARE}`);
  assert.equal(machineNoise({ ...at, busyCpuMs: null }, at, 0, 2).otherCpuShare, null);
  const result = await decodeBench();
  const lines = benchVerdict(result.configs, result.ranking, busy);
  assert.match(lines[0] ?? '', /^The machine was busy: other processes used 70 % .*; the ratios below are unreliable/);
  const withBusy = { ...result, noise: busy, verdict: lines };
  assert.match(benchTextLines(withBusy).join('\n'), /^Verdict: The machine was busy/m);
  assert.match(renderHtmlReport({ title: 't', suites: [withBusy] }), /<p class="flag">Verdict: The machine was busy/);
  const calm = { ...result, noise: quiet, verdict: benchVerdict(result.configs, result.ranking, quiet) };
  assert.doesNotMatch(calm.verdict.join(), /busy/);
  assert.match(benchTextLines(calm).join('\n'), /^Machine: other processes used \d+ % of the CPU/m);
});

void test('the machine is read from /proc/stat: busy time is user+nice+system+irq+softirq+steal', () => {
  const stat = 'cpu  100 20 30 5000 40 5 6 7 0 0\ncpu0 50 10 15 2500 20 2 3 3 0 0\nintr 1\n';
  assert.equal(busyCpuMsOf(stat), (100 + 20 + 30 + 5 + 6 + 7) * 10);
  assert.equal(busyCpuMsOf('intr 1\n'), null);
  const now = readLoad();
  assert.ok(now.selfCpuMs > 0 && now.load1 >= 0);
  if (process.platform === 'linux') assert.ok((now.busyCpuMs ?? 0) > 0);
});

void test('runs continue while an interval is wide, up to --max-runs; an outlier is left out and said', async () => {
  const { configs, notes } = buildMatrix({
    models: ['loop', 'workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
  });
  const plan = {
    title: 't',
    configs,
    notes,
    target: LOCAL_TARGET,
    delayMs: null,
    runs: 3,
    maxRuns: 8,
    warmup: 0,
    command: '',
  };
  let n = 0;
  const wide: Runner = (c) => {
    const swing = [1, 1.3, 0.75, 1.2, 0.8][n++ % 5] ?? 1;
    return Promise.resolve(fakeReport({ elapsedMs: 100 / (c.model === 'workers' ? 1.1 : 1) / swing }));
  };
  const slow = await runBench(plan, wide, { readLoad: null });
  const records = slow.records.filter((r) => !r.warmup);
  assert.equal(records.length, 16, 'both configurations measured 8 times: the interval never narrowed');
  let m = 0;
  const steady: Runner = () => Promise.resolve(fakeReport({ elapsedMs: ++m === 4 ? 300 : 100 }));
  const calm = await runBench({ ...plan, runs: 5 }, steady, { readLoad: null });
  assert.equal(calm.records.length, 10, 'narrow at once: no more runs');
  const outlier = calm.records.filter((r) => r.flags.some((f) => f.startsWith('outlier:')));
  assert.equal(outlier.length, 1);
  assert.match(benchTextLines(calm).join('\n'), /Left out: .* run 2: outlier: 647 req\/s against a median of 1940/);
  assert.equal(
    calm.configs.every((c) => c.decision !== 'few runs'),
    true,
    'one outlier does not block the verdict',
  );
});
