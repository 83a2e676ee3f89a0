/**
 * The error reasons: the one small vocabulary every error is counted under (errorsByReason,
 * `Errors:` in the text report). Two carry a value (`http 503`, `save failed: no space left on
 * device (ENOSPC)`); the rest are fixed words. The README's "Error reasons" table lists them
 * (test/reasons.test.ts holds the two together). `-v` prints the longer detail.
 */

/** Every reason, with what it means (the README table). `NNN`, `CAUSE` and `CODE` stand for values. */
export const REASONS = {
  'http NNN': 'the server answered a status other than 200 and 404 (`http 503`)',
  timeout: 'no whole answer (connect to last byte) within `--timeout`',
  refused: 'nothing listens at the address (connection refused)',
  dns: 'the host name was not found',
  unreachable: 'no route to the host or network',
  reset: 'the server closed or reset the connection before the answer was complete',
  truncated: 'the body ended before its Content-Length (and a retry could not resume it)',
  'too large': 'the answer was bigger than `--max-bytes`',
  'bad response': 'not an HTTP answer flagfetch can read: malformed, headers too large, an unexpected 1xx',
  'not a GIF': 'a 200 whose body does not start with GIF87a/GIF89a, or whose Content-Type is not image/gif',
  'bad metadata': '`--names`: metadata.json is not JSON, or has no `country` string',
  'invalid image':
    '`--work decode`: the body did not decode as a GIF image (corrupt or cut-short image data); not saved',
  'work failed': "the API's own `work` step threw on this body (`-v` says why); not saved",
  'too many redirects': 'more than 3 redirects',
  'bad redirect': 'a redirect to something other than http(s), or to a malformed Location',
  'redirect off origin': 'a redirect to another origin without `--follow-redirects any`',
  certificate: "the server's TLS certificate is not trusted (unknown CA): `--ca FILE` or `--insecure`",
  'certificate expired':
    "the server's TLS certificate has expired or is not yet valid (its dates, or this machine's clock)",
  'certificate name': "the server's TLS certificate is not for the host name asked (use a name it was issued for)",
  tls: 'the TLS handshake failed otherwise (a server that does not speak TLS, a protocol mismatch)',
  'save failed: CAUSE (CODE)':
    'the flag arrived but could not be written (`save failed: no space left on device (ENOSPC)`): the run exits 1',
  'worker died': 'threads model: the thread running the download died',
  lost: "workers model: a dead worker's codes that could not be run again",
  'shard refused': '`--queue`: an agent refused the shard (an origin it does not `--allow`, a malformed job)',
  'shard lost': '`--queue`: the shard never came back (no agent left, stalled too often, a malformed result)',
  network: 'any other network error (`-v` says which)',
} as const;

/** A reason of the vocabulary (values filled in). */
export type Reason = string;

/** The reason of an HTTP status other than 200 and 404. */
export function httpReason(status: number): Reason {
  return `http ${status}`;
}

/** The reason of a body the `--work decode` step could not decode. */
export const INVALID_IMAGE: Reason = 'invalid image';
/** A body whose own work step (the API's `work: { module }`) threw. */
export const WORK_FAILED: Reason = 'work failed';

/** The first word of a save failure's reason; every save failure's reason starts with it. */
export const SAVE_FAILED = 'save failed';

/** The reason of a failed save, from the file system's error: `save failed: no space left on device (ENOSPC)`. */
export function saveFailedReason(err: unknown): Reason {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) ? e.code : 'EIO';
  // Node's fs messages are `ENOSPC: no space left on device, write`: the middle is libuv's text.
  const text =
    typeof e.message === 'string' ? /^E[A-Z0-9]+: ([a-z][a-z ,'-]*?)(?:,|$)/.exec(e.message)?.[1] : undefined;
  return `${SAVE_FAILED}: ${text ?? 'i/o error'} (${code})`;
}

/** True when `reason` belongs to the vocabulary. */
export function isKnownReason(reason: string): boolean {
  if (/^http [1-5]\d\d$/.test(reason)) return true;
  if (/^save failed: [a-z][a-z ,'-]* \(E[A-Z0-9]+\)$/.test(reason)) return true;
  return Object.hasOwn(REASONS, reason) && !reason.includes('NNN') && !reason.includes('CAUSE');
}
