/**
 * The engine-speed suite's verdicts and details table (pure): from the rates and times that
 * bench/engine-speed.ts measured to its targets rows and markdown lines.
 */
import { median, spread, type Target } from './run.js';

/** Rounds of the suite and connections of every throughput run. */
export const ROUNDS = 5;
export const CONNECTIONS = 100;

/** What the engine-speed rounds measured, one value per round in each list. */
export interface EngineSamples {
  readonly rates: {
    readonly wrk: number[];
    readonly loop: number[];
    readonly workers: number[];
    readonly loopLong: number[];
    readonly workersLong: number[];
    readonly bareUndici: number[];
    readonly bareUndiciShort: number[];
    readonly wrkEmbedded: number[];
    readonly loopEmbedded: number[];
  };
  readonly startupPerWorkerMs: number[];
  readonly delay: { readonly loop: number[]; readonly workers: number[] };
}

/** Empty lists, filled round by round. */
export function noSamples(): EngineSamples {
  return {
    rates: {
      wrk: [],
      loop: [],
      workers: [],
      loopLong: [],
      workersLong: [],
      bareUndici: [],
      bareUndiciShort: [],
      wrkEmbedded: [],
      loopEmbedded: [],
    },
    startupPerWorkerMs: [],
    delay: { loop: [], workers: [] },
  };
}

/** The rows of issue 3's targets, from the medians of the samples. */
export function engineTargets(samples: EngineSamples): Target[] {
  const { rates, startupPerWorkerMs, delay } = samples;
  const toWrk = (xs: number[]): number => (rates.wrk.length > 0 ? median(xs) / median(rates.wrk) : Number.NaN);
  const embeddedRatio =
    rates.wrkEmbedded.length > 0 ? median(rates.loopEmbedded) / median(rates.wrkEmbedded) : Number.NaN;
  const delayRow = (model: 'loop' | 'workers'): Target => ({
    name: `DELAY 500 ms, -e -m 1000, ${model}`,
    measured: `${Math.round(median(delay[model]))} ms`,
    target: '≤ 650 ms',
    pass: median(delay[model]) <= 650,
  });
  return [
    ratioRow('loop ÷ wrk, -a --repeat 50, 100 connections', toWrk(rates.loop), 0.45, 'wrk not installed'),
    ratioRow(
      'loop ÷ wrk, -a --repeat 250 (48,500 requests: past JIT warm-up)',
      toWrk(rates.loopLong),
      0.45,
      'wrk not installed',
    ),
    referenceRow(
      'bare undici loop ÷ wrk (reference: pool.request + arrayBuffer, 9,700 requests)',
      toWrk(rates.bareUndiciShort),
    ),
    referenceRow('bare undici loop ÷ wrk (reference, 48,500 requests)', toWrk(rates.bareUndici)),
    ratioRow('loop ÷ wrk against the embedded flagfetch server, -a --repeat 50', embeddedRatio, 0.45),
    ratioRow('workers (2) ÷ loop, same work', median(rates.workers) / median(rates.loop), 0.85),
    ratioRow('workers (2) ÷ loop, 48,500 requests', median(rates.workersLong) / median(rates.loopLong), 0.85),
    {
      name: 'workers start-up per worker',
      measured: `${median(startupPerWorkerMs).toFixed(1)} ms`,
      target: '< 40 ms',
      pass: median(startupPerWorkerMs) < 40,
    },
    delayRow('loop'),
    delayRow('workers'),
  ];
}

/** A ratio that passes at `min` or more; NaN (nothing to compare with) shows `missing` and has no verdict. */
function ratioRow(name: string, ratio: number, min: number, missing = 'n/a'): Target {
  const none = Number.isNaN(ratio);
  return {
    name,
    measured: none ? missing : ratio.toFixed(2),
    target: `≥ ${min.toFixed(2)}`,
    pass: none ? null : ratio >= min,
  };
}

/** A reference ratio, shown beside the targets with no verdict. */
function referenceRow(name: string, ratio: number): Target {
  return { name, measured: Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(2), target: '≈ 0.50 (issue 3)', pass: null };
}

/** The details under the targets: the server, how the rounds ran, every figure as median (min–max). */
export function engineDetails(samples: EngineSamples, serverName: string): string[] {
  const { rates, startupPerWorkerMs, delay } = samples;
  return [
    `Server for the throughput rows: ${serverName}. ${ROUNDS} rounds, each running wrk (3 s, -t 1 -c ${CONNECTIONS}, cycling through the 194 flag paths), loop and workers (9,700 requests each, a fresh process each), then the two DELAY runs (676 codes on the embedded DELAY server, 500 ms). Medians (min–max):`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| wrk req/s | ${rates.wrk.length > 0 ? spread(rates.wrk) : 'n/a'} |`,
    `| loop req/s (9,700 requests) | ${spread(rates.loop)} |`,
    `| loop req/s (48,500 requests) | ${spread(rates.loopLong)} |`,
    `| bare undici loop req/s (9,700 requests, connecting included) | ${spread(rates.bareUndiciShort)} |`,
    `| bare undici loop req/s (48,500 requests, connecting included) | ${spread(rates.bareUndici)} |`,
    `| workers -w 2 req/s | ${spread(rates.workers)} |`,
    `| workers -w 2 req/s (48,500 requests) | ${spread(rates.workersLong)} |`,
    `| wrk req/s against the embedded server | ${rates.wrkEmbedded.length > 0 ? spread(rates.wrkEmbedded) : 'n/a'} |`,
    `| loop req/s against the embedded server | ${rates.loopEmbedded.length > 0 ? spread(rates.loopEmbedded) : 'n/a'} |`,
    `| workers start-up ms per worker | ${spread(startupPerWorkerMs, 1)} |`,
    `| DELAY loop elapsed ms | ${spread(delay.loop)} |`,
    `| DELAY workers elapsed ms | ${spread(delay.workers)} |`,
    '',
    'Client, server and wrk share the 2 cores: the ratios are what this machine allows, not what the client alone could do. Elapsed times and rates count from the moment every connection is open (and, for workers, every thread is up); that start-up is reported apart as startupMs.',
  ];
}
