/**
 * stdout closed early (`flagfetch -a | head -1`): the reader is gone, so writing is pointless
 * and Node would throw EPIPE as an unhandled 'error' event. guardStdout() (cli.ts, once)
 * turns that into a state: nothing more is written, a running command stops as if
 * interrupted (guardRun), and the process exits 141 as Unix tools do on SIGPIPE.
 */

/** Exit code when stdout was closed early (128 + SIGPIPE). */
export const EXIT_STDOUT_CLOSED = 141;

interface StdoutState {
  closed: boolean;
  readonly listeners: Set<() => void>;
}
const state: StdoutState = { closed: false, listeners: new Set() };
const listeners = state.listeners;

/** Listen for stdout closing; with nobody listening, the process exits 141 at once. */
export function guardStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    if (state.closed) return;
    state.closed = true;
    if (listeners.size === 0) process.exit(EXIT_STDOUT_CLOSED);
    for (const l of [...listeners]) l();
  });
  // A reader that went away on stderr too must not crash the run; there is nothing to tell.
  process.stderr.on('error', () => undefined);
}

/** True once stdout's reader has gone. */
export function stdoutClosed(): boolean {
  return state.closed;
}

/** Call `listener` once when stdout closes; returns a function that stops listening. */
export function onStdoutClosed(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Write a line to stdout, unless its reader has gone. */
export function writeLine(line: string): void {
  if (!state.closed) process.stdout.write(`${line}\n`);
}

/**
 * The exit code of `run` (0 when it returns none), or 141 (silently) once stdout has closed.
 * While `run` runs, stdout closing never exits at once: `run` stops (trapSignals) or finishes,
 * stopping its servers and pools and sweeping its temp files, and the exit comes after.
 */
export async function guardRun(run: () => Promise<number | void>): Promise<number> {
  const noted = onStdoutClosed(() => undefined);
  try {
    const code = (await run()) ?? 0;
    return stdoutClosed() ? EXIT_STDOUT_CLOSED : code;
  } catch (err) {
    if (stdoutClosed()) return EXIT_STDOUT_CLOSED;
    throw err;
  } finally {
    noted();
  }
}
