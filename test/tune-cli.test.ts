import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TuneReport } from '../src/compare/tune-run.js';
import { runCli } from './helpers/run-cli.js';

void test(
  'tune finds the obvious best: on DELAY with 20 codes, 20 or more in flight',
  { timeout: 120_000 },
  async () => {
    // 50 ms per response and 20 codes: max-req 1 takes 20 rounds, 7 takes 3, 20 and more take one.
    const run = await runCli([
      'tune',
      '--model',
      'loop',
      '-s',
      'DELAY',
      '--delay',
      '50',
      '-a',
      '-l',
      '20',
      '--repeat',
      '1',
      '--budget',
      '10',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as TuneReport;
    assert.ok(report.best !== null);
    assert.ok(report.best.point.maxReq >= 20, `best max-req ${report.best.point.maxReq}`);
    const one = report.trials.find((t) => t.point.maxReq === 1);
    assert.ok(
      one !== undefined && one.score.median * 5 < report.best.score.median,
      'one in flight is several times slower',
    );
    assert.ok(report.spentMs < 10_000 + 5_000, `spent ${report.spentMs} ms of 10 s`);
    assert.match(run.stderr, /^tune \[\d+\/~\d+, ETA \d+s\]: loop -m 1: \d+ req\/s/m);
  },
);

void test('tune: text report with a recommendation; bad budget is a usage error', { timeout: 60_000 }, async () => {
  const bad = await runCli(['tune', '--budget', 'soon']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "error: --budget must be a whole number from 1 to 86400, not 'soon'\n");
  const run = await runCli(['tune', '--model', 'loop', '-l', '10', '--repeat', '1', '--budget', '3']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Recommended: flagfetch download --model loop -m \d+/);
  assert.match(run.stdout, /each run a fresh process/);
});

void test('tune --works none,decode: one search per kind, each trial doing its work', { timeout: 60_000 }, async () => {
  const args = ['tune', '--model', 'loop', '-l', '10', '--repeat', '1', '--budget', '4', '--works', 'none,decode'];
  const run = await runCli([...args, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { kind: string; reports: TuneReport[] };
  assert.equal(out.kind, 'tune-works');
  assert.deepEqual(
    out.reports.map((r) => [r.work, r.budgetMs]),
    [
      ['none', 2000],
      ['decode', 2000],
    ],
  );
  assert.match(run.stderr, /with --work decode, budget 2s/);
});
