import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonReport } from '../src/compare/json-report.js';
import { runCli } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';

test('--rate flags: each misuse is one line naming the flag and the fix, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--arrival', 'poisson'], /^error: --arrival goes with --rate: add --rate R/],
    [['--duration', '5s'], /^error: --duration goes with --rate/],
    [['--rate', '0'], /^error: --rate must be a number above 0/],
    [['--rate', 'fast'], /^error: --rate must be a number above 0 .*'fast'/],
    [['--rate', '10', '--arrival', 'bursty'], /^error: --arrival must be one of constant, poisson/],
    [['--rate', '10', '--seed', '3'], /^error: --seed draws the gaps of --arrival poisson/],
    [['--rate', '10', '--duration', '5s', '--repeat', '2'], /^error: --duration and --repeat contradict/],
    [['--rate', '10', '--duration', 'soon'], /^error: --duration must be a time above 0/],
    [['--rate', '1000000', '--duration', '24h'], /^error: --rate × --duration is more than/],
    [['--rate', '10', '--split', 'static'], /^error: --split static and --rate contradict/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['BR', '--no-save', '--no-embedded', '-s', 'http://127.0.0.1:1/flags', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--rate --duration --json: the list repeated for the duration, both latencies and the schedule by name', async () => {
  await withServer({}, async (s) => {
    const args = ['-s', s.url, '--no-save', '--model', 'loop', '--rate', '200', '--duration', '0.5s', '--json'];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as JsonReport;
    assert.equal(json.total, 100, '200/s for 0.5 s');
    assert.equal(json.ok, 100, 'the 20 default codes, five times over');
    assert.equal(s.stats.requests, 100);
    assert.ok(json.rate !== undefined && json.responseTimeMs !== undefined && json.serviceTimeMs !== undefined);
    assert.equal(json.rate.targetPerSec, 200);
    assert.equal(json.rate.arrival, 'constant');
    assert.equal(json.rate.seed, null);
    assert.equal(json.rate.durationMs, 500);
    assert.equal(json.rate.started, 100);
    assert.ok(json.rate.achievedPerSec > 0 && json.rate.achievedPerSec <= 200 * 1.05, `${json.rate.achievedPerSec}/s`);
    assert.equal(json.responseTimeMs.count, 100);
    assert.equal(json.serviceTimeMs.count, 100);
    assert.deepEqual(json.latencyMs, json.responseTimeMs, 'under --rate latencyMs is the response time');
    assert.ok(json.responseTimeMs.max >= json.serviceTimeMs.max - 0.01);
  });
});

test('--arrival poisson --seed: the same seed gives the same slots; the text report says rate, late and both times', async () => {
  await withServer({}, async (s) => {
    const args = ['-s', s.url, '--no-save', '--model', 'loop', '--rate', '300', '--arrival', 'poisson'];
    const runs = await Promise.all([
      runCli([...args, '--seed', '42', '--duration', '0.3s', '--json']),
      runCli([...args, '--seed', '42', '--duration', '0.3s', '--json']),
    ]);
    const [a, b] = runs.map((r) => JSON.parse(r.stdout) as JsonReport);
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(a.total, b.total, 'the slots within the duration come from the seed alone');
    assert.equal(a.rate?.seed, 42);
    const text = await runCli([...args, '--seed', '42', '-m', '4']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Rate: 300 requests\/s in total \(poisson arrivals, seed 42\)\.$/m);
    assert.match(
      text.stdout,
      /^Requests\/s: \d+ .* · response time p50 [\d.]+, p90 [\d.]+, p99 [\d.]+, max [\d.]+ ms$/m,
    );
    assert.match(
      text.stdout,
      /^Rate: 300\/s asked, [\d.]+\/s achieved · 20 sent, (none late|\d+ late \([\d.]+%, by p50 .* ms\))$/m,
    );
    assert.match(
      text.stdout,
      /^Service time \(from the actual send\) p50 [\d.]+, p90 [\d.]+, p99 [\d.]+, max [\d.]+ ms$/m,
    );
    assert.match(text.stdout, /^Start delay \(send − intended start\) p50 [\d.]+, p99 [\d.]+, max [\d.]+ ms$/m);
  });
});

test('serve --pause-after --pause-ms: a misuse is one line, exit 2', async () => {
  const bad = await runCli(['serve', '--pause-ms', '100']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --pause-ms goes with --pause-after N/);
  const zero = await runCli(['serve', '--pause-after', '0']);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /^error: --pause-after must be a whole number/);
});
