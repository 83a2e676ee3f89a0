/** Hand-built download reports and bench results for the bench, tune and HTML tests. */
import type { JsonReport, JsonWorkerReport } from '../../src/compare/json-report.js';
import type { BenchConfig, BenchResult, BenchTarget, Runner } from '../../src/compare/types.js';
import { buildMatrix, configKey } from '../../src/compare/matrix.js';
import { runBench } from '../../src/compare/run-bench.js';

/** A consistent report: 194 ok codes in `elapsedMs`, `workers` workers with the given ELU. */
export function fakeReport(over: Partial<JsonReport> & { elu?: number[] } = {}): JsonReport {
  const elapsedMs = over.elapsedMs ?? 100;
  const total = over.total ?? 194;
  const elu = over.elu ?? [0.5];
  const latencyMs = over.latencyMs ?? { count: total, min: 1, mean: 3, p50: 2, p90: 5, p99: 9, max: 12 };
  const perWorker: JsonWorkerReport[] = elu.map((e, i) => ({
    id: i + 1,
    total: total / elu.length,
    ok: total / elu.length,
    notFound: 0,
    errors: 0,
    cancelled: 0,
    bytes: 0,
    elapsedMs,
    requestsPerSec: 0,
    eventLoopUtilization: e,
    latencyMs,
  }));
  const { elu: _elu, ...rest } = over;
  return {
    schema: 1,
    model: 'loop',
    server: 'LOCAL',
    url: 'http://127.0.0.1:1/flags',
    workers: elu.length,
    maxReq: 100,
    split: 'dynamic',
    repeat: 1,
    protocol: 'h1',
    connections: 100,
    connectMsPerConnection: 0,
    total,
    ok: total,
    notFound: 0,
    errors: 0,
    cancelled: 0,
    bytes: total * 12_000,
    elapsedMs,
    startupMs: 0,
    connectMs: 0,
    requestsPerSec: (total * 1000) / elapsedMs,
    megabytesPerSec: (total * 12_000) / 1e6 / (elapsedMs / 1000),
    latencyMs,
    errorsByReason: {},
    perWorker,
    interrupted: false,
    failure: null,
    cpuUserMs: 80,
    cpuSystemMs: 20,
    peakRssBytes: 60 * 2 ** 20,
    node: 'v20.20.2',
    cores: 2,
    ...rest,
  };
}

/** A LOCAL target of 194 codes, one pass. */
export const LOCAL_TARGET: BenchTarget = {
  serverLabel: 'LOCAL',
  baseUrl: 'http://127.0.0.1:1/flags',
  codeArgs: ['-a'],
  codeCount: 194,
  repeat: 1,
};

/** Shorthand configurations. */
export const LOOP100: BenchConfig = { model: 'loop', workers: 1, maxReq: 100, split: 'dynamic' };
export const WORKERS2: BenchConfig = { model: 'workers', workers: 2, maxReq: 100, split: 'dynamic' };

/**
 * A plausible bench of every model over max-req 10, 100, 1000 and 1–2 workers, from
 * hand-built reports (throughput rises with max-req and flattens; run-to-run jitter of ±4 %).
 */
export async function sampleBench(title: string, serverLabel = 'LOCAL'): Promise<BenchResult> {
  const { configs, notes } = buildMatrix({
    models: ['sequential', 'loop', 'threads', 'workers'],
    workers: [1, 2],
    maxReq: [10, 100, 1000],
    split: 'dynamic',
  });
  const count = new Map<string, number>();
  const runner: Runner = (c) => {
    const k = configKey(c);
    const n = (count.get(k) ?? 0) + 1;
    count.set(k, n);
    const base = { sequential: 900, loop: 9000, threads: 5000, workers: 7000 * (c.workers === 2 ? 1.3 : 1) }[c.model];
    const rps =
      base *
      (c.model === 'sequential' ? 1 : Math.min(1, 0.45 + Math.log10(c.maxReq) / 5)) *
      (1 + 0.04 * Math.sin(n * 2.1 + c.maxReq));
    const elapsedMs = (3880 * 1000) / rps;
    const threads = c.model === 'threads' ? Math.min(c.maxReq, c.workers) : c.workers;
    const elu = Array.from({ length: threads }, (_, i) => Math.min(1, 0.55 + 0.3 * Math.cos(i + c.maxReq)));
    const lat = {
      count: 3880,
      min: 0.2,
      mean: c.maxReq / 8,
      p50: c.maxReq / 10 + 0.5,
      p90: c.maxReq / 6 + 1,
      p99: c.maxReq / 4 + 2,
      max: c.maxReq / 3 + 5,
    };
    return Promise.resolve(
      fakeReport({
        total: 3880,
        elapsedMs,
        latencyMs: lat,
        elu,
        workers: threads,
        startupMs: c.model === 'workers' || c.model === 'threads' ? 30 * threads : 0,
      }),
    );
  };
  const target = { ...LOCAL_TARGET, serverLabel, repeat: 20 };
  return runBench(
    {
      title,
      configs,
      notes,
      target,
      delayMs: serverLabel === 'DELAY' ? 150 : null,
      runs: 3,
      warmup: 1,
      command: 'flagfetch download --json --no-save … -a',
    },
    runner,
  );
}
