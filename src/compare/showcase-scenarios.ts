/**
 * The showcase (`npm start`): the four models on the embedded LOCAL server (CPU-bound: no
 * delay), the DELAY server (latency-bound), DELAY with a short delay and CPU work per
 * download (`--work decode`: where worker threads pay), and the models at the same offered
 * rate with that work (showcase-rate.ts); few runs, and a plain explanation.
 */
import { ALL_CODES } from '../countries.js';
import { resolveServer } from '../options.js';
import { runSuite, type SuiteSpec } from './suite.js';
import type { BenchHooks } from './run-bench.js';
import type { BenchConfig, BenchResult, Runner } from './types.js';
import type { WorkKind } from '../cpu-work/kind.js';
import { explainCpu } from './showcase-cpu.js';
import { beatLoop, byModel, compareWords } from './showcase-words.js';
import { explainRate, rateSuite, sameRate } from './showcase-rate.js';

export { compareWords };

/** Delay of the showcase's DELAY server. */
export const SHOWCASE_DELAY_MS = 150;
/** Delay of the CPU-work scenario's DELAY server: short, so the client's CPU is the limit. */
export const CPU_DELAY_MS = 20;
/** Passes over the 194 codes in the CPU-work scenario. */
const CPU_REPEAT = 5;
const LOCAL_REPEAT = 20;
const MAX_REQ = 100;

/**
 * The three suites of the showcase, with `runs` measured runs per configuration; `work` is
 * the CPU-work scenario's work per download (decode unless told otherwise).
 */
export function showcaseSuites(runs: number, workers: number, work: WorkKind = 'decode'): SuiteSpec[] {
  const split = 'dynamic' as const;
  const models = (sequential: Partial<BenchConfig>, more: Partial<BenchConfig> = {}): BenchConfig[] => [
    { model: 'sequential', workers: 1, maxReq: 1, split, ...more, ...sequential },
    { model: 'loop', workers: 1, maxReq: MAX_REQ, split, ...more },
    { model: 'threads', workers, maxReq: MAX_REQ, split, ...more },
    { model: 'workers', workers, maxReq: MAX_REQ, split, ...more },
  ];
  const common = { codeArgs: ['-a'], codeCount: ALL_CODES.length, runs, warmup: 1 };
  return [
    {
      ...common,
      title: 'LOCAL — no delay: throughput bound by CPU',
      server: resolveServer('LOCAL'),
      repeat: LOCAL_REPEAT,
      configs: models({ repeat: 2 }),
      notes: [`sequential runs the 194 codes ×2 instead of ×${LOCAL_REPEAT} to save time; req/s compares fairly`],
    },
    {
      ...common,
      title: `DELAY — ${SHOWCASE_DELAY_MS} ms per response: throughput bound by latency`,
      server: resolveServer('DELAY'),
      delayMs: SHOWCASE_DELAY_MS,
      repeat: 1,
      configs: models({ limit: 10 }),
      notes: ['sequential downloads the first 10 codes only (1.5 s a run); req/s compares fairly'],
    },
    {
      ...common,
      title: `CPU work per download — DELAY ${CPU_DELAY_MS} ms, --work ${work}: throughput bound by the client's CPU`,
      server: resolveServer('DELAY'),
      delayMs: CPU_DELAY_MS,
      repeat: CPU_REPEAT,
      configs: models({ limit: 20, repeat: 1 }, { work }),
      notes: [
        'every flag is also ' +
          (work === 'decode'
            ? 'decoded (its pixels, in JavaScript) and its colours counted'
            : `put through --work ${work}`) +
          ', on the thread that downloaded it, inside the timed run',
        'sequential downloads the first 20 codes once only; req/s compares fairly',
      ],
    },
  ];
}

/** Run the three suites through the runner, then the same-rate one. */
export async function runShowcase(
  runs: number,
  workers: number,
  runner: Runner,
  hooks: BenchHooks = {},
  work: WorkKind = 'decode',
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const suites = showcaseSuites(runs, workers, work);
  for (let i = 0; i <= suites.length; i++) {
    if (hooks.signal?.aborted === true) break;
    // The last: every model at the same offered rate, a quarter above what the loop managed with the work.
    const spec = suites[i] ?? rateSuite(sameRate(results[2]), runs, workers, work, CPU_DELAY_MS);
    hooks.onProgress?.(`showcase: ${spec.title}`);
    results.push(await runSuite(spec, runner, hooks));
  }
  return results;
}

/** A few plain sentences on what the numbers show on this machine (pure). */
export function explainShowcase(results: readonly BenchResult[]): string[] {
  const lines: string[] = [];
  const [local, delay, cpu, rate] = results;
  if (local !== undefined) lines.push(...explainLocal(local));
  if (delay !== undefined) lines.push(...explainDelay(delay));
  if (cpu !== undefined) lines.push(...explainCpu(cpu));
  if (rate !== undefined) lines.push(...explainRate(rate));
  const runs = results[0]?.runs ?? 0;
  lines.push(
    `Few runs (${runs} per configuration after 1 warm-up, each a fresh process): each ratio is a ratio of ` +
      `medians with its 95 % bootstrap interval, and "beat" is said only where the interval excludes 1. ` +
      `Use 'flagfetch bench' for more.`,
  );
  return lines;
}

function explainLocal(r: BenchResult): string[] {
  const loop = byModel(r, 'loop');
  const workers = byModel(r, 'workers');
  const seq = byModel(r, 'sequential');
  if (loop === undefined || workers === undefined || workers.ratioToLoop === null)
    return ['LOCAL: not enough good runs to compare.'];
  const cores = r.machine.cores;
  const elu = Math.round(loop.eluMean * 100);
  const why = beatLoop(workers)
    ? `the single loop was busy ${elu} % of the time, so it was the bottleneck, and the other threads found CPU to spare.`
    : `on ${cores} core${cores === 1 ? '' : 's'} the embedded server runs on the same cores as the ` +
      `client; the single loop was busy ${elu} % of the time, and a second client thread mostly competes ` +
      `with the server for CPU instead of adding any.`;
  const lines = [
    `On LOCAL (no delay) every request is CPU work for both client and server: the single event ` +
      `loop did ${Math.round(loop.requestsPerSec.median)} req/s. ${workers.config.workers} worker ` +
      `threads ${compareWords(workers)}: ${why}`,
  ];
  if (seq !== undefined && seq.ratioToLoop !== null) {
    lines.push(
      `Sequential, one request at a time, reached ${seq.ratioToLoop.toFixed(2)}× the loop: even on ` +
        `loopback, waiting for each answer leaves the CPU idle.`,
    );
  }
  return lines;
}

function explainDelay(r: BenchResult): string[] {
  const loop = byModel(r, 'loop');
  const workers = byModel(r, 'workers');
  const threads = byModel(r, 'threads');
  const delayS = (r.delayMs ?? SHOWCASE_DELAY_MS) / 1000;
  if (loop === undefined || workers === undefined || workers.ratioToLoop === null)
    return ['DELAY: not enough good runs to compare.'];
  const inFlight = Math.min(loop.config.maxReq, r.target.codeCount);
  const lines = [
    `On DELAY every response waits ${Math.round(delayS * 1000)} ms, so throughput is about requests ` +
      `in flight ÷ delay: the loop kept ${inFlight} in flight and did ${Math.round(loop.requestsPerSec.median)} ` +
      `req/s (busy only ${Math.round(loop.eluMean * 100)} % of the time). Worker threads ${compareWords(workers)}: ` +
      `waiting needs no CPU, so more threads add nothing but start-up time (${Math.round(workers.startupMs)} ` +
      `ms).`,
  ];
  if (threads !== undefined && threads.ratioToLoop !== null) {
    lines.push(
      `The threads model hands each flag to one of its ${threads.threads ?? threads.config.workers} threads as a task, ` +
        `with the same ${threads.inFlight ?? threads.config.maxReq} requests in flight, and reached ` +
        `${threads.ratioToLoop.toFixed(2)}× the loop: with waiting, in-flight requests matter, not threads.`,
    );
  }
  return lines;
}
