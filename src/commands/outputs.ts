/** The files a bench writes (--json, --csv, --html), each atomically. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { benchCsv } from '../report/bench-csv.js';
import { renderHtmlReport } from '../report/html.js';
import type { BenchResult } from '../compare/types.js';
import { writeFileAtomic } from '../atomic-file.js';

/** Output files asked for; undefined = not written. */
export interface OutputFiles {
  json?: string | undefined;
  csv?: string | undefined;
  html?: string | undefined;
}

/** Fail early (before minutes of benchmarking) when an output's folder does not exist. */
export async function checkOutputFolders(files: OutputFiles): Promise<void> {
  for (const [flag, file] of Object.entries(files)) {
    if (typeof file !== 'string') continue;
    const dir = path.dirname(path.resolve(file));
    const ok = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!ok) throw new UsageError(`--${flag} ${file}: folder ${dir} does not exist; create it or choose another path`);
  }
}

/** Write the requested files for one or more suites; says each path written. */
export async function writeBenchOutputs(
  files: OutputFiles,
  suites: readonly BenchResult[],
  say: (line: string) => void,
  page: { title?: string; explanation?: readonly string[] } = {},
): Promise<void> {
  const single = suites.length === 1 ? suites[0] : undefined;
  if (files.json !== undefined) {
    const data = single ?? { schema: 1, suites };
    await writeOutput(files.json, `${JSON.stringify(data, null, 2)}\n`);
    say(`wrote ${files.json}`);
  }
  if (files.csv !== undefined) {
    await writeOutput(files.csv, suites.map(benchCsv).join('\n'));
    say(`wrote ${files.csv}`);
  }
  if (files.html !== undefined) {
    const title = page.title ?? 'flagfetch bench';
    await writeOutput(files.html, renderHtmlReport({ title, suites, explanation: page.explanation }));
    say(`wrote ${files.html}`);
  }
}

/** Write one output atomically; a path that cannot be written is the user's to fix. */
async function writeOutput(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UsageError(`cannot write ${file} (${code}): check that its folder exists and is writable`);
    }
    throw err;
  }
}
