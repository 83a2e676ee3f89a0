import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  disagreementFlags,
  isNoisy,
  mean,
  meanPerIndex,
  median,
  rangesOverlap,
  ratio,
  runFlags,
  spreadOf,
  spreadRatio,
} from '../src/compare/sample-stats.js';
import { fakeReport } from './helpers/bench-fixtures.js';

void test('median of odd and even counts, unsorted input, empty', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

void test('mean, spread and spread ratio', () => {
  assert.equal(mean([1, 2, 6]), 3);
  assert.deepEqual(spreadOf([110, 90, 100, 105, 95]), { median: 100, min: 90, max: 110 });
  assert.equal(spreadRatio({ median: 100, min: 90, max: 110 }), 0.2);
  assert.equal(spreadRatio(spreadOf([42])), 0);
});

void test('noisy only when the range exceeds 10 % of the median', () => {
  assert.equal(isNoisy({ median: 100, min: 95, max: 105 }), false); // exactly 10 %
  assert.equal(isNoisy({ median: 100, min: 95, max: 105.5 }), true);
  assert.equal(isNoisy({ median: 100, min: 95, max: 105.5 }, 0.2), false);
});

void test('ratio and range overlap', () => {
  assert.equal(ratio(3000, 1500), 2);
  assert.equal(ratio(1, 0), null);
  assert.equal(ratio(Number.NaN, 3), null);
  assert.equal(rangesOverlap({ median: 5, min: 4, max: 6 }, { median: 7, min: 6, max: 8 }), true);
  assert.equal(rangesOverlap({ median: 5, min: 4, max: 5.9 }, { median: 7, min: 6, max: 8 }), false);
});

void test('meanPerIndex averages rows of different lengths position by position', () => {
  assert.deepEqual(
    meanPerIndex([
      [0.2, 0.4],
      [0.4, 0.8, 1],
    ]),
    [0.30000000000000004, 0.6000000000000001, 1],
  );
  assert.deepEqual(meanPerIndex([]), []);
});

void test('runFlags: failed, interrupted, counts that do not add up; none for a good run', () => {
  assert.deepEqual(runFlags(fakeReport()), []);
  assert.deepEqual(runFlags(null, 'download exit code 1'), ['failed: download exit code 1']);
  assert.deepEqual(runFlags(fakeReport({ failure: 'worker 2 died' })), ['failed: worker 2 died']);
  assert.deepEqual(runFlags(fakeReport({ interrupted: true })), ['interrupted']);
  const [flag] = runFlags(fakeReport({ total: 194, ok: 190, notFound: 2 }));
  assert.match(flag ?? '', /counts do not add up: .* = 192, not 194/);
});

void test('disagreementFlags: the odd run out is flagged against the majority', () => {
  const good = fakeReport();
  const odd = fakeReport({ ok: 193, errors: 1 });
  const flags = disagreementFlags([good, odd, good, null]);
  assert.equal(flags[0], '');
  assert.match(flags[1] ?? '', /^counts differ from the other runs: total 194, ok 193, .*errors 1/);
  assert.equal(flags[2], '');
  assert.equal(flags[3], '');
});

void test('disagreementFlags: without a majority every run is flagged', () => {
  const flags = disagreementFlags([fakeReport(), fakeReport({ ok: 193, errors: 1 })]);
  assert.equal(flags.length, 2);
  for (const f of flags) assert.match(f, /no majority/);
  assert.deepEqual(disagreementFlags([fakeReport(), fakeReport()]), ['', '']);
});
