/** Run the built flagfetch CLI as a user would, and collect its exit code and output. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './shared-flags.js';

/** The built entry point. */
export const CLI = path.join(REPO_ROOT, 'dist', 'app', 'bin.cjs');

/** Exit code, stdout and stderr of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node dist/app/bin.cjs ...args` (the bundle users run) in `cwd`. */
export function runCli(
  args: readonly string[],
  opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: opts.cwd ?? REPO_ROOT,
        env: { ...process.env, ...opts.env },
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 32 * 2 ** 20,
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
