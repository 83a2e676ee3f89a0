/**
 * Latency recording with HDR histogram buckets (hdr-histogram-js's bucketing: 1 µs to one hour,
 * 3 significant digits). Each recorder keeps only its non-empty buckets (bucket → count) and
 * its exact extremes: a hdr-histogram-js histogram is an array of 23,552 counters that its
 * mean, percentiles and any encoding walk in full, cold code that a short run pays at its end,
 * in each worker; the figures are the same (test/latency.test.ts holds them to
 * hdr-histogram-js's own). Workers send their buckets encoded (JSON); the coordinator merges.
 * Only the histogram class is loaded, not the package index (its compressed encoding and
 * WebAssembly build would weigh on every worker thread's start-up); a static import, so that
 * the worker bundles (scripts/bundle.ts) can include it.
 */
import Int32HistogramModule from 'hdr-histogram-js/dist/Int32Histogram.js';

/** The members of hdr-histogram-js's JsHistogram used here: its bucket arithmetic. */
interface BucketMath {
  lowestEquivalentValue(valueUs: number): number;
  highestEquivalentValue(valueUs: number): number;
  medianEquivalentValue(valueUs: number): number;
}

// A CommonJS file: imported from ESM, its default is module.exports, whose `default` is the class.
const Int32Histogram: new (lowest: number, highest: number, digits: number) => BucketMath =
  Int32HistogramModule.default;

/** Percentiles of a latency distribution, in milliseconds. */
export interface LatencySummary {
  /** Latencies recorded. */
  readonly count: number;
  /** The least, in milliseconds. */
  readonly min: number;
  /** The mean, in milliseconds. */
  readonly mean: number;
  /** The median, in milliseconds. */
  readonly p50: number;
  /** The 90th percentile, in milliseconds. */
  readonly p90: number;
  /** The 99th percentile, in milliseconds. */
  readonly p99: number;
  /** The most, in milliseconds. */
  readonly max: number;
}

/** Highest latency tracked (one hour), in µs; the histogram's range and precision. */
export const HIGHEST_US = 3_600_000_000;
/** Significant digits of a bucket. */
export const DIGITS = 3;

/** Where a value falls: one histogram of the configuration every recorder shares, used for its arithmetic only. */
let math: BucketMath | undefined;
function bucketMath(): BucketMath {
  math ??= new Int32Histogram(1, HIGHEST_US, DIGITS);
  return math;
}

/** Counts by bucket (each bucket's lowest value, in µs) and the exact extremes of what was added. */
class Buckets {
  readonly counts = new Map<number, number>();
  total = 0;
  minUs = Infinity;
  maxUs = 0;

  add(valueUs: number, count: number): void {
    const bucket = bucketMath().lowestEquivalentValue(valueUs);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.total += count;
    if (valueUs < this.minUs) this.minUs = valueUs;
    if (valueUs > this.maxUs) this.maxUs = valueUs;
  }

  /** `[[bucketUs, count], …]` by bucket, lowest first. */
  sorted(): [number, number][] {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }
}

/** Records latencies of one event loop. */
export class LatencyRecorder {
  private readonly buckets = new Buckets();

  /** Record one latency in milliseconds (fractions kept to the microsecond). */
  record(ms: number): void {
    this.buckets.add(Math.max(1, Math.min(HIGHEST_US, Math.round(ms * 1000))), 1);
  }

  /** The non-empty buckets as JSON `[[valueUs, count], …]`, to send across threads or processes. */
  encode(): string {
    return JSON.stringify(this.buckets.sorted());
  }

  /** Summary of what was recorded. */
  summary(): LatencySummary {
    return summarize(this.buckets);
  }
}

/** Merge encoded histograms (from encode()) and summarise the whole. */
export function mergeEncoded(encoded: readonly string[]): LatencySummary {
  return summarize(decodeAll(encoded));
}

/** Several encoded histograms as one encoding (bucket counts added). */
export function combineEncoded(encoded: readonly string[]): string {
  return JSON.stringify(decodeAll(encoded).sorted());
}

/** The buckets of several encodings added up (a bucket's value is its lowest, so it stays in its bucket). */
function decodeAll(encoded: readonly string[]): Buckets {
  const total = new Buckets();
  for (const e of encoded) {
    for (const [valueUs, count] of JSON.parse(e) as [number, number][]) total.add(valueUs, count);
  }
  return total;
}

/** One point of a percentile spectrum: the latency at or below which `percentile` % of requests fell. */
export interface SpectrumPoint {
  /** The percentile, e.g. 99.9. */
  readonly percentile: number;
  /** The latency at it, in milliseconds. */
  readonly ms: number;
}

/**
 * The percentiles of a spectrum, HdrHistogram's way of showing a tail: each step a tenfold
 * (or twofold) smaller share of requests above it.
 */
export const SPECTRUM_PERCENTILES = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999] as const;

/**
 * The percentile spectrum of encoded histograms merged: min (0), every SPECTRUM_PERCENTILES
 * step that leaves at least one request above it, then max (100). Empty when nothing was recorded.
 */
export function spectrumOf(encoded: readonly string[]): SpectrumPoint[] {
  const b = decodeAll(encoded);
  if (b.total === 0) return [];
  const at = percentileAt(b);
  const steps = SPECTRUM_PERCENTILES.filter((p) => p === 0 || b.total * (1 - p / 100) >= 1);
  return [
    ...steps.map((p) => ({ percentile: p, ms: p === 0 ? Math.round(b.minUs) / 1000 : at(p) })),
    { percentile: 100, ms: Math.round(b.maxUs) / 1000 },
  ];
}

/**
 * A percentile from the buckets, as hdr-histogram-js computes it: its bucket's highest
 * equivalent value, clamped to [min, max] (that value can lie above the largest recorded), in ms.
 */
function percentileAt(b: Buckets): (percentile: number) => number {
  const hdr = bucketMath();
  const sorted = b.sorted();
  const ms = (us: number): number => Math.round(us) / 1000;
  return (percentile) => {
    const wanted = Math.max(Math.floor((percentile / 100) * b.total + 0.5), 1);
    let seen = 0;
    for (const [bucketUs, n] of sorted) {
      seen += n;
      if (seen >= wanted) return ms(Math.min(b.maxUs, Math.max(b.minUs, hdr.highestEquivalentValue(bucketUs))));
    }
    return ms(b.maxUs);
  };
}

/**
 * Every figure from the buckets, as hdr-histogram-js computes it: a percentile is its bucket's
 * highest equivalent value, the mean weighs each bucket's middle value. Percentiles are
 * clamped to [min, max]: min ≤ p50 ≤ p90 ≤ p99 ≤ max, always.
 */
function summarize(b: Buckets): LatencySummary {
  const count = b.total;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const hdr = bucketMath();
  const ms = (us: number): number => Math.round(us) / 1000;
  const clamp = (us: number): number => Math.min(b.maxUs, Math.max(b.minUs, us));
  const at = percentileAt(b);
  const sumUs = b.sorted().reduce((sum, [bucketUs, n]) => sum + hdr.medianEquivalentValue(bucketUs) * n, 0);
  return {
    count,
    min: ms(b.minUs),
    mean: ms(clamp(sumUs / count)),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: ms(b.maxUs),
  };
}
