/**
 * The embedded server's synthetic flags against the real set (issue 11's CPU scenario needs
 * flags that cost what real ones cost to decode):
 *  1. `--work decode`'s step (omggif + dominant colours) per flag, synthetic ÷ real, within
 *     0.7–1.3 (rounds alternating which set goes first, in one process);
 *  2. what making them costs: all 194 from scratch in a fresh process (what the build does once),
 *     beside what a server pays at start instead (reading the build's pack), also fresh.
 * Run: `npm run build && node dist/bench/synthetic-flags.js`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { GifReader } from 'omggif';
import { loadDecoder } from '../src/cpu-work/decode.js';
import { COUNTRY_TABLE } from '../src/country-data.js';
import { syntheticContent } from '../src/server/content.js';
import { median, report, spread, writeSuite, type Target } from './lib/run.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const ROUNDS = 7;
const FRESH_RUNS = 5;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Milliseconds a fresh Node process reports for `body` (an ES module script printing one number). */
function freshMs(body: string): number {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], { encoding: 'utf8' });
  return Number(out.trim());
}

const url = (rel: string): string => new URL(rel, import.meta.url).href;
const MAKE_ALL = `const { syntheticFlag } = await import('${url('../src/server/synthetic-flag.js')}');
const { COUNTRY_TABLE } = await import('${url('../src/country-data.js')}');
const t0 = performance.now(); for (const r of COUNTRY_TABLE) syntheticFlag(r.iso);
console.log(performance.now() - t0);`;
const READ_PACK = `const { syntheticContent } = await import('${url('../src/server/content.js')}');
const t0 = performance.now(); const c = syntheticContent(); void c.get('/flags/br/br.gif').body;
console.log(performance.now() - t0);`;

function pixelsOf(gifs: readonly Buffer[]): number[] {
  return gifs.map((g) => {
    const r = new GifReader(g);
    return r.width * r.height;
  });
}

/** The two sets' GIFs (real: empty without ../shared/flags). */
function flagSets(): { synthetic: Buffer[]; real: Buffer[] } {
  const content = syntheticContent();
  const synthetic = COUNTRY_TABLE.map((r) => {
    const cc = r.iso.toLowerCase();
    return content.get(`/flags/${cc}/${cc}.gif`)?.body ?? Buffer.alloc(0);
  });
  const real = existsSync(path.join(SHARED, 'br', 'br.gif'))
    ? readdirSync(SHARED)
        .filter((n) => /^[a-z]{2}$/.test(n))
        .map((cc) => readFileSync(path.join(SHARED, cc, `${cc}.gif`)))
    : [];
  return { synthetic, real };
}

/** --work decode's milliseconds per flag of each set, one figure a round, rounds alternating which goes first. */
async function decodeRounds(sets: {
  synthetic: Buffer[];
  real: Buffer[];
}): Promise<Record<'synthetic' | 'real', number[]>> {
  const decode = await loadDecoder();
  const perFlagMs = (gifs: readonly Buffer[]): number => {
    const t0 = performance.now();
    for (const g of gifs) decode(g);
    return (performance.now() - t0) / gifs.length;
  };
  const ms = { synthetic: [] as number[], real: [] as number[] };
  const which = sets.real.length > 0 ? (['synthetic', 'real'] as const) : (['synthetic'] as const);
  for (const w of which) perFlagMs(sets[w]); // warm-up: the decoder's code is compiled before either set is timed
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const w of round % 2 === 0 ? which : [...which].reverse()) ms[w].push(perFlagMs(sets[w]));
  }
  return ms;
}

const range = (xs: readonly number[]): string =>
  xs.length === 0 ? 'n/a' : `${Math.round(mean(xs))} (${Math.min(...xs)}–${Math.max(...xs)})`;

/** Run the suite; returns its markdown. */
export async function runSyntheticFlags(): Promise<string> {
  const loadBefore = loadavg()[0] ?? 0;
  const sets = flagSets();
  const hasReal = sets.real.length > 0;
  const ms = await decodeRounds(sets);
  const makeAll = Array.from({ length: FRESH_RUNS }, () => freshMs(MAKE_ALL));
  const readPack = Array.from({ length: FRESH_RUNS }, () => freshMs(READ_PACK));
  const load = Math.max(loadBefore, loadavg()[0] ?? 0);
  const ratio = hasReal ? median(ms.synthetic.map((s, i) => s / (ms.real[i] ?? Number.NaN))) : Number.NaN;
  const targets: Target[] = [
    {
      name: '--work decode per flag, synthetic ÷ real',
      measured: hasReal ? ratio.toFixed(2) : 'no real set',
      target: '0.7–1.3',
      pass: hasReal ? ratio >= 0.7 && ratio <= 1.3 : null,
    },
  ];
  const details = [
    `${ROUNDS} rounds in one process, alternating which set goes first; the ratio is the median of the per-round ratios. ` +
      `Making and reading: ${FRESH_RUNS} fresh processes each.`,
    '',
    '| what | synthetic | real |',
    '|---|---|---|',
    `| --work decode per flag, ms | ${spread(ms.synthetic, 2)} | ${hasReal ? spread(ms.real, 2) : 'n/a'} |`,
    `| pixels, mean (min–max) | ${range(pixelsOf(sets.synthetic))} | ${range(pixelsOf(sets.real))} |`,
    `| bytes, mean (min–max) | ${range(sets.synthetic.map((g) => g.length))} | ${range(sets.real.map((g) => g.length))} |`,
    `| making all 194 in a fresh process (the build, once), ms | ${spread(makeAll)} | — |`,
    `| reading the build's pack at a server's start, fresh process, ms | ${spread(readPack, 1)} | — |`,
    '',
    `Load average (1 min) at the start and end, the higher: ${load.toFixed(1)} on ${availableParallelism()} cores` +
      (load > availableParallelism()
        ? ' — the machine was loaded by other programs: these figures are distorted, rerun on a quiet machine.'
        : '.'),
  ];
  return writeSuite(
    'synthetic-flags',
    'Synthetic flags against the real set',
    'npm run build && node dist/bench/synthetic-flags.js',
    targets,
    details,
    { decodeMsPerFlag: ms, ratio, makeAllMs: makeAll, readPackMs: readPack, loadAverage: load },
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runSyntheticFlags());
