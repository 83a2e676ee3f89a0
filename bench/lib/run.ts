/**
 * Shared by the bench suites: run `flagfetch download --json` in a fresh process (sampling
 * its RSS), write a suite's results (JSON + markdown) atomically, and small statistics.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_FILE } from '../../src/install-paths.js';
import { parseJsonReport, type JsonReport } from '../../src/compare/json-report.js';
import { machineInfo } from '../../src/compare/run-bench.js';
import { writeFileAtomic } from '../../src/atomic-file.js';

/** The built CLI. */
export const CLI = CLI_FILE;
/** bench/results in the repository. */
export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench/results');

/** One download run: its report, the RSS samples taken every second, and how long the process lived after its report. */
export interface DownloadRun {
  readonly report: JsonReport;
  readonly rssSamplesBytes: readonly number[];
  readonly exitAfterReportMs: number;
  readonly exitCode: number | null;
}

/** Run `flagfetch download --json ...args` in a fresh process (`cli`: another build's cli.js, to compare builds). */
export async function runDownload(
  args: readonly string[],
  env: Record<string, string> = {},
  cli: string = CLI,
): Promise<DownloadRun> {
  const child = spawn(process.execPath, [cli, 'download', '--json', '--no-embedded', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  let reportAt = 0;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.trimEnd().endsWith('}')) reportAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const samples: number[] = [];
  const sampler = setInterval(() => {
    void readFile(`/proc/${child.pid}/status`, 'utf8').then(
      (s) => {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0);
        if (kb > 0) samples.push(kb * 1024);
      },
      () => undefined,
    );
  }, 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(sampler);
  const exitedAt = performance.now();
  try {
    return {
      report: parseJsonReport(stdout),
      rssSamplesBytes: samples,
      exitAfterReportMs: reportAt === 0 ? Number.NaN : exitedAt - reportAt,
      exitCode,
    };
  } catch (err) {
    throw new Error(`download ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || String(err)}`, {
      cause: err,
    });
  }
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** `median (min–max)` of a list, rounded. */
export function spread(values: readonly number[], digits = 0): string {
  const f = (v: number): string => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** A target checked by a suite. */
export interface Target {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean | null;
}

/** Write bench/results/<name>.json and .md; returns the markdown. */
export async function writeSuite(
  name: string,
  title: string,
  rerun: string,
  targets: readonly Target[],
  details: readonly string[],
  data: unknown,
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const m = machineInfo();
  const when = new Date().toISOString();
  const md = [
    `# ${title}`,
    '',
    `Machine: ${m.cores} cores, ${m.cpuModel}, Node ${m.node}, ${m.platform} — ${when}`,
    '',
    `Rerun: \`${rerun}\``,
    '',
    '| target | measured | wanted | result |',
    '|---|---|---|---|',
    ...targets.map(
      (t) => `| ${t.name} | ${t.measured} | ${t.target} | ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL'} |`,
    ),
    '',
    ...details,
    '',
  ].join('\n');
  await writeFileAtomic(
    path.join(RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ suite: name, title, machine: m, date: when, rerun, targets, data }, null, 2)}\n`,
  );
  await writeFileAtomic(path.join(RESULTS_DIR, `${name}.md`), md);
  return md;
}

/** Print a suite's markdown and exit code 0 (targets are reported, not asserted). */
export function report(md: string): void {
  process.stdout.write(`${md}\n`);
}
