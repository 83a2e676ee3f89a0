/**
 * Inline SVG line charts built by our own code (pure): a log x axis, a linear or log y axis,
 * min–max whiskers (the bar chart is in html-bar-chart.ts). No script, no external resources.
 */
import { PAD, W, color, esc, legend, legendHeight, niceTicks, r, svg, text, tickLabel } from './html-svg.js';

/** One point of a line; lo/hi draw a whisker (e.g. min–max of the runs). */
export interface LinePoint {
  readonly x: number;
  readonly y: number;
  readonly lo?: number | undefined;
  readonly hi?: number | undefined;
  /** What the point is, for its tooltip, instead of `xName x`. */
  readonly tip?: string | undefined;
}

/** A named line. */
export interface LineSeries {
  readonly name: string;
  /** Colour of the line; the palette's by position when absent. */
  readonly color?: string | undefined;
  /** Dashed, to tell a second measure of the same thing apart (p50 beside p99). */
  readonly dashed?: boolean | undefined;
  readonly points: readonly LinePoint[];
}

/** A tick of an axis: where, and what it says. */
export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** A line chart's content. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** What x is, for tooltips: `max-req`. */
  readonly xName: string;
  /** Unit of y, for tooltips: `req/s`. */
  readonly yUnit: string;
  /** What a whisker spans, for tooltips (default: `runs`, their min–max). */
  readonly rangeName?: string | undefined;
  /** A log y axis (latencies over orders of magnitude); default linear from 0. */
  readonly yLog?: boolean | undefined;
  /** The x axis's ticks, instead of powers of ten and the x values (e.g. percentiles). */
  readonly xTicks?: readonly Tick[] | undefined;
  readonly series: readonly LineSeries[];
}

const H = 330;

/** Scales and ticks of a chart. */
interface Axes {
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly number[];
  readonly plotW: number;
  readonly plotH: number;
}

/** Powers of ten from the one at or below `lo` to the one at or above `hi` (both positive), two at least. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [10 ** Math.floor(Math.log10(lo))];
  while ((out[out.length - 1] as number) < hi * 0.9999 || out.length < 2)
    out.push((out[out.length - 1] as number) * 10);
  return out;
}

/**
 * The log10 x axis runs from the power of ten at or below the smallest x (10 when the smallest
 * is 10, not 1); the y axis is linear from 0, or log from the decade below the smallest y.
 */
function axesOf(chart: LineChart): Axes {
  const pts = chart.series.flatMap((s) => s.points);
  const xs = pts.map((p) => Math.max(1, p.x));
  const xMin = 10 ** Math.floor(Math.log10(xs.length === 0 ? 1 : Math.min(...xs)));
  const xMax = Math.max(xMin * 10, ...xs, ...(chart.xTicks ?? []).map((t) => t.value));
  const ys = pts.flatMap((p) => [p.y, p.hi ?? p.y, p.lo ?? p.y]);
  const positive = ys.filter((y) => y > 0);
  const yTicks =
    chart.yLog !== true
      ? niceTicks(Math.max(...ys, 0))
      : positive.length === 0
        ? [1, 10]
        : decades(Math.min(...positive), Math.max(...positive));
  const yLo = chart.yLog === true ? (yTicks[0] as number) : 0;
  const yHi = yTicks[yTicks.length - 1] as number;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom - legendHeight(chart.series.map((s) => s.name));
  const frac = (v: number, lo: number, hi: number): number =>
    (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  const yFrac = (y: number): number =>
    chart.yLog === true ? frac(Math.max(yLo, y), yLo, yHi) : y / (yHi === 0 ? 1 : yHi);
  return {
    sx: (x) => PAD.left + plotW * frac(Math.max(1, x), xMin, xMax),
    sy: (y) => PAD.top + plotH - plotH * yFrac(y),
    xTicks: chart.xTicks ?? logTicks(xMin, xMax, xs).map((value) => ({ value, label: tickLabel(value) })),
    yTicks,
    plotW,
    plotH,
  };
}

/** The grid, tick labels and axis labels. */
function frame(chart: LineChart, a: Axes): string[] {
  const parts: string[] = [text(PAD.left, 20, chart.title, 'class="ct"')];
  for (const t of a.yTicks) {
    parts.push(
      `<line class="grid" x1="${r(PAD.left)}" x2="${r(W - PAD.right)}" y1="${r(a.sy(t))}" y2="${r(a.sy(t))}"/>`,
    );
    parts.push(text(PAD.left - 6, a.sy(t) + 4, tickLabel(t), 'class="tk" text-anchor="end"'));
  }
  for (const t of a.xTicks) {
    const x = r(a.sx(t.value));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${r(PAD.top)}" y2="${r(PAD.top + a.plotH)}"/>`);
    parts.push(text(a.sx(t.value), PAD.top + a.plotH + 16, t.label, 'class="tk" text-anchor="middle"'));
  }
  parts.push(text(PAD.left + a.plotW / 2, PAD.top + a.plotH + 36, chart.xLabel, 'class="al" text-anchor="middle"'));
  const mid = PAD.top + a.plotH / 2;
  parts.push(text(14, mid, chart.yLabel, `class="al" text-anchor="middle" transform="rotate(-90 14 ${r(mid)})"`));
  return parts;
}

/** A line chart: log x, linear (or log) y, a dot with a tooltip per point, whiskers, a legend. */
export function lineChartSvg(chart: LineChart): string {
  const a = axesOf(chart);
  const parts = frame(chart, a);
  chart.series.forEach((s, i) => {
    const c = s.color ?? color(i);
    const sorted = [...s.points].sort((p, q) => p.x - q.x);
    if (sorted.length > 1) {
      parts.push(
        `<polyline class="series" fill="none" stroke="${c}" stroke-width="2.5"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''} ` +
          `points="${sorted.map((p) => `${r(a.sx(p.x))},${r(a.sy(p.y))}`).join(' ')}"/>`,
      );
    }
    for (const p of sorted) {
      const x = r(a.sx(p.x));
      if (p.lo !== undefined && p.hi !== undefined)
        parts.push(
          `<line stroke="${c}" stroke-width="1.5" x1="${x}" x2="${x}" y1="${r(a.sy(p.lo))}" y2="${r(a.sy(p.hi))}"/>`,
        );
      parts.push(
        `<circle cx="${x}" cy="${r(a.sy(p.y))}" r="${s.dashed === true ? 3 : 4}" fill="${c}"><title>${esc(pointTip(chart, s.name, p))}</title></circle>`,
      );
    }
  });
  parts.push(
    legend(
      chart.series.map((s) => s.name),
      H - legendHeight(chart.series.map((s) => s.name)) + 4,
      chart.series.map((s, i) => s.color ?? color(i)),
    ),
  );
  return svg(W, H, chart.title, parts);
}

/** `workers w2 dynamic, max-req 100: 9120 req/s (runs 8900–9300 req/s)`. */
function pointTip(chart: LineChart, name: string, p: LinePoint): string {
  const v = (y: number): string => `${y >= 100 ? Math.round(y) : Number(y.toPrecision(3))} ${chart.yUnit}`;
  const range =
    p.lo !== undefined && p.hi !== undefined ? ` (${chart.rangeName ?? 'runs'} ${Math.round(p.lo)}–${v(p.hi)})` : '';
  return `${name}, ${p.tip ?? `${chart.xName} ${p.x}`}: ${v(p.y)}${range}`;
}

/** Powers of 10 in range, plus the x values themselves when there are few of them. */
function logTicks(min: number, max: number, xs: readonly number[]): number[] {
  const ticks = new Set<number>();
  for (let p = 1; p <= max * 1.0001; p *= 10) if (p >= min) ticks.add(p);
  const distinct = [...new Set(xs)];
  if (distinct.length <= 6) distinct.forEach((x) => ticks.add(x));
  return [...ticks].sort((a, b) => a - b);
}
