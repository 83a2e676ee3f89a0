/** The files and the stdout JSON of bench and showcase (one or more suites), each file atomically. */
import { benchCsv } from '../report/bench-csv.js';
import { benchMarkdown } from '../report/bench-markdown.js';
import { renderHtmlReport } from '../report/html.js';
import type { BenchResult } from '../compare/types.js';
import { FILE_FLAGS, type OutputFiles } from './output-flags.js';
import { jsonText, writeFiles } from './write-output.js';

/** The one JSON document of a bench (its result) or a showcase (its suites). */
export function benchJson(suites: readonly BenchResult[], kind: 'bench' | 'showcase'): unknown {
  const single = suites.length === 1 && kind === 'bench' ? suites[0] : undefined;
  return single ?? { schema: 1, kind, suites };
}

/** Write the requested files for one or more suites; says each path written. */
export async function writeBenchOutputs(
  files: OutputFiles,
  suites: readonly BenchResult[],
  say: (line: string) => void,
  page: { kind: 'bench' | 'showcase'; title?: string; explanation?: readonly string[] },
): Promise<void> {
  const title = page.title ?? 'flagfetch bench';
  const texts: Record<keyof OutputFiles, () => string> = {
    json: () => jsonText(benchJson(suites, page.kind), 2),
    csv: () => suites.map(benchCsv).join('\n'),
    markdown: () => benchMarkdown(title, suites, page.explanation),
    html: () => renderHtmlReport({ title, suites, explanation: page.explanation }),
  };
  await writeFiles(files, FILE_FLAGS, texts, say);
}
