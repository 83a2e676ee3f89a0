/**
 * Options of `flagfetch bench` and `flagfetch tune` (pure): lists of models, worker counts,
 * max-req values and work kinds, the code selection passed on to every run, runs and warm-ups.
 */
import path from 'node:path';
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';
import { MODEL_NAMES, type ModelName, type ServerTarget, type SplitMode } from '../models/types.js';
import { LIMITS } from '../options.js';
import { parseChoice, parseCount } from '../flags.js';
import { parseWork, parseWorkList, type WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';
import { checkTrustFlags, type RawTrustFlags } from '../targets/resolve.js';
import { resolveRunTargets, type RawTargetFlags, type RunTargets } from '../targets/run-targets.js';

/** The code selection of a download, as typed, and the codes it means. */
export interface CodeChoice {
  /** Arguments passed to every run: `-e`, `-a`, codes, `-l N`. */
  readonly codeArgs: readonly string[];
  readonly codeCount: number;
}

/** What commander hands over for the shared flags (strings as typed). */
export interface RawWorkloadOptions extends RawTrustFlags, RawTargetFlags {
  split?: string;
  repeat?: string;
  delay?: string;
  work?: string;
  works?: string;
  protocols?: string;
  http2?: boolean;
  connections?: string;
}

/** The workload shared by bench and tune. */
export interface Workload extends RunTargets {
  readonly split: SplitMode;
  readonly repeat: number;
  /** Delay of the embedded DELAY server, in ms, when given. */
  readonly delayMs: number | undefined;
  /** CPU work per download to compare (`--work KIND` or `--works LIST`); ['none'] by default. */
  readonly works: readonly WorkKind[];
  /** Protocols to compare (`--protocols h1,h2`); ['h1'] by default. */
  readonly protocols: readonly Protocol[];
  /** Connection counts to compare (`--connections LIST`); undefined: the protocol's default. */
  readonly connections: readonly number[] | undefined;
  /** The embedded servers over TLS (`--tls`, or h2 among the protocols); every run trusts their CA. */
  readonly tls: boolean;
  /** `--ca FILE` (an absolute path) every run trusts: an https URL's private CA. */
  readonly caFile: string | undefined;
  /** `--insecure`: every run skips certificate verification. */
  readonly insecure: boolean;
}

/** Codes as download would choose them, except that no codes means -a (all 194). */
export function resolveCodes(args: readonly string[], raw: RawWorkloadOptions): CodeChoice {
  const { codeArgs, codeCount } = resolveRunTargets(args, { ...raw, server: undefined, urls: undefined });
  return { codeArgs, codeCount };
}

/** Targets (download's: codes, template, --urls), split, repeat, delay, work kinds and protocols, validated. */
export function resolveWorkload(
  args: readonly string[],
  raw: RawWorkloadOptions,
  defaultRepeat: number,
  inputs: { readonly urlsText?: string | undefined } = {},
): Workload {
  const targets = resolveRunTargets(args, raw, inputs);
  const { server } = targets;
  const delayMs = raw.delay === undefined ? undefined : parseCount('--delay', raw.delay, 0, 600_000);
  if (delayMs !== undefined && server.label !== 'DELAY') {
    throw new UsageError(`--delay applies to the embedded DELAY server only: add --server DELAY or drop --delay`);
  }
  const protocols = resolveProtocols(raw);
  const tls = raw.tls === true || protocols.includes('h2');
  if (tls && server.label === 'URL' && !server.url.startsWith('https:'))
    throw new UsageError(
      `HTTP/2 and --tls need HTTPS: bench https:// URLs, or LOCAL, DELAY or ERROR (embedded over TLS)`,
    );
  if (tls && server.label === 'REMOTE')
    throw new UsageError(`--tls and h2 are for LOCAL, DELAY, ERROR or an https URL`);
  checkTrust(raw, server);
  return {
    ...targets,
    split: parseChoice('--split', raw.split, ['static', 'dynamic'] as const, 'dynamic'),
    repeat: parseCount('--repeat', raw.repeat, 1, LIMITS.repeat, defaultRepeat),
    delayMs,
    works: resolveWorks(raw),
    protocols,
    connections:
      raw.connections === undefined ? undefined : parseCountList('--connections', raw.connections, 1, LIMITS.maxReq),
    tls,
    caFile: raw.ca === undefined ? undefined : path.resolve(raw.ca),
    insecure: raw.insecure === true,
  };
}

/** `--protocols LIST`, or `--http2` (download's spelling of `--protocols h2`); both is a UsageError. */
function resolveProtocols(raw: RawWorkloadOptions): Protocol[] {
  if (raw.http2 === true && raw.protocols !== undefined)
    throw new UsageError(`--http2 is --protocols h2: give one of them (--protocols h1,h2 compares the two)`);
  return raw.http2 === true ? ['h2'] : parseProtocolList(raw.protocols ?? 'h1');
}

/** --ca and --insecure are for an https URL (the embedded servers' own certificate is trusted already). */
function checkTrust(raw: RawWorkloadOptions, server: ServerTarget): void {
  checkTrustFlags(raw);
  const flag = raw.ca !== undefined ? '--ca' : raw.insecure === true ? '--insecure' : undefined;
  if (flag !== undefined && !server.url.startsWith('https:'))
    throw new UsageError(
      `${flag} is for an https:// server: give one with -s (the embedded servers over --tls are trusted without it)`,
    );
}

/** A comma-separated list of protocols (h1, h2), de-duplicated. */
export function parseProtocolList(value: string): Protocol[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--protocols takes a comma-separated list such as h1,h2, not '${printable(value)}'`);
  return [...new Set(items.map((s) => parseChoice('--protocols', s, ['h1', 'h2'] as const, 'h1')))];
}

/** `--work KIND` (one) or `--works LIST` (a dimension); both is a usage error. */
export function resolveWorks(raw: Pick<RawWorkloadOptions, 'work' | 'works'>): WorkKind[] {
  if (raw.work !== undefined && raw.works !== undefined)
    throw new UsageError(`give --work KIND or --works LIST, not both: --works none,decode compares the two`);
  return raw.works === undefined ? [parseWork('--work', raw.work)] : parseWorkList('--works', raw.works);
}

/** A comma-separated list of whole numbers in [min, max], de-duplicated, in the order given. */
export function parseCountList(flag: string, value: string, min: number, max: number): number[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`${flag} takes a comma-separated list such as 1,2,4, not '${printable(value)}'`);
  return [...new Set(items.map((s) => parseCount(flag, s, min, max)))];
}

/** A comma-separated list of model names, de-duplicated. */
export function parseModelList(value: string): ModelName[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--models takes a comma-separated list such as loop,workers, not '${printable(value)}'`);
  return [...new Set(items.map((s) => parseChoice('--models', s, MODEL_NAMES, 'loop')))];
}

/** --models, or --model (the old spelling); both is a UsageError. */
export function oneSpelling(raw: { models?: string; model?: string }): string | undefined {
  if (raw.models !== undefined && raw.model !== undefined)
    throw new UsageError('--model is the old spelling of --models: give --models once');
  return raw.models ?? raw.model;
}
