/**
 * A hyperfine-style runner whose commands take turns: every round runs each command once,
 * in an order rotated round by round (A B C, B C A, C A B …), so that the drift of a busy
 * machine falls on all of them alike and their ratios can be read side by side. hyperfine
 * itself runs all of one command's runs before the next, which a loaded machine skews.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** One command to time: argv, and what to do before (untimed) and to check after each run. */
export interface TimedCommand {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Untimed, before every run (e.g. empty the output folder, as hyperfine's --prepare). */
  readonly prepare?: () => Promise<void>;
  /** Untimed, after every run: a message when the run did not do its job. */
  readonly check?: (stdout: string) => Promise<string | undefined>;
  /** Instead of the process's wall time, a figure the process prints (e.g. a JSON field). */
  readonly measure?: (stdout: string) => number;
}

/** What one run gave: its wall time in ms (or the command's own figure) and its stdout. */
export interface RunSample {
  readonly ms: number;
  readonly stdout: string;
}

/** Environment for every run: the parent's, without NODE_OPTIONS (a V8 flag there slows every thread). */
function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  return env;
}

/** Run `cmd` once: wall time from spawn to exit, stdout collected; throws on a non-zero exit. */
export async function runOnce(cmd: TimedCommand): Promise<RunSample> {
  await cmd.prepare?.();
  const [file, ...args] = cmd.argv;
  if (file === undefined) throw new Error(`${cmd.name}: empty argv`);
  const t0 = performance.now();
  const child = spawn(file, args, { cwd: cmd.cwd, env: cleanEnv(cmd.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`${cmd.name} exited ${code}: ${(stderr.trim() || stdout.trim()).slice(-400)}`);
  const wrong = await cmd.check?.(stdout);
  if (wrong !== undefined) throw new Error(`${cmd.name}: ${wrong}`);
  return { ms: cmd.measure === undefined ? wallMs : cmd.measure(stdout), stdout };
}

/** Run every command `warmup` + `runs` times, interleaved; returns the timed samples by name. */
export async function interleave(
  commands: readonly TimedCommand[],
  o: { runs: number; warmup: number; onRound?: (round: number) => void },
): Promise<Map<string, RunSample[]>> {
  const samples = new Map<string, RunSample[]>(commands.map((c) => [c.name, []]));
  for (let round = 0; round < o.warmup + o.runs; round += 1) {
    for (let k = 0; k < commands.length; k += 1) {
      const cmd = commands[(round + k) % commands.length];
      if (cmd === undefined) continue;
      const sample = await runOnce(cmd);
      if (round >= o.warmup) samples.get(cmd.name)?.push(sample);
    }
    o.onRound?.(round - o.warmup + 1);
  }
  return samples;
}
