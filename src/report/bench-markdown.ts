/** The bench (or showcase) as Markdown (pure): per suite, what one run is, the table and the notes. */
import type { BenchResult } from '../compare/types.js';
import { BENCH_COLUMNS, benchNotes, comparisonLines, verdictLines } from './bench-table.js';
import { measuredRuns, runWorkload } from './bench-format.js';
import { CURVE_LEGEND, curveRows, curvesOfResult } from './bench-curve.js';

/** A Markdown table from a header row and rows of cells (pipes in cells escaped). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  left: readonly boolean[],
): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (left[i] === true ? ':---' : '---:'))), ...rows.map(line)];
}

/** The whole document. */
export function benchMarkdown(title: string, suites: readonly BenchResult[], explanation?: readonly string[]): string {
  const out = [`# ${title}`, ''];
  if (explanation !== undefined && explanation.length > 0) out.push(...explanation.map((l) => `- ${l}`), '');
  for (const s of suites) {
    const t = s.target;
    const delay = s.delayMs === null ? '' : ` (delay ${s.delayMs} ms)`;
    if (suites.length > 1 || s.title !== title) out.push(`## ${s.title}`, '');
    out.push(
      `${t.serverLabel} ${t.baseUrl}${delay}: ${runWorkload(t)}; ${s.warmup} warm-up and ${measuredRuns(s)} per configuration, interleaved, ` +
        `each a fresh process (\`${s.command}\`).`,
      '',
      ...markdownTable(
        BENCH_COLUMNS.map((c) => c.header),
        s.configs.map((c) => BENCH_COLUMNS.map((col) => col.cell(c))),
        BENCH_COLUMNS.map((c) => c.left === true),
      ),
      '',
      ...curveMarkdown(s),
      ...(curvesOfResult(s).length === 0 ? comparisonLines(s) : []).map((l) => `- ${l}`),
      ...benchNotes(s).map((l) => `- ${l}`),
      ...verdictLines(s).map((l) => `- **${l}**`),
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The curve table and its legend, or nothing without rates. */
function curveMarkdown(s: BenchResult): string[] {
  const curves = curvesOfResult(s);
  if (curves.length === 0) return [];
  const { header, rows } = curveRows(curves);
  return [...markdownTable(header, rows, [true]), '', CURVE_LEGEND, ''];
}
