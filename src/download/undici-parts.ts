/**
 * The parts of undici the client uses, loaded on their own. `import 'undici'` loads all of
 * it (fetch, WebSocket, caches: ~65 ms here); a Client and the retry interceptor load in
 * ~15 ms, which is most of a worker thread's start-up. The Agent (only for redirects to
 * other origins) loads when first needed. undici 7 has no `exports` map, so these paths
 * are public files of the package; test/client.test.ts exercises each of them.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

/** undici's Client: one keep-alive connection to one origin. */
export const Client = require('undici/lib/dispatcher/client.js') as typeof Undici.Client;
/** undici's connector factory (buildConnector): how a Client opens its socket. */
export const buildConnectorOf = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
/** undici's retry interceptor (interceptors.retry). */
export const retryInterceptor = require('undici/lib/interceptor/retry.js') as typeof Undici.interceptors.retry;
/** undici's Agent (pools for any origin), loaded on first call. */
export function loadAgent(): typeof Undici.Agent {
  return require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
}
