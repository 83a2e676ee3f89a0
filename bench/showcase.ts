/**
 * The showcase as a bench suite: `node dist/bench/showcase.js [runs]` runs the showcase
 * matrix (four models on the embedded LOCAL and DELAY servers, and with CPU work per
 * download) and writes bench/results/showcase-<date>.json and .md (machine info, the target —
 * workers ÷ loop in the CPU-work scenario ≥ 1.5 — and the whole run's wall time, tables, the
 * command to rerun).
 */
import { availableParallelism, loadavg } from 'node:os';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../src/compare/run-once.js';
import { explainShowcase, runShowcase } from '../src/compare/showcase-scenarios.js';
import { byModel } from '../src/compare/showcase-words.js';
import type { BenchResult } from '../src/compare/types.js';
import { writeFileAtomic } from '../src/atomic-file.js';
import { benchTable } from '../src/report/bench-table.js';

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results');
const RERUN = 'npm run build && node dist/bench/showcase.js';

/** Issue 11's showcase target: in the CPU-work scenario, workers at least this many times the loop's req/s. */
export const CPU_TARGET = 1.5;

/** How the whole showcase ran: its wall time and the machine's load (1-minute average, the higher of start and end). */
export interface ShowcaseRun {
  readonly wallMs: number;
  readonly loadAverage: number;
}

/** The CPU-work scenario's workers ÷ loop req/s (the third suite), or null without good runs of both. */
export function cpuRatio(suites: readonly BenchResult[]): number | null {
  const cpu = suites[2];
  return cpu === undefined ? null : (byModel(cpu, 'workers')?.ratioToLoop ?? null);
}

function targetLines(suites: readonly BenchResult[], run: ShowcaseRun): string[] {
  const ratio = cpuRatio(suites);
  const w = suites[2]?.configs.find((c) => c.config.model === 'workers')?.config.workers ?? 2;
  const cores = suites[0]?.machine.cores ?? availableParallelism();
  const loaded = run.loadAverage > cores;
  return [
    '| target | measured | wanted | result |',
    '|---|---|---|---|',
    `| workers -w ${w} ÷ loop, ${suites[2]?.title.split(':')[0] ?? 'CPU work per download'} | ` +
      `${ratio === null ? 'n/a' : ratio.toFixed(2)} | ≥ ${CPU_TARGET} | ${ratio !== null && ratio >= CPU_TARGET ? 'PASS' : 'FAIL'} |`,
    `| the whole showcase, wall time | ${(run.wallMs / 1000).toFixed(0)} s | about a minute | ${run.wallMs <= 75_000 ? 'PASS' : 'FAIL'} |`,
    '',
    `Load average (1 min), the higher of start and end: ${run.loadAverage.toFixed(1)} on ${cores} cores` +
      (loaded
        ? ' — the machine was loaded by other programs: these figures are distorted, rerun on a quiet machine.'
        : '.'),
  ];
}

/** A short markdown summary of the showcase's suites. */
export function showcaseMarkdown(
  suites: readonly BenchResult[],
  explanation: readonly string[],
  run?: ShowcaseRun,
): string {
  const m = suites[0]?.machine;
  const lines = [
    '# flagfetch showcase',
    '',
    m === undefined
      ? ''
      : `Machine: ${m.cores} cores, ${m.cpuModel}, Node ${m.node}, ${m.platform}, ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GB RAM — ${suites[0]?.startedAt ?? ''}`,
    '',
    `Rerun: \`${RERUN}\` (or \`npm start\` for the same matrix with report.html). Each run is a fresh process.`,
  ];
  if (run !== undefined) lines.push('', ...targetLines(suites, run));
  for (const s of suites) {
    lines.push(
      '',
      `## ${s.title}`,
      '',
      `${s.target.codeCount} codes × ${s.target.repeat} per run, ${s.warmup} warm-up + ${s.runs} runs per configuration, interleaved.`,
      '',
      '```',
      ...benchTable(s),
      '```',
    );
    for (const n of s.notes) lines.push(`- ${n}`);
  }
  lines.push('', '## What it shows', '', ...explanation.map((l) => `- ${l}`), '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const loadBefore = loadavg()[0] ?? 0;
  const t0 = performance.now();
  const suites = await runShowcase(Number.isSafeInteger(runs) && runs > 0 ? runs : 3, availableParallelism(), runOnce, {
    onProgress: say,
  });
  const run: ShowcaseRun = {
    wallMs: performance.now() - t0,
    loadAverage: Math.max(loadBefore, loadavg()[0] ?? 0),
  };
  const explanation = explainShowcase(suites);
  const targets = { cpuWorkersOverLoop: cpuRatio(suites), wanted: CPU_TARGET };
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const base = path.join(RESULTS_DIR, `showcase-${stamp}`);
  await writeFileAtomic(
    `${base}.json`,
    `${JSON.stringify({ schema: 1, rerun: RERUN, ...run, targets, explanation, suites }, null, 2)}\n`,
  );
  const md = showcaseMarkdown(suites, explanation, run);
  await writeFileAtomic(`${base}.md`, md);
  say(`wrote ${base}.json and ${base}.md`);
  process.stdout.write(md);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
