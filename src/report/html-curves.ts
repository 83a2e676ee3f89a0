/**
 * The charts of bench --rates (pure): p99 and p50 of the response time over the offered rate,
 * one line per configuration, the achieved rate against the offered one, and per configuration
 * an HdrHistogram-style percentile spectrum (latency over 1/(1 − percentile), one line per
 * offered rate). Log scales: rates and latencies span orders of magnitude.
 */
import type { Curve, CurvePoint } from '../compare/curve-types.js';
import type { SpectrumPoint } from '../stats/latency.js';
import { lineChartSvg, type LineSeries, type Tick } from './html-charts.js';

/** The tooltip of a curve's point: its offered rate, and the knee's reason there. */
function rateTip(curve: Curve, p: CurvePoint): string {
  const knee = curve.knee?.offeredPerSec === p.offeredPerSec ? ` — knee: ${curve.knee.words}` : '';
  return `offered ${p.offeredPerSec} req/s, achieved ${Math.round(p.achievedPerSec)}${knee}`;
}

/** A line per configuration of `pick(point)` over the offered rate. */
function perConfiguration(curves: readonly Curve[], pick: (p: CurvePoint) => number): LineSeries[] {
  return curves.map((c) => ({
    name: c.name,
    points: c.points.map((p) => ({ x: p.offeredPerSec, y: pick(p), tip: rateTip(c, p) })),
  }));
}

/** The response time's p99 (or p50) over the offered rate. */
function percentileChart(curves: readonly Curve[], which: 'p50' | 'p99'): string {
  return lineChartSvg({
    title: `Response time ${which} against offered rate`,
    xLabel: 'offered requests / s (log scale)',
    yLabel: `${which} ms (log scale)`,
    xName: 'offered',
    yUnit: 'ms',
    yLog: true,
    series: perConfiguration(curves, (p) => p.responseTimeMs[which]),
  });
}

/** The achieved rate over the offered one, with the line where they are equal. */
function achievedChart(curves: readonly Curve[]): string {
  const rates = [...new Set(curves.flatMap((c) => c.points.map((p) => p.offeredPerSec)))].sort((a, b) => a - b);
  const offered: LineSeries = {
    name: 'offered',
    color: '#9aa3b2',
    dashed: true,
    points: rates.map((x) => ({ x, y: x })),
  };
  return lineChartSvg({
    title: 'Achieved rate against offered rate',
    xLabel: 'offered requests / s (log scale)',
    yLabel: 'achieved requests / s (log scale)',
    xName: 'offered',
    yUnit: 'req/s',
    yLog: true,
    series: [...perConfiguration(curves, (p) => p.achievedPerSec), offered],
  });
}

/** Where a percentile lies on the spectrum's x axis: 1 / (1 − p); the max one decade past the last step. */
export function spectrumX(spectrum: readonly SpectrumPoint[], p: SpectrumPoint): number {
  if (p.percentile < 100) return 1 / (1 - p.percentile / 100);
  const steps = spectrum.filter((q) => q.percentile < 100).map((q) => 1 / (1 - q.percentile / 100));
  return 10 * Math.max(1, ...steps);
}

/** Ticks of the spectrum's x axis: 0 %, 90 %, 99 %, 99.9 %… up to `xMax`. */
function percentileTicks(xMax: number): Tick[] {
  const ticks: Tick[] = [];
  for (let x = 1, nines = 0; x <= xMax * 1.0001; x *= 10, nines++)
    ticks.push({ value: x, label: nines === 0 ? '0%' : `${(100 - 100 / x).toFixed(Math.max(0, nines - 2))}%` });
  return ticks;
}

/** One configuration's percentile spectrum: a line per offered rate. */
function spectrumChart(curve: Curve): string {
  const series: LineSeries[] = curve.points.map((p) => ({
    name: `${p.offeredPerSec} req/s`,
    points: p.spectrumMs.map((q) => ({
      x: spectrumX(p.spectrumMs, q),
      y: q.ms,
      tip: q.percentile === 100 ? 'max' : `p${q.percentile}`,
    })),
  }));
  const xMax = Math.max(10, ...series.flatMap((s) => s.points.map((q) => q.x)));
  return lineChartSvg({
    title: `Percentile spectrum: ${curve.name}`,
    xLabel: 'percentile (log scale of 1 / (1 − percentile)); the last point of a line is its max',
    yLabel: 'response time ms (log scale)',
    xName: 'percentile',
    yUnit: 'ms',
    yLog: true,
    xTicks: percentileTicks(xMax),
    series,
  });
}

/** The cards of the curve charts, then a spectrum per configuration that has one; empty without curves. */
export function curveCards(curves: readonly Curve[]): string[] {
  const drawn = curves.filter((c) => c.points.length > 0);
  if (drawn.length === 0) return [];
  const spectra = drawn.filter((c) => c.points.some((p) => p.spectrumMs.length > 0)).map(spectrumChart);
  return [percentileChart(drawn, 'p99'), percentileChart(drawn, 'p50'), achievedChart(drawn), ...spectra];
}
