/**
 * The verdict of a bench in plain words (pure), per group of equal work kind and protocol:
 * do worker threads help here, by how much, and how sure; from the one ratio statistic
 * (ratio-stat.ts) and its decision, which the showcase's words share. A busy machine is said
 * first: its ratios are unreliable.
 */
import { groupOf, groupWords } from './matrix.js';
import { noiseText, type MachineNoise } from './machine-load.js';
import { ratioText, type Decision } from './ratio-stat.js';
import type { BenchConfig, ConfigSummary, Ranking } from './types.js';

/** `workers -w 2 -m 100`, `loop -m 14`: a configuration in the words of the command line. */
export function commandWords(c: BenchConfig): string {
  const w = c.model === 'workers' || c.model === 'threads' ? ` -w ${c.workers}` : '';
  const m = c.model === 'sequential' ? '' : ` -m ${c.maxReq}`;
  return `${c.model}${w}${m}${c.connections === undefined ? '' : ` --connections ${c.connections}`}`;
}

/** How a configuration did against the single loop, in words from its decision (shared with the showcase). */
export function againstLoopWords(s: Pick<ConfigSummary, 'decision' | 'ratioInterval'>): string {
  const r = s.ratioInterval === null ? '' : ` (${ratioText(s.ratioInterval)})`;
  const words: Record<Decision, string> = {
    faster: `beat the single loop${r}`,
    slower: `were slower than the single loop${r}`,
    same: `did about as well as the single loop${r}, within noise`,
    'few runs': `could not be told apart from the single loop${r}: too few runs`,
  };
  return words[s.decision];
}

/** The verdict: the machine's noise when it was busy, then one sentence per group. */
export function benchVerdict(
  configs: readonly ConfigSummary[],
  ranking: Ranking,
  noise: MachineNoise | null,
): string[] {
  const lines: string[] = [];
  if (noise?.busy === true)
    lines.push(
      `The machine was busy: ${noiseText(noise)}; the ratios below are unreliable (rerun on a quiet machine).`,
    );
  const valid = configs.filter((c) => c.failed === undefined && c.goodRuns > 0);
  for (const group of [...new Set(valid.map((c) => groupOf(c.config)))]) {
    const members = valid.filter((c) => groupOf(c.config) === group);
    const line = threadsSentence(group, members) ?? rankingSentence(group, ranking);
    if (line !== null) lines.push(line);
  }
  if (lines.length === 0 || (lines.length === 1 && noise?.busy === true))
    lines.push('No verdict: no configuration had a good run.');
  return lines;
}

/** Do threads help in this group: its best threads or workers configuration against the loop. */
function threadsSentence(group: string, members: readonly ConfigSummary[]): string | null {
  const pool = members.filter(
    (c) => (c.config.model === 'threads' || c.config.model === 'workers') && c.ratioInterval !== null,
  );
  const best = [...pool].sort((a, b) => (b.ratioToLoop ?? 0) - (a.ratioToLoop ?? 0))[0];
  if (best === undefined || best.ratioInterval === null) return null;
  const g = groupWords(group);
  const who = commandWords(best.config);
  const r = ratioText(best.ratioInterval);
  const loop = `the loop at -m ${best.config.maxReq}`;
  switch (best.decision) {
    case 'faster':
      return `Worker threads help ${g}: ${who} ran ${r} ${loop}.`;
    case 'same':
      return `Worker threads do not help ${g}: the best of them, ${who}, ran ${r} ${loop}, within noise.`;
    case 'slower':
      return `Worker threads cost ${g}: the best of them, ${who}, ran only ${r} ${loop}.`;
    case 'few runs':
      return `Too few runs to tell whether worker threads help ${g}: ${who} ran ${r} ${loop} (3 runs each at least).`;
  }
}

/** Without threads in the group: its fastest against the runner-up. */
function rankingSentence(group: string, ranking: Ranking): string | null {
  const r = ranking.groups.find((g) => g.group === group);
  const next = r?.comparisons[0];
  if (r === undefined || next === undefined) return null;
  const g = groupWords(group);
  const ratio = ratioText(next.ratio);
  return next.decision === 'faster'
    ? `Fastest ${g}: ${r.fastestLabel}, ${ratio} as fast as the runner-up ${next.label}.`
    : `No clear fastest ${g}: ${r.fastestLabel} ran ${ratio} ${next.label}, within noise.`;
}
