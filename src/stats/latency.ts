/**
 * Latency recording with an HDR histogram (microsecond resolution, 3 significant digits).
 * Workers record into their own recorder and send it encoded; the coordinator merges.
 */
import * as hdr from 'hdr-histogram-js';

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

function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 'packed',
    useWebAssembly: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/** Records latencies of one event loop. */
export class LatencyRecorder {
  private readonly histogram = newHistogram();

  /** Record one latency in milliseconds (fractions kept to the microsecond). */
  record(ms: number): void {
    const us = Math.max(1, Math.min(HIGHEST_US, Math.round(ms * 1000)));
    this.histogram.recordValue(us);
  }

  /** Compressed base64 form, to send across threads or processes. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }

  /** Summary of what was recorded. */
  summary(): LatencySummary {
    return summarize(this.histogram);
  }
}

/** Merge encoded histograms (from encode()) and summarise the whole. */
export function mergeEncoded(encoded: readonly string[]): LatencySummary {
  const total = newHistogram();
  for (const e of encoded) total.add(hdr.decodeFromCompressedBase64(e, 'packed', false));
  return summarize(total);
}

function summarize(h: hdr.Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    count,
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}
