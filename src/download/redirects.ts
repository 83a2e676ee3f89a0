/**
 * Following redirects: at most MAX_REDIRECTS hops, only to http(s), and only to the same
 * origin unless --follow-redirects=any. A refused redirect is a FetchFailure.
 */
import { FetchFailure, failureOf } from './classify.js';
import type { Got } from './get-once.js';
import type { FetchSettings } from './settings.js';

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 3;

/** One GET of `path` at `origin` (the caller's retries and routing included). */
export type GetAt = (origin: string, path: string) => Promise<Got>;

/** True when `got` is a redirect with somewhere to go. */
export function isRedirect(got: Got): boolean {
  return got.status >= 300 && got.status < 400 && got.location !== undefined;
}

/**
 * Follow the redirect `got` answered for `path` at `origin`, and the ones after it;
 * resolves with the first answer that is not a redirect.
 */
export async function followRedirects(
  getAt: GetAt,
  origin: string,
  path: string,
  got: Got,
  policy: FetchSettings['followRedirects'],
): Promise<Got> {
  let at = origin;
  for (let hop = 0; isRedirect(got); hop += 1) {
    const next = nextHop(new URL(path, at), got.location ?? '', hop, origin, policy);
    at = next.origin;
    path = next.pathname + next.search;
    got = await getAt(at, path);
  }
  return got;
}

/** Where redirect number `hop` (0-based) from `from` to `location` goes, or why not. */
function nextHop(
  from: URL,
  location: string,
  hop: number,
  origin: string,
  policy: FetchSettings['followRedirects'],
): URL {
  if (hop + 1 > MAX_REDIRECTS)
    throw new FetchFailure({
      kind: 'http-error',
      reason: 'too many redirects',
      detail: `more than ${MAX_REDIRECTS} redirects`,
    });
  const to = URL.canParse(location, from.href) ? new URL(location, from) : undefined;
  if (to === undefined) {
    throw new FetchFailure({
      kind: 'http-error',
      reason: 'bad redirect',
      detail: `redirect to a malformed Location ${JSON.stringify(location.slice(0, 200))} refused`,
    });
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:')
    throw new FetchFailure({
      kind: 'http-error',
      reason: 'bad redirect',
      detail: `redirect to ${to.protocol} refused`,
    });
  if (policy === 'same-origin' && to.origin !== origin) {
    throw new FetchFailure({
      kind: 'http-error',
      reason: 'redirect off origin',
      detail: `redirect to ${to.origin} refused (use --follow-redirects=any)`,
    });
  }
  return to;
}

/**
 * A failure at a redirect's target, with the target named in its detail (it is not the
 * server that answered the redirect which failed). Reason and kind are unchanged.
 */
export function atTarget(err: unknown, url: string, timeoutMs: number): FetchFailure {
  const f = failureOf(err, timeoutMs);
  return new FetchFailure({ ...f, detail: `${f.detail} at ${url} (after a redirect)` });
}
