/**
 * The parts of undici the client uses, loaded on their own. `import 'undici'` loads all of
 * it (fetch, WebSocket, caches), most of which a client never uses; a Client and the retry
 * interceptor are all a worker thread needs, and what it does not load is start-up saved. The
 * Agent (only for redirects to other origins) loads when first needed. undici 7 has no
 * `exports` map, so these paths are public files of the package; test/client.test.ts
 * exercises each of them. Static imports (typed in undici-lib.d.ts), so that the worker
 * bundles (scripts/bundle.ts) include them.
 */
import type * as Undici from 'undici';
import ClientClass from 'undici/lib/dispatcher/client.js';
import buildConnector from 'undici/lib/core/connect.js';
import retry from 'undici/lib/interceptor/retry.js';

/** undici's Client: one keep-alive connection to one origin. */
export const Client = ClientClass;
/** undici's connector factory (buildConnector): how a Client opens its socket. */
export const buildConnectorOf = buildConnector;
/** undici's retry interceptor (interceptors.retry). */
export const retryInterceptor = retry;
/**
 * undici's Agent (pools for any origin), loaded on first call (node:module too: a pool thread
 * that never needs it does not load Node's module API and the ES module loader parts it brings).
 */
export function loadAgent(): typeof Undici.Agent {
  const { createRequire } = process.getBuiltinModule('node:module');
  return createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
}
/** node:tls, loaded only for https servers. */
export function loadTls(): typeof import('node:tls') {
  return process.getBuiltinModule('node:tls');
}
