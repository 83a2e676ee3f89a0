import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonText, meanSd, rankSamples } from '../src/compare/ranking.js';

test('ranking: a ratio of means with its propagated spread, hyperfine style, when the runs are apart', () => {
  const r = rankSamples([
    { key: 'loop m100', label: 'loop m100', values: [1000, 1010, 990, 1005, 995] },
    { key: 'workers w2', label: 'workers w2', values: [1280, 1300, 1260, 1290, 1270] },
  ]);
  assert.equal(r.fastestKey, 'workers w2');
  assert.equal(r.winnerKey, 'workers w2');
  const [c] = r.comparisons;
  assert.ok(c !== undefined && c.separated);
  const a = meanSd([1280, 1300, 1260, 1290, 1270]);
  const b = meanSd([1000, 1010, 990, 1005, 995]);
  assert.ok(Math.abs(c.ratio - a.mean / b.mean) < 1e-12);
  assert.equal(comparisonText('workers w2', c), 'workers w2 ran 1.28 ± 0.02 times faster than loop m100');
});

test('ranking: overlapping runs are indistinguishable and nobody wins; too few runs cannot be told apart', () => {
  const overlap = rankSamples([
    { key: 'a', label: 'a', values: [100, 120, 110] },
    { key: 'b', label: 'b', values: [105, 125, 112] },
    { key: 'c', label: 'c', values: [10, 11, 12] },
  ]);
  assert.equal(overlap.fastestKey, 'b');
  assert.equal(overlap.winnerKey, null, 'b is not told apart from a');
  assert.match(
    comparisonText('b', overlap.comparisons[0]!),
    /^b and a are indistinguishable \(1\.\d\d ± 0\.\d\d; their runs overlap\)$/,
  );
  assert.ok(overlap.comparisons[1]?.separated, 'c is clearly slower');
  const few = rankSamples([
    { key: 'a', label: 'a', values: [200, 210] },
    { key: 'b', label: 'b', values: [100, 101] },
  ]);
  assert.equal(few.winnerKey, null, 'two runs each: all of one above all of the other happens 1 time in 6 by chance');
  assert.equal(few.comparisons[0]?.why, 'few runs');
  assert.equal(rankSamples([{ key: 'a', label: 'a', values: [] }]).fastestKey, null);
});
