/**
 * The latency–throughput curves of bench --rates as a table (pure): per configuration, one row
 * per offered rate with the achieved rate, the late share, the response time's percentiles and
 * the service time's, the knee marked. Shared by the text, Markdown and HTML reports.
 */
import type { Curve, CurvePoint } from '../compare/curve-types.js';
import type { BenchResult } from '../compare/types.js';
import { HELD_SHARE, LATE_SHARE_BOUND, P99_JUMP, P99_JUMP_FLOOR_MS } from '../compare/curve.js';
import { num } from './bench-format.js';

/** Columns of the curve table: header and how a point fills the cell (all right-aligned but the first). */
export const CURVE_COLUMNS: readonly { header: string; cell: (p: CurvePoint) => string }[] = [
  { header: 'offered/s', cell: (p) => String(p.offeredPerSec) },
  { header: 'achieved/s', cell: (p) => num(p.achievedPerSec) },
  { header: 'late', cell: (p) => `${(p.lateShare * 100).toFixed(1)}%` },
  { header: 'p50 ms', cell: (p) => num(p.responseTimeMs.p50) },
  { header: 'p90', cell: (p) => num(p.responseTimeMs.p90) },
  { header: 'p99', cell: (p) => num(p.responseTimeMs.p99) },
  { header: 'max', cell: (p) => num(p.responseTimeMs.max) },
  { header: 'service p50', cell: (p) => num(p.serviceTimeMs.p50) },
  { header: 'service p99', cell: (p) => num(p.serviceTimeMs.p99) },
];

/** Header and rows of every curve: the configuration's name on its first row, `knee` on the rate it did not hold. */
export function curveRows(curves: readonly Curve[]): { header: string[]; rows: string[][] } {
  const header = ['configuration', ...CURVE_COLUMNS.map((c) => c.header), ''];
  const rows = curves.flatMap((curve) =>
    curve.points.map((p, i) => [
      i === 0 ? curve.name : '',
      ...CURVE_COLUMNS.map((c) => c.cell(p)),
      curve.knee?.offeredPerSec === p.offeredPerSec ? `knee (${curve.knee.reason})` : '',
    ]),
  );
  return { header, rows };
}

/** The legend under the curve table. */
export const CURVE_LEGEND =
  'Latency–throughput curves: medians over the good runs at each offered rate. p50…max: the response time, from each ' +
  "request's intended start (corrected for coordinated omission); service: from its actual send. knee: the first rate " +
  `not held (achieved below ${HELD_SHARE * 100} % of offered, more than ${LATE_SHARE_BOUND * 100} % of requests late, ` +
  `or p99 over ${P99_JUMP}× and ${P99_JUMP_FLOOR_MS} ms above the lowest rate's).`;

/** The curves of a bench, or nothing without rates. */
export function curvesOfResult(result: BenchResult): readonly Curve[] {
  return result.curves ?? [];
}
