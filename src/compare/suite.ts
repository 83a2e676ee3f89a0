/**
 * One bench suite end to end: start the server it names, run the configurations through
 * the runner, stop the server. Shared by `bench`, `showcase` and bench/showcase.ts.
 */
import type { ServerTarget } from '../models/types.js';
import { trapSignals } from '../signals.js';
import { describeCommand } from './run-once.js';
import { runBench, type BenchHooks } from './run-bench.js';
import { startBenchServer, writeUrlsFile } from './servers.js';
import type { TargetKind } from '../targets/url-list.js';
import type { BenchConfig, BenchResult, BenchTarget, Runner } from './types.js';

/** What a suite runs. */
export interface SuiteSpec {
  readonly title: string;
  readonly server: ServerTarget;
  readonly delayMs?: number | undefined;
  readonly codeArgs: readonly string[];
  readonly codeCount: number;
  readonly repeat: number;
  /** More arguments for every run (see BenchTarget.runArgs). */
  readonly runArgs?: readonly string[] | undefined;
  readonly configs: readonly BenchConfig[];
  readonly notes: readonly string[];
  readonly runs: number;
  readonly warmup: number;
  /** The embedded servers over TLS (every run trusts their CA). */
  readonly tls?: boolean | undefined;
  /** An https URL's CA every run trusts (`--ca FILE`). */
  readonly caFile?: string | undefined;
  /** Every run skips certificate verification (`--insecure`). */
  readonly insecure?: boolean | undefined;
  /** Codes on the flags site (absent means this), a {cc} template, or a URL list. */
  readonly kind?: TargetKind | undefined;
  /** A list's URLs, handed to every run as a file. */
  readonly urls?: readonly string[] | undefined;
  /** See BenchTarget.maxFailed. */
  readonly maxFailed?: number | undefined;
  /** See BenchTarget.rateDurationMs. */
  readonly rateDurationMs?: number | undefined;
}

/** Start the suite's server, run every configuration, stop the server. */
export async function runSuite(spec: SuiteSpec, runner: Runner, hooks: BenchHooks = {}): Promise<BenchResult> {
  const server = await startBenchServer(spec.server, spec.delayMs, spec.tls === true);
  const urls = await writeUrlsFile(spec.urls);
  try {
    const target: BenchTarget = {
      serverLabel: server.label,
      baseUrl: server.url,
      codeArgs: spec.codeArgs,
      codeCount: spec.codeCount,
      repeat: spec.repeat,
      runArgs: spec.runArgs,
      caFile: server.caFile ?? spec.caFile,
      insecure: spec.insecure,
      kind: spec.kind,
      urlsFile: urls.file,
      maxFailed: spec.maxFailed,
      rateDurationMs: spec.rateDurationMs,
    };
    const rate = spec.configs.some((c) => c.rate !== undefined) ? 1 : undefined;
    const example: BenchConfig = { model: 'workers', workers: 2, maxReq: 100, split: 'dynamic', rate };
    const command = describeCommand(example, target)
      .replace(/-w 2 (--split \S+ )?-m 100/, '-w W $1-m N')
      .replace('--model workers', '--model MODEL')
      .replace('--rate 1 ', '--rate R ');
    return await runBench({ ...spec, target, delayMs: server.delayMs, command }, runner, hooks);
  } finally {
    await urls.remove();
    await server.stop();
  }
}

/** An AbortSignal raised by the first Ctrl-C (no further runs start); release() unhooks it. */
export function stopOnInterrupt(say: (line: string) => void): { signal: AbortSignal; release(): void } {
  return trapSignals(
    say,
    'stopping: the run in progress is ended and left out, the rest skipped; the partial report follows (press Ctrl-C again to quit at once)',
  );
}
