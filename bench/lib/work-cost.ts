/**
 * Does `--work none` cost anything? The change that brought --work (the commit that added
 * src/cpu-work/kind.ts) against its parent, both built from git and run side by side on
 * the LOCAL loop: the change alone, nothing else between them. This build runs in the same
 * rounds against the same parent, as context: what everything merged since costs, not --work.
 * Two figures a build: requests/s, and the client's CPU per request (the whole process's CPU
 * at `--repeat 50` less at `--repeat 5`, over the requests between them: start-up cancels),
 * which a machine busy with other programs distorts far less than requests/s.
 */
import { rm } from 'node:fs/promises';
import { buildBaseline, commitAdding, commitBefore } from './baseline.js';
import { median, runDownload, spread, type Target } from './run.js';
import type { JsonReport } from '../../src/compare/json-report.js';

/** The builds compared: before --work, the --work commit, and this build (undefined: the built CLI). */
export const COST_BUILDS = ['before', 'change', 'now'] as const;
type Which = (typeof COST_BUILDS)[number];

/** The two commits built from git: the --work commit and the one before it. */
export interface CostBuilds {
  readonly commits: Record<'before' | 'change', string>;
  readonly cli: Record<Which, string | undefined>;
  readonly dirs: readonly string[];
}

/** Samples per build, one per round. */
export interface CostSamples {
  readonly rps: Record<Which, number[]>;
  readonly cpuUsPerRequest: Record<Which, number[]>;
}

const WORK_FILE = 'src/cpu-work/kind.ts';
const BIG = 50;
const SMALL = 5;
const args = (url: string, repeat: number): string[] => [
  '--model',
  'loop',
  '-a',
  '--repeat',
  String(repeat),
  '-m',
  '100',
  '--no-save',
  '-s',
  url,
];

/** The LOCAL command measured, for the suite's text. */
export const COST_COMMAND = `flagfetch download --model loop -a --repeat ${BIG} -m 100 --no-save`;

/**
 * Build the --work commit and its parent (`before` overrides the parent, e.g. from
 * FLAGFETCH_BASELINE_REV); a string says why they could not be built.
 */
export async function buildCostBuilds(repo: string, before?: string): Promise<CostBuilds | string> {
  try {
    const commits = { before: commitBefore(repo, WORK_FILE, before), change: commitAdding(repo, WORK_FILE) };
    const b = await buildBaseline(repo, commits.before);
    const c = await buildBaseline(repo, commits.change);
    return { commits, cli: { before: b.cli, change: c.cli, now: undefined }, dirs: [b.dir, c.dir] };
  } catch (err) {
    return `no baseline build (${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)})`;
  }
}

/** Remove the builds' temp folders. */
export async function removeCostBuilds(builds: CostBuilds): Promise<void> {
  await Promise.all(builds.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Empty samples. */
export function emptyCostSamples(): CostSamples {
  return { rps: { before: [], change: [], now: [] }, cpuUsPerRequest: { before: [], change: [], now: [] } };
}

const cpuMs = (r: JsonReport): number => (r.cpuUserMs ?? Number.NaN) + (r.cpuSystemMs ?? Number.NaN);

/** One round: each build once at --repeat 5 and once at --repeat 50, in an order rotated by `round`. */
export async function measureCostRound(
  builds: CostBuilds,
  url: string,
  round: number,
  into: CostSamples,
): Promise<void> {
  for (let i = 0; i < COST_BUILDS.length; i += 1) {
    const which = COST_BUILDS[(i + round) % COST_BUILDS.length] ?? 'now';
    const cli = builds.cli[which];
    const small = (await runDownload(args(url, SMALL), {}, cli)).report;
    const big = (await runDownload(args(url, BIG), {}, cli)).report;
    into.rps[which].push(big.requestsPerSec);
    into.cpuUsPerRequest[which].push(((cpuMs(big) - cpuMs(small)) * 1000) / (big.total - small.total));
  }
}

/** Median of the per-round ratios a[i] / b[i]. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((v, i) => v / (b[i] ?? Number.NaN)));
}

/** The suite's rows for --work none: the --work commit ÷ its parent in requests/s (the target) and in CPU per request (a figure). */
export function costTargets(s: CostSamples | string): Target[] {
  const within = (r: number): boolean | null => (Number.isNaN(r) ? null : Math.abs(1 - r) <= 0.03);
  const ratio = (f: 'rps' | 'cpuUsPerRequest'): number =>
    typeof s === 'string' ? Number.NaN : pairedRatio(s[f].change, s[f].before);
  const shown = (r: number, digits: number): string => (typeof s === 'string' ? s : r.toFixed(digits));
  const rps = ratio('rps');
  const cpu = ratio('cpuUsPerRequest');
  return [
    {
      name: 'LOCAL loop, --work none: req/s of the --work commit ÷ its parent (the change alone)',
      measured: shown(rps, 3),
      target: '0.97–1.03',
      pass: within(rps),
    },
    {
      // A figure beside the target, not a second one: steadier than req/s under load, but its
      // per-round noise on a loaded machine (±4 %) is wider than the 3 % bound.
      name: 'LOCAL loop, --work none: client CPU per request, the --work commit ÷ its parent',
      measured: shown(cpu, 3),
      target: 'no target: the cost itself, beside the req/s above',
      pass: null,
    },
  ];
}

/** Detail rows: each build's figures, and this build against the one before --work. */
export function costRows(s: CostSamples, builds: CostBuilds): string[] {
  const name: Record<Which, string> = {
    before: `before --work (${builds.commits.before.slice(0, 10)})`,
    change: `the --work commit (${builds.commits.change.slice(0, 10)})`,
    now: 'this build',
  };
  return [
    ...COST_BUILDS.map((w) => `| LOCAL loop req/s, ${name[w]} | ${spread(s.rps[w])} |`),
    ...COST_BUILDS.map((w) => `| LOCAL loop client CPU µs/request, ${name[w]} | ${spread(s.cpuUsPerRequest[w], 1)} |`),
    `| this build ÷ before --work: req/s, CPU per request (everything merged since, no target) | ${pairedRatio(s.rps.now, s.rps.before).toFixed(3)}, ${pairedRatio(s.cpuUsPerRequest.now, s.cpuUsPerRequest.before).toFixed(3)} |`,
  ];
}
