/**
 * What bench and tune fetch, by download's own rules (resolveWork, no second parser): codes on
 * the flags site, a `{cc}` template or a `--urls` list; what every child run is handed (`-s`
 * with code arguments, or the list's URLs, which the caller writes to a file for `--urls`);
 * and the failed share a run may have before its configuration is no result. Pure.
 */
import { UsageError } from '../errors.js';
import { ALL_CODES, printable } from '../countries.js';
import { parseCount } from '../flags.js';
import type { ServerTarget } from '../models/types.js';
import { resolveWork } from './resolve.js';
import type { TargetKind } from './url-list.js';

/** The targets of every run of a bench or tune. */
export interface RunTargets {
  /** The server label and URL: a base URL, a template as typed, or a list's first origin. */
  readonly server: ServerTarget;
  readonly kind: TargetKind;
  /** Code arguments for every run (`-a`, `-e`, codes, `-l N`); empty for a list. */
  readonly codeArgs: readonly string[];
  /** Requests of one pass: codes asked for, or URLs listed. */
  readonly codeCount: number;
  /** A list's URLs (after --limit), handed to every run as a file; undefined otherwise. */
  readonly urls: readonly string[] | undefined;
  /** Largest share of a run's requests not found or failed before its configuration fails (0..1). */
  readonly maxFailed: number;
}

/** The target flags as commander hands them over. */
export interface RawTargetFlags {
  all?: boolean;
  every?: boolean;
  limit?: string;
  server?: string;
  urls?: string;
  tls?: boolean;
  maxFailed?: string;
}

/**
 * Resolve the targets; no codes means all 194 on the flags site or with a template (download's
 * default is 20). `inputs.urlsText` is the --urls file, read by the command. Throws UsageError.
 */
export function resolveRunTargets(
  args: readonly string[],
  raw: RawTargetFlags,
  inputs: { readonly urlsText?: string | undefined } = {},
): RunTargets {
  const limit = raw.limit === undefined ? undefined : parseCount('--limit', raw.limit, 1, Number.MAX_SAFE_INTEGER);
  const every = raw.every === true;
  const all = raw.urls === undefined && (raw.all === true || (args.length === 0 && !every));
  const work = resolveWork(args, { server: raw.server, urls: raw.urls, all, every, tls: raw.tls }, inputs, limit);
  const list = work.kind === 'list';
  const codeArgs = list
    ? []
    : [
        ...(every ? ['-e'] : all ? ['-a'] : []),
        ...args.map((a) => a.toUpperCase()),
        ...(limit === undefined ? [] : ['-l', String(limit)]),
      ];
  return {
    server: work.server,
    kind: work.kind,
    codeArgs,
    codeCount: work.keys.length,
    urls: list ? work.keys : undefined,
    maxFailed:
      raw.maxFailed === undefined
        ? defaultMaxFailed(work.kind, work.server.label, work.keys)
        : parseShare('--max-failed', raw.maxFailed),
  };
}

/**
 * What failing a list or a template may do: nothing (every URL is one the user wants). Flag
 * codes: the share of codes that are no country (`-e`: 482 of 676), which the flags site
 * answers 404; on the ERROR server, anything but downloading nothing (its errors are its point).
 */
export function defaultMaxFailed(kind: TargetKind, label: string, keys: readonly string[]): number {
  if (kind !== 'flags') return 0;
  if (label === 'ERROR') return 1;
  const known = new Set(ALL_CODES);
  return keys.length === 0 ? 0 : keys.filter((k) => !known.has(k)).length / keys.length;
}

/** A share from 0 to 1, written `0.05` or `5%`. */
export function parseShare(flag: string, value: string): number {
  const text = value.trim();
  const percent = text.endsWith('%');
  const n = Number(percent ? text.slice(0, -1) : text);
  const share = percent ? n / 100 : n;
  if (text === '' || text === '%' || !Number.isFinite(share) || share < 0 || share > 1)
    throw new UsageError(
      `${flag} takes a share from 0 to 1 or a percentage, e.g. 0.05 or 5%, not '${printable(value)}'`,
    );
  return share;
}
