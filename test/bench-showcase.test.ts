import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareWords, explainShowcase, showcaseSuites } from '../src/compare/showcase-scenarios.js';
import { configKey } from '../src/compare/matrix.js';
import { runBench } from '../src/compare/run-bench.js';
import type { BenchResult, Runner } from '../src/compare/types.js';
import { cpuRatio, showcaseMarkdown } from '../bench/showcase.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

/**
 * Run a showcase suite's configurations through hand-built reports with the given req/s per
 * model; the n-th run of every configuration jitters alike (±5 %), so ratios of medians stay exact.
 */
async function suiteWith(
  index: number,
  rps: Record<string, number>,
  elu: Record<string, number[]>,
  workMs = 0,
): Promise<BenchResult> {
  const spec = showcaseSuites(3, 2)[index];
  assert.ok(spec !== undefined);
  const jitter = [1, 1, 1.05, 0.95];
  const seen = new Map<string, number>();
  const runner: Runner = (c) => {
    const n = seen.get(configKey(c)) ?? 0;
    seen.set(configKey(c), n + 1);
    return Promise.resolve(
      fakeReport({
        total: 1000,
        elapsedMs: (1e6 / (rps[c.model] ?? 1)) * (jitter[n % jitter.length] ?? 1),
        elu: elu[c.model] ?? [0.5],
        workers: c.workers,
        workMs,
      }),
    );
  };
  return runBench(
    {
      ...spec,
      target: { ...LOCAL_TARGET, serverLabel: index === 0 ? 'LOCAL' : 'DELAY' },
      delayMs: spec.delayMs ?? null,
      command: '',
    },
    runner,
  );
}

void test('the showcase compares the four models at the same max-req in all three suites', () => {
  const [local, delay, cpu] = showcaseSuites(3, 2);
  assert.deepEqual(local?.configs.map(configKey), [
    'sequential',
    'loop m100',
    'threads w2 m100',
    'workers w2 m100 dynamic',
  ]);
  assert.deepEqual(delay?.configs.map(configKey), [
    'sequential',
    'loop m100',
    'threads w2 m100',
    'workers w2 m100 dynamic',
  ]);
  assert.equal(local?.configs[0]?.repeat, 2, 'sequential runs fewer passes on LOCAL');
  assert.equal(delay?.configs[0]?.limit, 10, 'sequential runs fewer codes on DELAY');
  assert.equal(local?.runs, 3);
  assert.deepEqual(cpu?.configs.map(configKey), [
    'sequential decode',
    'loop m100 decode',
    'threads w2 m100 decode',
    'workers w2 m100 dynamic decode',
  ]);
  assert.equal(cpu?.delayMs, 20);
  assert.equal(cpu?.server.label, 'DELAY');
  assert.equal(cpu?.repeat, 5, 'all 194 codes five times, as bench/work.ts measures --work decode');
  assert.deepEqual(cpu?.codeArgs, ['-a']);
  assert.ok(
    cpu?.configs.every((c) => c.work === 'decode'),
    'every model decodes',
  );
  assert.match(cpu?.title ?? '', /CPU work per download — DELAY 20 ms, --work decode/);
  assert.equal(showcaseSuites(3, 2, 'spin:3')[2]?.configs[1]?.work, 'spin:3');
});

void test('explanation of the CPU-work scenario: the loop near 100 %, workers below, and why they pay', async () => {
  const elu = { loop: [0.99], workers: [0.8, 0.78] };
  const cpu = await suiteWith(2, { sequential: 40, loop: 300, threads: 350, workers: 540 }, elu, 1000 * 3.4);
  const lines = explainShowcase([cpu, cpu, cpu]).slice(-4, -1);
  const text = lines.join('\n');
  assert.match(text, /--work decode, about 3\.4 ms of CPU a flag/);
  assert.match(
    text,
    /single loop did 300 req\/s and was busy 99 % of the time \(its event-loop utilization, ELU\): one thread that spends 3\.4 ms on each flag cannot pass 294 flags\/s, so its own CPU, not the server, set the pace/,
  );
  assert.match(
    text,
    /2 worker threads beat the single loop \(1\.80× \(1\.\d\d–[12]\.\d\d\)\), each busy 80 %, 78 % of the time, less than the loop's 99 %: each decoded its share of the flags, on 2 cores at once/,
  );
  assert.match(text, /The server needs almost no CPU to answer .* this is where worker threads pay/);
  assert.match(
    text,
    /threads model works on 2 downloading threads too, the main thread handing them one flag per task: 1\.17× the loop — the work ran on every core, as in the workers model; what it trails them by/,
  );
  const busy = await suiteWith(
    2,
    { sequential: 40, loop: 300, threads: 530, workers: 510 },
    { loop: [0.99], workers: [0.97, 0.98] },
    3400,
  );
  const busyText = explainShowcase([busy, busy, busy]).join('\n');
  assert.match(busyText, /each busy 97 %, 98 % of the time: each decoded/);
  assert.match(
    busyText,
    /1\.77× the loop — the work ran on every core, as in the workers model, and the main thread's message round trip for every flag cost little/,
  );
  const flat = await suiteWith(2, { sequential: 40, loop: 300, threads: 200, workers: 310 }, elu, 3400);
  assert.match(
    explainShowcase([flat, flat, flat]).join('\n'),
    /2 worker threads did about as well as the single loop \(1\.03× \(0\.\d\d–1\.\d\d\)\), within noise, each busy 80 %, 78 % of the time: no core was free for a second thread here/,
  );
});

void test("bench/showcase.ts records the CPU scenario's workers ÷ loop against its target, and the wall time", async () => {
  const elu = { loop: [0.99], workers: [0.8, 0.78] };
  const cpu = await suiteWith(2, { sequential: 40, loop: 300, threads: 350, workers: 540 }, elu, 3400);
  const flat = await suiteWith(2, { sequential: 40, loop: 300, threads: 200, workers: 420 }, elu, 3400);
  assert.equal(cpuRatio([cpu, cpu, cpu]), 1.8);
  assert.equal(cpuRatio([cpu, cpu]), null, 'no third suite, no ratio');
  const md = showcaseMarkdown([cpu, cpu, cpu], [], { wallMs: 58_400, loadAverage: 0.4 });
  assert.match(
    md,
    /^\| workers -w 2 ÷ loop, CPU work per download — DELAY 20 ms, --work decode \| 1\.80 \| ≥ 1\.5 \| PASS \|$/m,
  );
  assert.match(md, /^\| the whole showcase, wall time \| 58 s \| about a minute \| PASS \|$/m);
  assert.match(md, /Load average \(1 min\), the higher of start and end: 0\.4 on \d+ cores\.$/m);
  const loaded = showcaseMarkdown([flat, flat, flat], [], { wallMs: 90_000, loadAverage: 64 });
  assert.match(loaded, /\| 1\.40 \| ≥ 1\.5 \| FAIL \|$/m);
  assert.match(loaded, /\| 90 s \| about a minute \| FAIL \|$/m);
  assert.match(loaded, /the machine was loaded by other programs: these figures are distorted/);
});

void test('compareWords: beat, slower, about the same, from the decision of the interval', () => {
  const ci = (ratio: number, lo: number, hi: number): { ratio: number; lo: number; hi: number } => ({ ratio, lo, hi });
  assert.equal(
    compareWords({ decision: 'faster', ratioInterval: ci(1.5, 1.2, 1.7) }),
    'beat the single loop (1.50× (1.20–1.70))',
  );
  assert.equal(
    compareWords({ decision: 'slower', ratioInterval: ci(0.8, 0.7, 0.9) }),
    'were slower than the single loop (0.80× (0.70–0.90))',
  );
  assert.match(compareWords({ decision: 'same', ratioInterval: ci(1.15, 0.9, 1.4) }), /about as well .*within noise/);
});

void test('explanation: workers slower than the loop on a shared 2-core machine, no gain on DELAY', async () => {
  const local = await suiteWith(
    0,
    { sequential: 1000, loop: 10_000, threads: 5000, workers: 8000 },
    { loop: [0.97], workers: [0.8, 0.8] },
  );
  const delay = await suiteWith(
    1,
    { sequential: 6.6, loop: 600, threads: 210, workers: 590 },
    { loop: [0.05], workers: [0.03, 0.03] },
  );
  const text = explainShowcase([local, delay]).join('\n');
  assert.match(
    text,
    /single event loop did 10000 req\/s\. 2 worker threads were slower than the single loop \(0\.80× \(0\.\d\d–0\.\d\d\)\)/,
  );
  assert.match(text, /busy 97 % of the time/);
  assert.match(text, /Sequential, one request at a time, reached 0\.10× the loop/);
  assert.match(text, /Worker threads did about as well as the single loop \(0\.98×/);
  assert.match(
    text,
    /hands each flag to one of its 2 threads as a task, with the same \d+ requests in flight, and reached 0\.35× the loop/,
  );
  assert.match(text, /Few runs \(3 per configuration/);
  const md = showcaseMarkdown([local, delay], explainShowcase([local, delay]));
  assert.match(md, /^# flagfetch showcase/);
  assert.match(md, /Rerun: `npm run build && node dist\/bench\/showcase\.js`/);
  assert.equal((md.match(/^## /gm) ?? []).length, 3);
});

void test('explanation: workers that beat the loop say why', async () => {
  const local = await suiteWith(0, { sequential: 1000, loop: 10_000, threads: 5000, workers: 15_000 }, { loop: [1] });
  assert.match(
    explainShowcase([local]).join('\n'),
    /beat the single loop \(1\.50× \(1\.\d\d–1\.\d\d\)\): the single loop was busy 100 % of the time, so it was the bottleneck/,
  );
});
