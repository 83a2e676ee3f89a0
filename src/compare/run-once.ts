/**
 * The real runner: one run of one configuration in a fresh process,
 * `flagfetch download --json --no-save --no-embedded …`, whose stdout is one JSON report.
 */
import { spawn } from 'node:child_process';
import { CLI_FILE } from '../install-paths.js';
import { parseJsonReport, type JsonReport } from './json-report.js';
import type { BenchConfig, BenchTarget } from './types.js';

/** Arguments of `flagfetch download` for one run of `config` on `target` (pure). */
export function downloadArgs(config: BenchConfig, target: BenchTarget): string[] {
  const codeArgs =
    config.limit === undefined ? [...target.codeArgs] : [...withoutLimit(target.codeArgs), '-l', String(config.limit)];
  return [
    'download',
    '--json',
    '--no-save',
    '--no-embedded',
    '--model',
    config.model,
    // -w means something to the threads and workers models, --split to workers only (download refuses them otherwise).
    ...(config.model === 'workers' || config.model === 'threads' ? ['-w', String(config.workers)] : []),
    ...(config.model === 'workers' ? ['--split', config.split] : []),
    '-m',
    String(config.maxReq),
    ...(target.urlsFile === undefined ? ['-s', target.baseUrl] : ['--urls', target.urlsFile]),
    ...rateArgs(config, target),
    ...(config.work === undefined || config.work === 'none' ? [] : ['--work', config.work]),
    ...(config.protocol === 'h2' ? ['--http2'] : []),
    ...(config.connections === undefined ? [] : ['--connections', String(config.connections)]),
    ...(target.caFile === undefined ? [] : ['--ca', target.caFile]),
    ...(target.insecure === true ? ['--insecure'] : []),
    ...codeArgs,
    ...(config.model === 'workers' ? (target.runArgs ?? []) : []),
  ];
}

/**
 * Passes over the codes, or with a rate `--rate R` and, when the target sets one, `--duration`
 * instead of the passes (a --duration run repeats the list until its end; download refuses both).
 */
function rateArgs(config: BenchConfig, target: BenchTarget): string[] {
  const repeat = ['--repeat', String(config.repeat ?? target.repeat)];
  if (config.rate === undefined) return repeat;
  const rate = ['--rate', String(config.rate)];
  return target.rateDurationMs === undefined
    ? [...rate, ...repeat]
    : [...rate, '--duration', `${target.rateDurationMs}ms`];
}

/** Drop an `-l N` from code arguments (a configuration's own limit replaces it). */
function withoutLimit(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-l') i++;
    else out.push(args[i] as string);
  }
  return out;
}

/** The command line of one run, for people to read and rerun. */
export function describeCommand(config: BenchConfig, target: BenchTarget): string {
  return ['flagfetch', ...downloadArgs(config, target)].join(' ');
}

/**
 * Run one configuration once in a fresh Node process and return its JSON report (also on exit
 * 1, nothing downloaded, when it printed one). Rejects with the exit code and the last lines
 * of stderr when the process exits otherwise, or when its stdout is not one valid report.
 * When `signal` aborts, the child is killed at once (a run cut short measures nothing worth
 * its grace period) and the promise rejects.
 */
export function runOnce(config: BenchConfig, target: BenchTarget, signal?: AbortSignal): Promise<JsonReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_FILE, ...downloadArgs(config, target)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      // Exit 1 with a report: the run finished and got nothing, which is a result to judge, not a crash.
      const report = code === 1 ? reportOrNull(Buffer.concat(out).toString('utf8')) : null;
      if (report !== null) {
        resolve(report);
        return;
      }
      if (code !== 0) {
        const why = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
        reject(new Error(`download ${why}${lastLines(stderr)}`));
        return;
      }
      try {
        resolve(parseJsonReport(Buffer.concat(out).toString('utf8')));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

function reportOrNull(stdout: string): JsonReport | null {
  try {
    return parseJsonReport(stdout);
  } catch {
    return null;
  }
}

function lastLines(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-2);
  return lines.length === 0 ? '' : `: ${lines.join(' / ')}`;
}
