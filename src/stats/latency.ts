/**
 * Latency recording with an HDR histogram (hdr-histogram-js; microsecond resolution, 3
 * significant digits). Workers record into their own recorder and send it encoded (the
 * non-empty buckets as JSON); the coordinator merges. Only the histogram class is loaded,
 * not the package index (its compressed encoding and WebAssembly build cost ~35 ms of every
 * worker thread's start-up); a static import, so that the worker bundles (scripts/bundle.mjs)
 * can include it.
 */
import Int32HistogramModule from 'hdr-histogram-js/dist/Int32Histogram.js';

/** The members of hdr-histogram-js's JsHistogram used here. */
interface JsHistogram {
  readonly totalCount: number;
  readonly mean: number;
  readonly minNonZeroValue: number;
  readonly maxValue: number;
  readonly countsArrayLength: number;
  recordValue(valueUs: number): void;
  recordValueWithCount(valueUs: number, count: number): void;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  getValueAtPercentile(percentile: number): number;
}

// A CommonJS file: imported from ESM, its default is module.exports, whose `default` is the class.
const Int32Histogram: new (lowest: number, highest: number, digits: number) => JsHistogram =
  Int32HistogramModule.default;

/** Percentiles of a latency distribution, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

const HIGHEST_US = 3_600_000_000; // one hour

function newHistogram(): JsHistogram {
  return new Int32Histogram(1, HIGHEST_US, 3);
}

/** Records latencies of one event loop. */
export class LatencyRecorder {
  private readonly histogram = newHistogram();

  /** Record one latency in milliseconds (fractions kept to the microsecond). */
  record(ms: number): void {
    const us = Math.max(1, Math.min(HIGHEST_US, Math.round(ms * 1000)));
    this.histogram.recordValue(us);
  }

  /** The non-empty buckets as JSON `[[valueUs, count], …]`, to send across threads or processes. */
  encode(): string {
    const h = this.histogram;
    const buckets: [number, number][] = [];
    for (let i = 0; i < h.countsArrayLength; i += 1) {
      const count = h.getCountAtIndex(i);
      if (count > 0) buckets.push([h.valueFromIndex(i), count]);
    }
    return JSON.stringify(buckets);
  }

  /** Summary of what was recorded. */
  summary(): LatencySummary {
    return summarize(this.histogram);
  }
}

/** Merge encoded histograms (from encode()) and summarise the whole. */
export function mergeEncoded(encoded: readonly string[]): LatencySummary {
  const total = newHistogram();
  for (const e of encoded) {
    for (const [valueUs, count] of JSON.parse(e) as [number, number][]) total.recordValueWithCount(valueUs, count);
  }
  return summarize(total);
}

/** Several encoded histograms as one encoding (bucket counts added; pure, no histogram built). */
export function combineEncoded(encoded: readonly string[]): string {
  const counts = new Map<number, number>();
  for (const e of encoded) {
    for (const [valueUs, count] of JSON.parse(e) as [number, number][])
      counts.set(valueUs, (counts.get(valueUs) ?? 0) + count);
  }
  return JSON.stringify([...counts].sort((a, b) => a[0] - b[0]));
}

/**
 * Every figure from the one histogram: a percentile is its bucket's highest equivalent value,
 * which can lie above the largest value recorded, so percentiles are clamped to [min, max]:
 * min ≤ p50 ≤ p90 ≤ p99 ≤ max, always.
 */
function summarize(h: JsHistogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const ms = (us: number): number => Math.round(us) / 1000;
  const lowUs = h.minNonZeroValue;
  const highUs = h.maxValue;
  const at = (p: number): number => ms(Math.min(highUs, Math.max(lowUs, h.getValueAtPercentile(p))));
  return {
    count,
    min: ms(lowUs),
    mean: ms(Math.min(highUs, Math.max(lowUs, h.mean))),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: ms(highUs),
  };
}
