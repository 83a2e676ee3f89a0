/** Small pieces of inline SVG shared by the charts: escaping, nice ticks, colours (pure). */

/** Escape text for HTML and SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Colour-blind-friendly palette (Okabe–Ito, darkened yellow). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7a6a00', '#555555'];

/** The palette colour of index i (wrapping). */
export function color(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** Ticks 0, step, 2·step… up to at least `max`, with a step of 1, 2, 2.5 or 5 × 10^k. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Short tick label: 1.5k, 20k, 2.5M, 0.25. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** An SVG `<text>` element. */
export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${r(x)}" y="${r(y)}" ${attrs}>${esc(content)}</text>`;
}

/** Round a coordinate to one decimal, for compact SVG. */
export function r(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** Width of every chart, and the padding of its plot area. */
export const W = 620;
export const PAD = { left: 62, right: 16, top: 34, bottom: 46 };

/** Legend entries per row: four, or two when a name is too long for a quarter of the width. */
function perRow(names: readonly string[]): number {
  return Math.max(0, ...names.map((n) => [...n].length)) > 18 ? 2 : 4;
}

/** Height of a legend of `names`, four (or two, when long) to a row. */
export function legendHeight(names: readonly string[]): number {
  return Math.ceil(names.length / perRow(names)) * 18 + 6;
}

/** The legend: a swatch and a name for each series, four (or two) to a row, from `y`. */
export function legend(
  names: readonly string[],
  y: number,
  colors: readonly string[] = names.map((_, i) => color(i)),
): string {
  const n = perRow(names);
  return names
    .map((name, i) => {
      const x = PAD.left + (i % n) * (560 / n);
      const yy = y + Math.floor(i / n) * 18;
      const swatch = `<rect x="${x}" y="${r(yy)}" width="12" height="12" rx="2" fill="${colors[i] ?? color(i)}"/>`;
      return `${swatch}${text(x + 17, yy + 10, name, 'class="lg"')}`;
    })
    .join('');
}

/** The chart's <svg> element around `parts`, labelled by `title`. */
export function svg(w: number, h: number, title: string, parts: readonly string[]): string {
  return `<svg class="chart" viewBox="0 0 ${w} ${r(h)}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}
