/** Inline SVG horizontal grouped bar charts built by our own code (pure). No script, no external resources. */
import { PAD, W, color, esc, legend, legendHeight, niceTicks, r, svg, text, tickLabel } from './html-svg.js';

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
  const labelW = labelWidth(chart.groups.map((g) => g.label));
  const bar = 11;
  const groupH = Math.max(1, chart.seriesNames.length) * (bar + 2) + 12;
  const plotH = chart.groups.length * groupH;
  const top = PAD.top;
  const H = top + plotH + 40 + legendHeight(chart.seriesNames);
  // The plot keeps its width; a wider label column widens the drawing (it scales to the card).
  const plotW = W - 210 - 54;
  const width = labelW + plotW + 54;
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
  parts.push(legend(chart.seriesNames, H - legendHeight(chart.seriesNames) + 4));
  return svg(width, H, chart.title, parts);
}

/** Average advance of a character of the group labels (12 px system sans), over-estimated so that no label is cut. */
const LABEL_CHAR_PX = 7.2;

/** Width of the label column: room for the longest label (it ends 8 px before the axis), 210 at least. */
export function labelWidth(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((l) => [...l].length));
  return Math.max(210, Math.ceil(longest * LABEL_CHAR_PX) + 8 + PAD_LEFT_OF_LABELS);
}

/** Space left of the longest label. */
const PAD_LEFT_OF_LABELS = 6;
