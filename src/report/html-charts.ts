/**
 * Inline SVG line charts built by our own code (pure): a log x axis, min–max whiskers (the
 * bar chart is in html-bar-chart.ts). No script, no external resources.
 */
import { PAD, W, color, esc, legend, legendHeight, niceTicks, r, svg, text, tickLabel } from './html-svg.js';

/** One point of a line; lo/hi draw a whisker (e.g. min–max of the runs). */
export interface LinePoint {
  readonly x: number;
  readonly y: number;
  readonly lo?: number | undefined;
  readonly hi?: number | undefined;
}

/** A named line. */
export interface LineSeries {
  readonly name: string;
  /** Colour of the line; the palette's by position when absent. */
  readonly color?: string | undefined;
  readonly points: readonly LinePoint[];
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
  readonly series: readonly LineSeries[];
}

/**
 * Line chart with a log10 x axis from the power of ten at or below the smallest x (10 when
 * the smallest is 10, not 1) and a linear y axis from 0.
 */
export function lineChartSvg(chart: LineChart): string {
  const H = 330;
  const pts = chart.series.flatMap((s) => s.points);
  const xs = pts.map((p) => Math.max(1, p.x));
  const xMin = 10 ** Math.floor(Math.log10(xs.length === 0 ? 1 : Math.min(...xs)));
  const xMax = Math.max(xMin * 10, ...xs);
  const yTicks = niceTicks(Math.max(...pts.map((p) => p.hi ?? p.y), 0));
  const yMax = yTicks[yTicks.length - 1] as number;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom - legendHeight(chart.series.length);
  const sx = (x: number): number =>
    PAD.left + (plotW * (Math.log10(Math.max(1, x)) - Math.log10(xMin))) / (Math.log10(xMax) - Math.log10(xMin));
  const sy = (y: number): number => PAD.top + plotH - (plotH * y) / yMax;
  const parts: string[] = [text(PAD.left, 20, chart.title, 'class="ct"')];
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${r(PAD.left)}" x2="${r(W - PAD.right)}" y1="${r(sy(t))}" y2="${r(sy(t))}"/>`);
    parts.push(text(PAD.left - 6, sy(t) + 4, tickLabel(t), 'class="tk" text-anchor="end"'));
  }
  for (const t of logTicks(xMin, xMax, xs)) {
    parts.push(`<line class="grid" x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${r(PAD.top)}" y2="${r(PAD.top + plotH)}"/>`);
    parts.push(text(sx(t), PAD.top + plotH + 16, tickLabel(t), 'class="tk" text-anchor="middle"'));
  }
  parts.push(text(PAD.left + plotW / 2, PAD.top + plotH + 36, chart.xLabel, 'class="al" text-anchor="middle"'));
  parts.push(
    text(
      14,
      PAD.top + plotH / 2,
      chart.yLabel,
      `class="al" text-anchor="middle" transform="rotate(-90 14 ${r(PAD.top + plotH / 2)})"`,
    ),
  );
  chart.series.forEach((s, i) => {
    const c = s.color ?? color(i);
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1) {
      parts.push(
        `<polyline class="series" fill="none" stroke="${c}" stroke-width="2.5" ` +
          `points="${sorted.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(' ')}"/>`,
      );
    }
    for (const p of sorted) {
      if (p.lo !== undefined && p.hi !== undefined) {
        parts.push(
          `<line stroke="${c}" stroke-width="1.5" x1="${r(sx(p.x))}" x2="${r(sx(p.x))}" y1="${r(sy(p.lo))}" y2="${r(sy(p.hi))}"/>`,
        );
      }
      parts.push(
        `<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="4" fill="${c}"><title>${esc(pointTip(chart, s.name, p))}</title></circle>`,
      );
    }
  });
  parts.push(
    legend(
      chart.series.map((s) => s.name),
      H - legendHeight(chart.series.length) + 4,
      chart.series.map((s, i) => s.color ?? color(i)),
    ),
  );
  return svg(W, H, chart.title, parts);
}

/** `workers w2 dynamic, max-req 100: 9120 req/s (runs 8900–9300 req/s)`. */
function pointTip(chart: LineChart, name: string, p: LinePoint): string {
  const v = (y: number): string => `${Math.round(y)} ${chart.yUnit}`;
  const range =
    p.lo !== undefined && p.hi !== undefined ? ` (${chart.rangeName ?? 'runs'} ${Math.round(p.lo)}–${v(p.hi)})` : '';
  return `${name}, ${chart.xName} ${p.x}: ${v(p.y)}${range}`;
}

/** Powers of 10 in range, plus the x values themselves when there are few of them. */
function logTicks(min: number, max: number, xs: readonly number[]): number[] {
  const ticks = new Set<number>();
  for (let p = 1; p <= max * 1.0001; p *= 10) if (p >= min) ticks.add(p);
  const distinct = [...new Set(xs)];
  if (distinct.length <= 6) distinct.forEach((x) => ticks.add(x));
  return [...ticks].sort((a, b) => a - b);
}
