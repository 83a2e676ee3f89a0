/**
 * The parts of undici the client uses, loaded on their own. `import 'undici'` loads all of
 * it (fetch, WebSocket, caches: ~65 ms here); these three files load in ~20 ms, which is
 * most of a worker thread's start-up. undici 7 has no `exports` map, so these paths are
 * public files of the package; test/client.test.ts exercises all three.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

/** undici's Pool: keep-alive connections to one origin. */
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
/** undici's Agent: pools for any origin (redirects with --follow-redirects=any). */
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
/** undici's retry interceptor (interceptors.retry). */
export const retryInterceptor = require('undici/lib/interceptor/retry.js') as typeof Undici.interceptors.retry;
