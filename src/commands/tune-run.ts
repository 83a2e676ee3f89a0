/** What `flagfetch tune` runs: resolve its flags, check, run (compare/tune-all.ts), print, write. */
import { resolveTuneSettings, type RawTuneFlags, type TuneSettings } from '../compare/bench-settings.js';
import { tuneHeading, tuneTextLines } from '../report/bench-tune.js';
import { tuneCsv, tuneHtml, tuneMarkdown } from '../report/tune-files.js';
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { stopOnInterrupt } from '../compare/suite.js';
import type { TuneReport } from '../compare/tune-run.js';
import { tuneAll, tuneDocument, tuneFailure } from '../compare/tune-all.js';
import {
  FILE_FLAGS,
  filesByFlag,
  noteSayers,
  resolveOutputs,
  TUNE_OUTPUTS,
  type OutputChoice,
  type OutputFiles,
  type RawOutputOptions,
} from './output-flags.js';
import { checkOutputFolders, jsonText, writeFiles } from './write-output.js';
import { checkTrustInputs } from './download-inputs.js';
import { sloTune } from './tune-slo-run.js';

/** Validated tune options: the run's settings and where its results go. */
export interface TuneOptions extends TuneSettings {
  readonly outputs: OutputChoice;
}

/** Raw flags of the tune command: its run flags and its output flags. */
export type RawTuneOptions = RawTuneFlags & RawOutputOptions;

/** Validate the tune flags; throws UsageError. `inputs`: the --urls file. */
export function resolveTuneOptions(
  args: readonly string[],
  raw: RawTuneOptions,
  inputs: { readonly urlsText?: string | undefined } = {},
): TuneOptions {
  return { ...resolveTuneSettings(args, raw, inputs), outputs: resolveOutputs('tune', raw, TUNE_OUTPUTS) };
}

/**
 * Run the command with resolved options: one search per work kind, each with its share of the
 * budget; 130 when a signal stopped it (the run in progress is killed, the partial report printed).
 */
export async function tune(opts: TuneOptions): Promise<number> {
  const out = opts.outputs;
  await checkOutputFolders(filesByFlag(out.files));
  await checkTrustInputs(opts);
  if (opts.slo !== undefined) return sloTune(opts);
  const { note, progress, always } = noteSayers(out);
  const stop = stopOnInterrupt(always);
  try {
    const reports = await tuneAll(opts, { onProgress: progress, signal: stop.signal });
    const text = reports.map((r) => tuneTextLines(r).join('\n')).join('\n\n');
    process.stdout.write(out.stdoutJson ? jsonText(tuneDocument(reports)) : `${text}\n`);
    await writeTuneOutputs(out.files, reports, note);
    if (stop.signal.aborted) return EXIT_INTERRUPTED;
    const failed = tuneFailure(reports, opts.kind);
    if (failed !== undefined) throw new RunFailure(failed);
    return 0;
  } finally {
    stop.release();
  }
}

/** Write the tune files asked for (one after another for several reports); says each path written. */
async function writeTuneOutputs(
  files: OutputFiles,
  reports: readonly TuneReport[],
  say: (line: string) => void,
): Promise<void> {
  const each = (f: (r: TuneReport) => string): string => reports.map(f).join('\n');
  const texts: Record<keyof OutputFiles, () => string> = {
    json: () => jsonText(tuneDocument(reports), 2),
    csv: () => tuneCsv(reports),
    markdown: () => each((r) => tuneMarkdown(r, tuneHeading(r))),
    html: () => tuneHtml(reports),
  };
  await writeFiles(files, FILE_FLAGS, texts, say);
}
