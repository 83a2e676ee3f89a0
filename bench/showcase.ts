/**
 * The showcase as a bench suite: `node dist/bench/showcase.js [runs]` runs the showcase
 * matrix (four models on the embedded LOCAL and DELAY servers, and with CPU work per
 * download) and writes
 * bench/results/showcase-<date>.json and .md (machine info, tables, the command to rerun).
 */
import { availableParallelism } from 'node:os';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../src/compare/run-once.js';
import { explainShowcase, runShowcase } from '../src/compare/showcase-scenarios.js';
import type { BenchResult } from '../src/compare/types.js';
import { writeFileAtomic } from '../src/atomic-file.js';
import { benchTable } from '../src/report/bench-table.js';

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results');
const RERUN = 'npm run build && node dist/bench/showcase.js';

/** A short markdown summary of the showcase's suites. */
export function showcaseMarkdown(suites: readonly BenchResult[], explanation: readonly string[]): string {
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
  const suites = await runShowcase(Number.isSafeInteger(runs) && runs > 0 ? runs : 3, availableParallelism(), runOnce, {
    onProgress: say,
  });
  const explanation = explainShowcase(suites);
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const base = path.join(RESULTS_DIR, `showcase-${stamp}`);
  await writeFileAtomic(
    `${base}.json`,
    `${JSON.stringify({ schema: 1, rerun: RERUN, explanation, suites }, null, 2)}\n`,
  );
  await writeFileAtomic(`${base}.md`, showcaseMarkdown(suites, explanation));
  say(`wrote ${base}.json and ${base}.md`);
  process.stdout.write(showcaseMarkdown(suites, explanation));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
