/**
 * Inline SVG charts built by our own code (pure): a line chart on a log x axis with min–max
 * whiskers, and a horizontal grouped bar chart. No script, no external resources.
 */
import { color, esc, niceTicks, r, text, tickLabel } from './html-svg.js';

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
  readonly series: readonly LineSeries[];
}

const W = 620;
const PAD = { left: 62, right: 16, top: 34, bottom: 46 };

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
  const range = p.lo !== undefined && p.hi !== undefined ? ` (runs ${Math.round(p.lo)}–${v(p.hi)})` : '';
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

/** A group of bars (one row of a horizontal grouped bar chart). */
export interface BarGroup {
  readonly label: string;
  /** One value per series; null = no bar. */
  readonly values: readonly (number | null)[];
}

/** A horizontal grouped bar chart's content. */
export interface BarChart {
  readonly title: string;
  readonly xLabel: string;
  readonly seriesNames: readonly string[];
  readonly groups: readonly BarGroup[];
  /** Fixed end of the axis (e.g. 1 for utilization); else from the data. */
  readonly xMax?: number | undefined;
  readonly format?: ((v: number) => string) | undefined;
  /** Unit after a value in tooltips (`ms`); none when `format` carries it (`45%`). */
  readonly unit?: string | undefined;
}

/** Horizontal grouped bars: one row per group, one bar per series, value printed at the end. */
export function barChartSvg(chart: BarChart): string {
  const labelW = 210;
  const bar = 11;
  const groupH = Math.max(1, chart.seriesNames.length) * (bar + 2) + 12;
  const plotH = chart.groups.length * groupH;
  const top = PAD.top;
  const H = top + plotH + 40 + legendHeight(chart.seriesNames.length);
  const plotW = W - labelW - 54;
  const fmt = chart.format ?? tickLabel;
  const ticks = niceTicks(chart.xMax ?? Math.max(0, ...chart.groups.flatMap((g) => g.values.map((v) => v ?? 0))), 4);
  const xMax = chart.xMax ?? ticks[ticks.length - 1] ?? 1;
  const sx = (v: number): number => labelW + (plotW * Math.min(v, xMax)) / xMax;
  const parts: string[] = [text(PAD.left, 20, chart.title, 'class="ct"')];
  for (const t of ticks.filter((t) => t <= xMax)) {
    parts.push(`<line class="grid" x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${top}" y2="${r(top + plotH)}"/>`);
    parts.push(text(sx(t), top + plotH + 16, fmt(t), 'class="tk" text-anchor="middle"'));
  }
  parts.push(text(labelW + plotW / 2, top + plotH + 34, chart.xLabel, 'class="al" text-anchor="middle"'));
  chart.groups.forEach((g, gi) => {
    const y0 = top + gi * groupH + 6;
    const n = g.values.length;
    parts.push(text(labelW - 8, y0 + (n * (bar + 2)) / 2 + 4, g.label, 'class="gl" text-anchor="end"'));
    g.values.forEach((v, si) => {
      if (v === null || !Number.isFinite(v)) return;
      const y = y0 + si * (bar + 2);
      const w = Math.max(1, sx(v) - labelW);
      const title = `${g.label} — ${chart.seriesNames[si] ?? ''}: ${fmt(v)}${chart.unit === undefined ? '' : ` ${chart.unit}`}`;
      parts.push(
        `<rect x="${labelW}" y="${r(y)}" width="${r(w)}" height="${bar}" rx="2" fill="${color(si)}">` +
          `<title>${esc(title)}</title></rect>`,
      );
      parts.push(text(labelW + w + 4, y + bar - 2, fmt(v), 'class="bv"'));
    });
  });
  parts.push(`<line class="axis" x1="${labelW}" x2="${labelW}" y1="${top}" y2="${r(top + plotH)}"/>`);
  parts.push(legend(chart.seriesNames, H - legendHeight(chart.seriesNames.length) + 4));
  return svg(W, H, chart.title, parts);
}

const PER_LEGEND_ROW = 4;

function legendHeight(n: number): number {
  return Math.ceil(n / PER_LEGEND_ROW) * 18 + 6;
}

function legend(
  names: readonly string[],
  y: number,
  colors: readonly string[] = names.map((_, i) => color(i)),
): string {
  return names
    .map((name, i) => {
      const x = PAD.left + (i % PER_LEGEND_ROW) * 140;
      const yy = y + Math.floor(i / PER_LEGEND_ROW) * 18;
      const swatch = `<rect x="${x}" y="${r(yy)}" width="12" height="12" rx="2" fill="${colors[i] ?? color(i)}"/>`;
      return `${swatch}${text(x + 17, yy + 10, name, 'class="lg"')}`;
    })
    .join('');
}

function svg(w: number, h: number, title: string, parts: readonly string[]): string {
  return `<svg class="chart" viewBox="0 0 ${w} ${r(h)}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}
