/** What `flagfetch tune --slo` does once its options are resolved: run (compare/slo-all.ts), print, write. */
import { sloTuneAll } from '../compare/slo-all.js';
import { stopOnInterrupt } from '../compare/suite.js';
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { sloCsv, sloMarkdown, sloTextLines } from '../report/tune-slo.js';
import { sloHtml } from '../report/tune-slo-html.js';
import { FILE_FLAGS, noteSayers, type OutputChoice, type OutputFiles } from './output-flags.js';
import { jsonText, writeFiles } from './write-output.js';
import type { TuneSettings } from '../compare/bench-settings.js';

/**
 * Search for the latency target, print the report (or its JSON), write the files asked for.
 * 0 when the search ran (a target no configuration meets is an answer); 1 when every run
 * failed; 130 when a signal stopped it (what was found so far is printed).
 */
export async function sloTune(opts: TuneSettings & { readonly outputs: OutputChoice }): Promise<number> {
  const out = opts.outputs;
  const { note, progress, always } = noteSayers(out);
  const stop = stopOnInterrupt(always);
  try {
    const report = await sloTuneAll(opts, { onProgress: progress, signal: stop.signal });
    process.stdout.write(out.stdoutJson ? jsonText(report) : `${sloTextLines(report).join('\n')}\n`);
    const texts: Record<keyof OutputFiles, () => string> = {
      json: () => jsonText(report, 2),
      csv: () => sloCsv(report),
      markdown: () => sloMarkdown(report),
      html: () => sloHtml(report),
    };
    await writeFiles(out.files, FILE_FLAGS, texts, note);
    if (stop.signal.aborted) return EXIT_INTERRUPTED;
    const ran = report.candidates.some((c) => c.trials.length > 0);
    if (!ran)
      throw new RunFailure(
        `no tune --slo run succeeded against ${report.target.baseUrl}: ${report.failures[0] ?? 'no run finished in time'}`,
      );
    return 0;
  } finally {
    stop.release();
  }
}
