/**
 * Plain data of a benchmark: what is run (BenchConfig on a BenchTarget), what one run gave
 * (RunRecord), what a configuration amounts to (ConfigSummary, BenchResult), and how the
 * configurations rank (Ranking: computed by ranking.ts).
 */
import type { ModelName, SplitMode } from '../models/types.js';
import type { JsonCounts, JsonReport } from './json-report.js';
import type { Percentiles } from './curve-types.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';
import type { TargetKind } from '../targets/url-list.js';
import type { Curve, RateSummary } from './curve-types.js';

/** One point of the matrix: a model with its concurrency. */
export interface BenchConfig {
  /** The concurrency model. */
  readonly model: ModelName;
  /** Pool threads (-w) of the threads and workers models; 1 for the others. */
  readonly workers: number;
  /** Requests in flight in total; 1 for sequential. */
  readonly maxReq: number;
  /** How codes are handed to workers (workers model). */
  readonly split: SplitMode;
  /** CPU work per download (`--work`); absent means none. */
  readonly work?: WorkKind | undefined;
  /** 'h2' for HTTP/2 (`--http2`); absent means HTTP/1.1. */
  readonly protocol?: Protocol | undefined;
  /** Connections carrying the requests (`--connections`); absent means the protocol's default. */
  readonly connections?: number | undefined;
  /** Passes over the codes for this configuration when it differs from the target's (scaled workload). */
  readonly repeat?: number | undefined;
  /** At most this many codes for this configuration (scaled workload). */
  readonly limit?: number | undefined;
  /** True when the bench added it (a `loop` baseline for ratios) rather than the user. */
  readonly auto?: boolean | undefined;
  /** Offered rate in requests per second (`--rate`, bench --rates): an open model; absent: a closed one. */
  readonly rate?: number | undefined;
}

/** The server and the workload every run of a bench talks to. */
export interface BenchTarget {
  /** LOCAL, DELAY, ERROR or URL. */
  readonly serverLabel: string;
  /** Base URL of the flags, no trailing slash. */
  readonly baseUrl: string;
  /** Code selection as download's arguments: `-a`, `-e`, `-l N`, codes. */
  readonly codeArgs: readonly string[];
  /** How many codes one pass asks for. */
  readonly codeCount: number;
  /** Passes over the codes in every run. */
  readonly repeat: number;
  /** More arguments for every workers run, e.g. `--queue redis://… --agents 2` (bench --queue; other models run here). */
  readonly runArgs?: readonly string[] | undefined;
  /** A CA certificate file every run trusts (`--ca`): the embedded servers' over TLS, or the user's --ca. */
  readonly caFile?: string | undefined;
  /** Every run skips certificate verification (`--insecure`). */
  readonly insecure?: boolean | undefined;
  /** Codes on the flags site (absent means this), a {cc} template in baseUrl, or a URL list in urlsFile. */
  readonly kind?: TargetKind | undefined;
  /** The file of URLs every run fetches (`--urls`), for a URL list; baseUrl is then its first origin. */
  readonly urlsFile?: string | undefined;
  /** Largest share of a run's requests not found or failed before its configuration fails (absent: 1, only a run that downloaded nothing fails). */
  readonly maxFailed?: number | undefined;
  /** Length of every run with a rate (`--duration`), in ms, the list repeated; absent: the list × repeat. */
  readonly rateDurationMs?: number | undefined;
}

/** Runs one configuration once (in a fresh process, for the real runner); the signal stops it at once. */
export type Runner = (config: BenchConfig, target: BenchTarget, signal?: AbortSignal) => Promise<JsonReport>;

/** One measured (or warm-up) run and what was wrong with it, if anything. */
export interface RunRecord {
  /** The configuration it ran (ConfigSummary.key). */
  readonly configKey: string;
  /** 1-based run number within its configuration. */
  readonly run: number;
  /** A warm-up run, never counted. */
  readonly warmup: boolean;
  /** The run's download report, or null when it gave none. */
  readonly report: JsonReport | null;
  /** Why the run is left out of the medians; empty when it counts. */
  readonly flags: readonly string[];
}

/** Median with the range it came from. */
export interface Spread {
  /** The median. */
  readonly median: number;
  /** The least. */
  readonly min: number;
  /** The most. */
  readonly max: number;
}

/**
 * Why a configuration is no result: its runs downloaded nothing, or failed more than
 * --max-failed allows. A failed configuration is never ranked, charted or recommended.
 */
export interface ConfigFailure {
  /** In words, e.g. `194 of 194 not found`. */
  readonly reason: string;
  /** One URL that failed, for the user to try by hand. */
  readonly exampleUrl?: string | undefined;
}

/** What one configuration amounts to over its good runs. */
export interface ConfigSummary {
  /** Stable key of the configuration, e.g. `workers|w2|m100|dynamic`. */
  readonly key: string;
  /** The configuration in words, e.g. `workers w2 m100 dynamic`. */
  readonly label: string;
  /** What was run. */
  readonly config: BenchConfig;
  /** Threads the runs actually started (pool threads of the threads and workers models; 1 otherwise); null without a good run. */
  readonly threads: number | null;
  /** Requests in flight in total the runs actually used (never more than requests per run); null without a good run. */
  readonly inFlight: number | null;
  /** Measured runs that count. */
  readonly goodRuns: number;
  /** Measured runs left out (failed, interrupted, disagreeing, an outlier). */
  readonly flaggedRuns: number;
  /** Each good run's elapsed time, in milliseconds: median and range. */
  readonly elapsedMs: Spread;
  /** Throughput of the good runs, requests per second: median and range. */
  readonly requestsPerSec: Spread;
  /** Median MB (10^6 bytes) per second. */
  readonly megabytesPerSec: number;
  /** Medians of the per-run percentiles (each run's histogram already merged across its workers). */
  readonly latencyMs: Percentiles;
  /** Median CPU time of a run (the whole process), in milliseconds. */
  readonly cpuMs: number;
  /** Median peak resident memory of a run, in bytes. */
  readonly peakRssBytes: number;
  /** Median start-up of a run (threads and connections), in milliseconds. */
  readonly startupMs: number;
  /** Median CPU time of the --work step per run, over all threads, in ms (0 without --work). */
  readonly workMs: number;
  /** Mean event-loop utilization of each worker (index = worker), averaged over the good runs. */
  readonly eluPerWorker: readonly number[];
  /** The mean of eluPerWorker. */
  readonly eluMean: number;
  /** (max - min) / median of elapsed time. */
  readonly spreadRatio: number;
  /** True when spreadRatio is too wide to trust the medians alone. */
  readonly noisy: boolean;
  /** Key of the loop configuration this one is compared with, and the ratio of median throughputs. */
  readonly baselineKey: string | null;
  /** Median throughput over its baseline loop's, or null without one. */
  readonly ratioToLoop: number | null;
  /** The ratio to the loop with its bootstrap interval (see ratio-stat.ts); null without a baseline. */
  readonly ratioInterval: RatioInterval | null;
  /** What the interval says against the loop: faster or slower only where it excludes 1. */
  readonly decision: Decision;
  /** Counts of a good run: total, ok, not found, errors. */
  readonly counts: Pick<JsonCounts, 'total' | 'ok' | 'notFound' | 'errors'> | null;
  /** Set when the configuration is no result (see ConfigFailure); absent when it counts. */
  readonly failed?: ConfigFailure | undefined;
  /** With a rate: what was offered against achieved, lateness, both latencies (absent without a good run). */
  readonly rate?: RateSummary | undefined;
}

/** The machine a bench ran on. */
export interface MachineInfo {
  /** Available parallelism. */
  readonly cores: number;
  /** The first CPU's model name. */
  readonly cpuModel: string;
  /** The Node.js version. */
  readonly node: string;
  /** Operating system and architecture, e.g. `linux x64`. */
  readonly platform: string;
  /** Total memory, in bytes. */
  readonly totalMemoryBytes: number;
}

/** Everything one bench measured, plain and serialisable (the JSON output). */
export interface BenchResult {
  /** The version of this shape. */
  readonly schema: 1;
  /** What the bench is called (`flagfetch bench`, a showcase suite's title). */
  readonly title: string;
  /** When it started (ISO 8601). */
  readonly startedAt: string;
  /** The machine it ran on. */
  readonly machine: MachineInfo;
  /** The server and workload of every run. */
  readonly target: BenchTarget;
  /** The DELAY server's delay, or null when it does not apply. */
  readonly delayMs: number | null;
  /** Measured runs per configuration: at least `runs`, at most `maxRuns` (more while an interval is wide). */
  readonly runs: number;
  /** Most measured runs of a configuration whose ratio's interval stayed wide. */
  readonly maxRuns?: number | undefined;
  /** Warm-up runs per configuration, not counted. */
  readonly warmup: number;
  /** How one run was executed, for the reader (every run is a fresh process). */
  readonly command: string;
  /** What the reader should know: loop baselines added, runs stopped early… */
  readonly notes: readonly string[];
  /** One summary per configuration, in the order run. */
  readonly configs: readonly ConfigSummary[];
  /** Every run, warm-ups included, with why it was left out. */
  readonly records: readonly RunRecord[];
  /** Per group of equal work and protocol, the fastest (highest median req/s) against every other configuration. */
  readonly ranking: Ranking;
  /** With one group, the key of the fastest configuration when the data separates it from every other one; else null. */
  readonly bestKey: string | null;
  /** CPU used by other processes and the load average while the runs were made; null when not measured. */
  readonly noise: MachineNoise | null;
  /** The verdict in plain words (see verdict.ts; with rates, curve.ts). */
  readonly verdict: readonly string[];
  /** With rates (bench --rates): each configuration's latency–throughput curve and its knee. */
  readonly curves?: readonly Curve[] | undefined;
}

/** A ratio of medians with its 95 % bootstrap interval (computed by ratio-stat.ts). */
export interface RatioInterval {
  /** median(a) / median(b). */
  readonly ratio: number;
  /** 2.5th and 97.5th percentiles of the resampled ratios. */
  readonly lo: number;
  /** 97.5th percentile of the resampled ratios. */
  readonly hi: number;
}

/** What a ratio says: a is faster, slower, the same within noise, or there are too few runs to tell. */
export type Decision = 'faster' | 'slower' | 'same' | 'few runs';

/** The machine's noise during the runs (measured by machine-load.ts). */
export interface MachineNoise {
  /** CPU used by other processes as a share of cores × wall time (0.5 = one core of two); null when unknown. */
  readonly otherCpuShare: number | null;
  /** The 1-minute load average before the runs. */
  readonly loadBefore: number;
  /** The 1-minute load average after them. */
  readonly loadAfter: number;
  /** Available parallelism. */
  readonly cores: number;
  /** otherCpuShare above BUSY_SHARE: ratios measured meanwhile are unreliable. */
  readonly busy: boolean;
}

/** Throughput samples of one configuration. */
export interface Samples {
  readonly key: string;
  readonly label: string;
  /** The group it is compared within: `none h1`, `decode h2`… */
  readonly group: string;
  /** Requests per second of each good run. */
  readonly values: readonly number[];
}

/** The fastest of a group against one other. */
export interface Comparison {
  /** The other configuration's key. */
  readonly key: string;
  /** The other configuration's label. */
  readonly label: string;
  /** Median throughput of the fastest ÷ this one's (≥ 1), with its interval. */
  readonly ratio: RatioInterval;
  /** 'faster' when told apart; 'same' or 'few runs' when not. */
  readonly decision: Decision;
}

/** The ranking of one group (of equal work kind and protocol). */
export interface RankGroup {
  /** The group: work kind and protocol, e.g. `none h1`. */
  readonly group: string;
  /** Key of its fastest configuration (highest median req/s). */
  readonly fastestKey: string;
  /** Label of its fastest configuration. */
  readonly fastestLabel: string;
  /** The fastest against each other configuration of the group. */
  readonly comparisons: readonly Comparison[];
  /** The fastest, when every comparison tells it apart; else null. */
  readonly winnerKey: string | null;
}

/** The whole ranking, one entry per group with a good run. */
export interface Ranking {
  /** One per group of equal work kind and protocol that had a good run. */
  readonly groups: readonly RankGroup[];
}
