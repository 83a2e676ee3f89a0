/**
 * bench --rates and tune --slo end to end: the built CLI against the embedded DELAY server
 * (real servers, every run a fresh process). A server that answers after D ms with M requests
 * in flight serves at most M / D requests a second: the knee and the target follow from that.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import type { BenchResult } from '../src/compare/types.js';
import type { SloReport } from '../src/compare/tune-slo.js';

void test('bench --rates: a loop that serves 100 req/s holds 40 and bends at 300 (achieved, late)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-rates-'));
  try {
    const html = path.join(dir, 'report.html');
    // -m 5 on a 50 ms server: at most 5 / 0.05 s = 100 requests a second.
    const args = ['bench', '-s', 'DELAY', '--delay', '50', '--models', 'loop', '-m', '5', '--rates', '40,300'];
    // 1.5 s, not less: achieved is (starts − 1) over the first-to-last start, and 40 a second is
    // held at 99 % only while the last start is at most 15 ms late (5 ms over 0.5 s: a busy machine's jitter).
    const run = await runCli([
      ...args,
      '--duration',
      '1500ms',
      '--runs',
      '1',
      '--warmup',
      '0',
      '--json',
      '--export-html',
      html,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as BenchResult;
    const [curve] = result.curves ?? [];
    assert.equal(curve?.name, 'loop m5');
    assert.equal(curve.sustainedPerSec, 40);
    assert.equal(curve.knee?.offeredPerSec, 300);
    const [low, high] = curve.points;
    assert.ok(low !== undefined && high !== undefined);
    assert.ok(low.achievedPerSec >= 39, `held 40: ${low.achievedPerSec}`);
    assert.ok(high.achievedPerSec < 150, `at most about 100 a second: ${high.achievedPerSec}`);
    assert.ok(high.lateShare > 0.3, `late: ${high.lateShare}`);
    // Corrected for the wait: the response time's p99 far above the service time's, which stays near the delay.
    assert.ok(high.responseTimeMs.p99 > 4 * high.serviceTimeMs.p99, JSON.stringify(high));
    assert.ok(high.serviceTimeMs.p50 >= 50);
    assert.deepEqual(high.spectrumMs[0]?.percentile, 0);
    assert.equal(high.spectrumMs.at(-1)?.percentile, 100);
    assert.match(result.verdict.join('\n'), /loop m5 held up to 40 req\/s .*its knee: at 300 req\/s achieved/);
    const page = await readFile(html, 'utf8');
    assert.match(page, /Response time p99 against offered rate/);
    assert.match(page, /Percentile spectrum: loop m5/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('bench --rates, --duration and tune --slo refuse bad values: one error line, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['bench', '--rates', '100,fast'], /^error: --rates must be a number above 0/],
    [['bench', '--duration', '2s'], /^error: --duration goes with --rates/],
    [['bench', '--rates', '100', '--split', 'static'], /^error: --split static and --rates contradict/],
    [['bench', '--rates', '100', '--queue', 'redis://127.0.0.1:1'], /^error: --queue does not take --rates yet/],
    [['tune', '--slo', 'p95<=50ms'], /^error: --slo takes a percentile, <= and a time, like 'p99<=50ms'/],
    [['tune', '--rate', '100'], /^error: --rate goes with --slo/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});

void test("tune --slo: a target below the server's own delay is held by no configuration", async () => {
  const args = ['tune', '-s', 'DELAY', '--delay', '50', '--models', 'loop', '--slo', 'p99<=10ms'];
  const run = await runCli([...args, '--duration', '300ms', '--budget', '30', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as SloReport;
  assert.equal(report.kind, 'tune-slo');
  assert.equal(report.choice, null);
  assert.deepEqual(
    report.candidates.map((c) => [c.key, c.stop, c.heldPerSec]),
    [
      ['loop m10', 'floor', null],
      ['loop m100', 'floor', null],
      ['loop m1000', 'floor', null],
    ],
  );
  assert.match(
    report.verdict[0] ?? '',
    /^None of the configurations held any rate with p99 <= 10 ms: the service time alone/,
  );
});

void test('tune --slo --rate: the cheapest configuration that holds the rate, not the first tried', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-slo-'));
  try {
    const html = path.join(dir, 'tune.html');
    // 100 ms a response: -m 10 serves at most 100 req/s, so 200 req/s needs -m 100.
    const args = ['tune', '-s', 'DELAY', '--delay', '100', '--models', 'loop', '--slo', 'p99<=400ms', '--rate', '200'];
    const run = await runCli([...args, '--duration', '500ms', '--budget', '60', '--export-html', html]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Verdict: Use loop -m 100: the cheapest configuration that held 200 req\/s with p99 <= 400 ms\./,
    );
    assert.match(run.stdout, /^\s+loop m10\s+\d+\s+—/m);
    assert.match(run.stdout, /^\*\s+loop m100\s/m);
    assert.match(run.stdout, /^\s+loop m1000\s+0\s.*a cheaper one held/m);
    const page = await readFile(html, 'utf8');
    assert.match(page, /<td>loop m100 ★<\/td>/);
    assert.match(page, /target p99&lt;=400ms/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
