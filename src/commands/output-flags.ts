/**
 * One convention for machine output, every command (as hyperfine and oha do it): `--json`
 * prints one JSON document on stdout; `--export-json/-csv/-markdown/-html FILE` write files;
 * `--quiet` leaves only the result; `--no-progress` drops progress. The old spellings
 * (`bench --json FILE`, `--csv FILE`, `--html FILE`) still work for a release, with a
 * one-line note on stderr. noteSayers writes a command's notes and progress on stderr as these
 * flags say. Cheap to import: commander only.
 */
import { Command, Option } from 'commander';

/** Files a command writes; undefined = not written. */
export interface OutputFiles {
  readonly json?: string | undefined;
  readonly csv?: string | undefined;
  readonly markdown?: string | undefined;
  readonly html?: string | undefined;
}

/** The flag that names each file, for messages. */
export const FILE_FLAGS: Readonly<Record<keyof OutputFiles, string>> = {
  json: '--export-json',
  csv: '--export-csv',
  markdown: '--export-markdown',
  html: '--export-html',
};

/** What commander hands over. */
export interface RawOutputOptions {
  json?: boolean | string;
  exportJson?: string;
  exportCsv?: string;
  exportMarkdown?: string;
  exportHtml?: string;
  csv?: string;
  html?: string;
  quiet?: boolean;
  progress?: boolean;
}

/** How a command's results leave it. */
export interface OutputChoice {
  /** --json: stdout holds exactly one JSON document and nothing else. */
  readonly stdoutJson: boolean;
  readonly files: OutputFiles;
  /** --quiet: only the result; no progress, no notes. */
  readonly quiet: boolean;
  /** Progress on stderr (false with --quiet or --no-progress). */
  readonly progress: boolean;
  /** One line per old spelling used, for stderr. */
  readonly deprecations: readonly string[];
}

/** Which files a command can write, and the old file flags it accepted. */
export interface OutputFlagSpec {
  readonly exports: readonly (keyof OutputFiles)[];
  /** Old spellings still accepted: `--json FILE`, `--csv FILE`, `--html FILE`. */
  readonly legacy?: readonly ('json' | 'csv' | 'html')[] | undefined;
  /** A file written by default (showcase: report.html). */
  readonly htmlDefault?: string | undefined;
}

/** Machine output of bench: --json on stdout, every file format, and the old file spellings. */
export const BENCH_OUTPUTS = { exports: ['json', 'csv', 'markdown', 'html'], legacy: ['json', 'csv', 'html'] } as const;

/** Machine output of tune: --json on stdout, and every file format. */
export const TUNE_OUTPUTS = { exports: ['json', 'csv', 'markdown', 'html'] } as const;

/** Machine output of showcase: report.html by default, every file format, the old file spellings. */
export const SHOWCASE_OUTPUTS = {
  exports: ['json', 'csv', 'markdown', 'html'],
  legacy: ['json', 'csv', 'html'],
  htmlDefault: 'report.html',
} as const;

/** Add --json, the --export-* flags, --quiet and --no-progress (and hidden old spellings) to `cmd`. */
export function addOutputOptions(cmd: Command, spec: OutputFlagSpec): Command {
  const legacy = new Set(spec.legacy ?? []);
  const oldNote = legacy.has('json') ? ` (--json FILE: the old spelling of ${FILE_FLAGS.json})` : '';
  cmd.option(
    legacy.has('json') ? '--json [FILE]' : '--json',
    `print one JSON document on stdout instead of the text report${oldNote}`,
  );
  const what = {
    json: 'the results as JSON',
    csv: 'one CSV row per configuration',
    markdown: 'the tables as Markdown',
    html: 'a self-contained HTML report with charts',
  };
  for (const kind of spec.exports) {
    const dflt = kind === 'html' && spec.htmlDefault !== undefined ? ` (default: ${spec.htmlDefault})` : '';
    cmd.option(`${FILE_FLAGS[kind]} <FILE>`, `write ${what[kind]} to FILE${dflt}`);
  }
  for (const old of ['csv', 'html'] as const) {
    if (legacy.has(old)) cmd.addOption(new Option(`--${old} <FILE>`, `old spelling of ${FILE_FLAGS[old]}`).hideHelp());
  }
  cmd.option('-q, --quiet', 'only the result: no progress and no notes on stderr');
  cmd.option('--no-progress', 'no progress on stderr');
  return cmd;
}

/**
 * Resolve the output flags of `command`. An old `--json FILE` whose value looks like a country
 * code (`bench --json BR`) is the new `--json` followed by a code: it is handed back in `codes`.
 */
export function resolveOutputs(
  command: string,
  raw: RawOutputOptions,
  spec: OutputFlagSpec,
): OutputChoice & { codes: string[] } {
  const deprecations: string[] = [];
  const codes: string[] = [];
  let jsonFile = raw.exportJson;
  let stdoutJson = raw.json === true;
  if (typeof raw.json === 'string') {
    if (/^[a-z]{1,2}$/i.test(raw.json)) {
      codes.push(raw.json);
      stdoutJson = true;
    } else {
      jsonFile ??= raw.json;
      deprecations.push(
        deprecation(command, '--json FILE', '--export-json FILE', ' (--json alone prints the JSON on stdout)'),
      );
    }
  }
  const old = (flag: 'csv' | 'html', now: string | undefined): string | undefined => {
    const value = raw[flag];
    if (value === undefined) return now;
    deprecations.push(deprecation(command, `--${flag} FILE`, `${FILE_FLAGS[flag]} FILE`, ''));
    return now ?? value;
  };
  const html = old('html', raw.exportHtml) ?? spec.htmlDefault;
  const files: OutputFiles = { json: jsonFile, csv: old('csv', raw.exportCsv), markdown: raw.exportMarkdown, html };
  const quiet = raw.quiet === true;
  return { stdoutJson, files, quiet, progress: !quiet && raw.progress !== false, deprecations, codes };
}

function deprecation(command: string, was: string, now: string, why: string): string {
  return `note: '${command} ${was}' is deprecated and will be removed in the next release: use ${now}${why}`;
}

/** The flags naming each file asked for, as checkOutputFolders takes them. */
export function filesByFlag(files: OutputFiles): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [FILE_FLAGS[k as keyof OutputFiles], v]));
}

/** Writers for notes and progress lines, silenced as the output flags say; deprecation notes are said at once. */
export function noteSayers(out: OutputChoice): {
  note: (line: string) => void;
  progress?: (line: string) => void;
  always: (line: string) => void;
} {
  const write = (line: string): void => void process.stderr.write(`${line}\n`);
  for (const d of out.deprecations) write(d);
  const note = out.quiet ? (): void => undefined : write;
  return { note, always: write, ...(out.progress ? { progress: write } : {}) };
}
