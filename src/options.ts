/**
 * One options module: the download command's defaults, and resolveOptions(raw) turning
 * what commander parsed (strings) into validated Options. Pure: no I/O, no printing.
 * Every message names the flag and the fix.
 */
import { availableParallelism } from 'node:os';
import { MODEL_NAMES, type ModelName, type ServerTarget, type SplitMode } from './models/types.js';
import type { FetchSettings } from './download/settings.js';
import { parseChoice, parseCount } from './flags.js';
import type { RateSchedule } from './download/schedule.js';
import { resolveRate } from './rate-options.js';
import { parseWork } from './cpu-work/kind.js';
import { resolveTransport, resolveWork } from './targets/resolve.js';
import type { DownloadInputs, RawDownloadOptions } from './raw-options.js';
import type { TargetKind } from './targets/url-list.js';

export { SERVER_URLS, resolveServer } from './targets/resolve.js';

/** Largest accepted values: beyond them a run only measures contention. */
export const LIMITS = { maxReq: 10_000, workers: 256, repeat: 10_000_000, timeoutMs: 3_600_000, retries: 10 } as const;

/** Defaults of the download command. */
export const DEFAULTS = {
  maxReq: 100,
  workers: availableParallelism(),
  model: 'workers' as ModelName,
  split: 'dynamic' as SplitMode,
  server: 'LOCAL',
  dest: './downloads',
  repeat: 1,
  timeoutMs: 10_000,
  retries: 0,
  maxBytes: 5 * 1024 * 1024,
} as const;

/**
 * A new run name, unique enough for a flag server that remembers 256 runs: the process, the
 * time and 48 random bits, in base 36 (made here, before the pool starts, so threads get it).
 */
export function newRunId(): string {
  const random = Math.floor(Math.random() * 2 ** 48).toString(36);
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${random}`;
}

/** Validated options of one download run. */
export interface Options {
  readonly codes: readonly string[];
  readonly repeat: number;
  readonly model: ModelName;
  readonly workers: number;
  readonly maxReq: number;
  readonly split: SplitMode;
  readonly server: ServerTarget;
  readonly embedded: boolean;
  readonly verbose: boolean;
  readonly json: boolean;
  /** Also write the JSON report to this file (--export-json). */
  readonly exportJson: string | undefined;
  /** --quiet: no progress and no notes on stderr, only the result (and errors). */
  readonly quiet: boolean;
  /** Progress bars when stderr is a terminal (--no-progress: never). */
  readonly progress: boolean;
  readonly failOnError: boolean;
  /** --tls: the embedded servers (LOCAL/DELAY/ERROR) over HTTPS, their certificate trusted. */
  readonly tls: boolean;
  /** --connections: connections carrying the requests in flight (undefined: the protocol's default). */
  readonly connections: number | undefined;
  /** Where the work comes from: codes on the flags site, a {cc} template, or a --urls list. */
  readonly targetKind: TargetKind;
  /** --rate (with --arrival, --seed, --duration): the open model's schedule; undefined: a closed model. */
  readonly rate: RateSchedule | undefined;
  /** Requests in all for a --duration run (the list repeated); undefined: codes × repeat. */
  readonly requests: number | undefined;
  readonly fetch: FetchSettings;
}

/** Validate and convert raw options; throws UsageError with a one-line message. */
export function resolveOptions(args: readonly string[], raw: RawDownloadOptions, inputs: DownloadInputs = {}): Options {
  const limit = raw.limit === undefined ? undefined : parseCount('--limit', raw.limit, 1, Number.MAX_SAFE_INTEGER);
  const what = resolveWork(args, raw, inputs, limit);
  const { server } = what;
  const transport = resolveTransport(raw, inputs, what);
  return {
    codes: what.keys,
    repeat: parseCount('--repeat', raw.repeat, 1, LIMITS.repeat, DEFAULTS.repeat),
    ...resolveRate(raw, LIMITS.repeat),
    model: parseChoice('--model', raw.model, MODEL_NAMES, DEFAULTS.model),
    workers: parseCount('--workers', raw.workers, 1, LIMITS.workers, DEFAULTS.workers),
    maxReq: parseCount('--max-req', raw.maxReq, 1, LIMITS.maxReq, DEFAULTS.maxReq),
    split: parseChoice('--split', raw.split, ['static', 'dynamic'] as const, DEFAULTS.split),
    server,
    embedded: raw.embedded !== false,
    verbose: raw.verbose === true,
    json: raw.json === true,
    exportJson: raw.exportJson,
    quiet: raw.quiet === true,
    progress: raw.progress !== false && raw.quiet !== true,
    failOnError: raw.failOnError === true,
    tls: raw.tls === true,
    connections:
      raw.connections === undefined ? undefined : parseCount('--connections', raw.connections, 1, LIMITS.maxReq),
    targetKind: what.kind,
    fetch: {
      baseUrl: server.url,
      timeoutMs: parseCount('--timeout', raw.timeout, 1, LIMITS.timeoutMs, DEFAULTS.timeoutMs),
      retries: parseCount('--retries', raw.retries, 0, LIMITS.retries, DEFAULTS.retries),
      maxBytes: parseCount('--max-bytes', raw.maxBytes, 1, Number.MAX_SAFE_INTEGER, DEFAULTS.maxBytes),
      followRedirects: parseChoice(
        '--follow-redirects',
        raw.followRedirects,
        ['same-origin', 'any'] as const,
        'same-origin',
      ),
      dest: raw.save === false ? null : (raw.dest ?? DEFAULTS.dest),
      names: raw.names === true,
      work: parseWork('--work', raw.work),
      ...transport,
      runId: inputs.runId ?? newRunId(),
      targets: what.targets,
      // A URL list or a template fetches the user's files, not flags: no "must be a GIF" check.
      ...(what.targets === undefined ? {} : { gifOnly: false }),
    },
  };
}
