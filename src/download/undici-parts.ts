/**
 * The parts of undici the client uses, imported on their own. `import 'undici'` loads all of
 * it (fetch, WebSocket, caches), most of which a client never uses; a Client, an Agent (for
 * redirects to other origins) and the retry interceptor are all a worker thread needs, and
 * what it does not load is start-up saved. undici 7 has no `exports` map, so these paths are
 * public files of the package; test/client.test.ts exercises each of them. Static imports
 * (typed in undici-lib.d.ts): the build (scripts/bundle.ts) bundles them, so every part comes
 * from one copy of undici.
 */
import ClientClass from 'undici/lib/dispatcher/client.js';
import buildConnector from 'undici/lib/core/connect.js';
import retry from 'undici/lib/interceptor/retry.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';

/** undici's Client: one keep-alive connection to one origin. */
export const Client = ClientClass;
/** undici's connector factory (buildConnector): how a Client opens its socket. */
export const buildConnectorOf = buildConnector;
/** undici's retry interceptor (interceptors.retry). */
export const retryInterceptor = retry;
/** undici's Agent: pools for any origin. */
export const Agent = AgentClass;
/** node:tls, loaded only for https servers. */
export function loadTls(): typeof import('node:tls') {
  return process.getBuiltinModule('node:tls');
}
