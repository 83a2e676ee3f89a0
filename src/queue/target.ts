/**
 * Where a queue lives: `--queue redis://[user:password@]host[:port][/db]` (or `rediss://` for
 * TLS), validated like any other flag (pure). Messages never show the password.
 */
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';

/** A validated queue URL, and the same URL fit to print. */
export interface QueueTarget {
  /** The URL as given, password included: only ever handed to the Redis client. */
  readonly url: string;
  /** The URL with any password replaced by `***`, for messages and reports. */
  readonly shown: string;
  /** The database (the URL's /N, 0 when none). */
  readonly db: number;
  /** A password given apart from the URL (see QueuePassword); null: the URL's own, if any. */
  readonly password: string | null;
}

/** A Redis password given apart from the URL, so that it never shows in `ps`, and where from. */
export interface QueuePassword {
  readonly value: string;
  /** The environment variable or flag it came from, for messages. */
  readonly from: string;
}

const EXAMPLE = 'such as redis://127.0.0.1:6379';

/** Parse the value of `flag` (`--queue`) as a redis:// or rediss:// URL; throws UsageError. */
export function parseQueueUrl(flag: string, value: string, password: QueuePassword | null = null): QueueTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} '${printable(value)}' is not a URL: give a Redis URL ${EXAMPLE}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(
      `${flag} '${printable(shownUrl(url))}' is not a redis:// or rediss:// URL: give one ${EXAMPLE}`,
    );
  }
  if (url.hostname === '')
    throw new UsageError(`${flag} '${printable(shownUrl(url))}' names no host: give one ${EXAMPLE}`);
  if (!/^(\/\d{0,2})?$/.test(url.pathname) || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `${flag} '${printable(shownUrl(url))}' may only end in a database number (/0 … /99): ${EXAMPLE}/0`,
    );
  }
  if (password !== null && url.password !== '')
    throw new UsageError(
      `${flag} has a password and ${password.from} gives one too: give it once (not in the URL: ps shows it)`,
    );
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return { url: value, shown: shownUrl(url), db, password: password?.value ?? null };
}

function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href.replace(/\/$/, '');
}
