import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonText, rankSamples, winnerKeys } from '../src/compare/ranking.js';
import {
  decide,
  medianRatio,
  outlierIndex,
  quantile,
  ratioText,
  relativeHalfWidth,
} from '../src/compare/ratio-stat.js';

void test('the statistic: ratio of medians, and a bootstrap interval that is the same for the same runs', () => {
  const a = [1280, 1300, 1260, 1290, 1270];
  const b = [1000, 1010, 990, 1005, 995];
  const ci = medianRatio(a, b);
  assert.ok(ci !== null);
  assert.equal(ci.ratio, 1280 / 1000, 'median 1280 over median 1000');
  // Every resampled median lies between the samples' extremes, so does every resampled ratio.
  assert.ok(ci.lo >= 1260 / 1010 && ci.hi <= 1300 / 990, `${ci.lo}–${ci.hi}`);
  assert.ok(ci.lo < ci.ratio && ci.ratio < ci.hi);
  assert.deepEqual(medianRatio(a, b), ci, 'seeded: reproducible');
  assert.equal(ratioText({ ratio: 1.587, lo: 1.451, hi: 1.724 }), '1.59× (1.45–1.72)');
  assert.equal(relativeHalfWidth({ ratio: 2, lo: 1.8, hi: 2.2 }).toFixed(3), '0.100');
  assert.equal(medianRatio([1], []), null);
});

void test('the statistic: quantiles interpolate', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantile([10, 20], 0.25), 12.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.975), 4.9);
});

void test('the decision: faster or slower only where the interval excludes 1, and never on fewer than 3 runs', () => {
  assert.equal(decide({ ratio: 1.3, lo: 1.1, hi: 1.5 }, 3), 'faster');
  assert.equal(decide({ ratio: 0.8, lo: 0.7, hi: 0.95 }, 5), 'slower');
  assert.equal(decide({ ratio: 1.2, lo: 0.98, hi: 1.4 }, 5), 'same');
  assert.equal(decide({ ratio: 2, lo: 2, hi: 2 }, 2), 'few runs');
  assert.equal(decide(null, 5), 'few runs');
});

void test('outliers: one run far from the others is left out, never more than one, and not below 4 runs', () => {
  assert.equal(outlierIndex([1000, 1010, 990, 1005, 300]), 4);
  assert.equal(outlierIndex([1000, 1010, 990, 300]), 3);
  assert.equal(outlierIndex([1000, 1010, 300]), null, 'three runs: no rule can say which is wrong');
  assert.equal(outlierIndex([1000, 1100, 900, 1050, 950]), null, 'ordinary spread');
  assert.equal(outlierIndex([1000, 1000, 1000, 1000, 1020]), null, 'within 5 % of identical runs');
  assert.equal(outlierIndex([1000, 1000, 1000, 1000, 1500]), 4);
});

void test('ranking: within each group, the fastest by median against every other, told apart by the interval', () => {
  const r = rankSamples([
    { key: 'loop m100', label: 'loop m100', group: 'none h1', values: [1000, 1010, 990, 1005, 995] },
    { key: 'workers w2', label: 'workers w2', group: 'none h1', values: [1280, 1300, 1260, 1290, 1270] },
    { key: 'loop decode', label: 'loop m100 decode', group: 'decode h1', values: [100, 120, 110] },
    { key: 'workers decode', label: 'workers w2 decode', group: 'decode h1', values: [105, 125, 112] },
  ]);
  assert.equal(r.groups.length, 2, 'decode is never compared with none');
  const [none, decode] = r.groups;
  assert.equal(none?.fastestKey, 'workers w2');
  assert.equal(none?.winnerKey, 'workers w2');
  assert.match(
    comparisonText('workers w2', none.comparisons[0]!),
    /^workers w2 ran 1\.28× \(1\.\d\d–1\.\d\d\) as fast as loop m100$/,
  );
  assert.equal(decode?.fastestKey, 'workers decode');
  assert.equal(decode?.winnerKey, null);
  assert.match(
    comparisonText('workers w2 decode', decode.comparisons[0]!),
    /^workers w2 decode and loop m100 decode are indistinguishable \(1\.\d\d× \([\d.]+–[\d.]+\); the interval includes 1\)$/,
  );
  assert.deepEqual(winnerKeys(r), ['workers w2']);
  const few = rankSamples([
    { key: 'a', label: 'a', group: 'g', values: [200, 210] },
    { key: 'b', label: 'b', group: 'g', values: [100, 101] },
  ]);
  assert.equal(few.groups[0]?.winnerKey, null, 'two runs each decide nothing');
  assert.equal(few.groups[0]?.comparisons[0]?.decision, 'few runs');
  assert.deepEqual(rankSamples([{ key: 'a', label: 'a', group: 'g', values: [] }]).groups, []);
});
