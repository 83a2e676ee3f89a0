/** Lines a command writes to stderr beside its result: notes (not with --quiet) and progress (not with --no-progress). */
import type { OutputChoice } from './output-flags.js';

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
