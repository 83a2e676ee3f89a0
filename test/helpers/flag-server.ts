/** A flag server for one test body: started on port 0, always closed afterwards. */
import { startFlagServer, type FlagServer } from '../../src/server/flag-server.js';

/** Start a flag server with `options`, run `body` against it, and close it whatever happens. */
export async function withServer(
  options: Parameters<typeof startFlagServer>[0],
  body: (s: FlagServer) => Promise<void>,
): Promise<void> {
  const server = await startFlagServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}
