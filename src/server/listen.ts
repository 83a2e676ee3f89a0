/**
 * Listen on one or more addresses with the same port (the first one picks it when the port
 * is 0), with a backlog that fits a connection storm; errors a user can fix become one-line
 * UsageErrors.
 */
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

/**
 * Start one server per host on the same port; `make` builds a fresh (unlistened) server.
 * `portFlag` is the flag that chose the port, named in the fix when the port is in use.
 */
export async function listenAll<T extends { server: net.Server }>(
  make: () => T,
  hosts: readonly string[],
  port: number,
  backlog: number,
  portFlag = 'port',
): Promise<T[]> {
  const made: T[] = [];
  let chosen = port;
  try {
    for (const host of hosts) {
      const one = make();
      const ok = await listen(one.server, { host, port: chosen, backlog, portFlag }, made.length > 0);
      if (!ok) continue;
      made.push(one);
      chosen = (one.server.address() as AddressInfo).port;
    }
  } catch (err) {
    for (const m of made) m.server.close();
    throw err;
  }
  if (made.length === 0)
    throw new UsageError(`cannot listen on ${hosts.join(', ')}: give an address of this machine with --host`);
  return made;
}

interface Address {
  readonly host: string;
  readonly port: number;
  readonly backlog: number;
  readonly portFlag: string;
}

/** Listen; false when an optional extra address does not exist here, UsageError when the port is taken. */
function listen(server: net.Server, address: Address, optional: boolean): Promise<boolean> {
  const { host, port, backlog, portFlag } = address;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE')
        reject(new UsageError(`port ${port} is in use on ${host} (use ${portFlag} 0 or another port)`));
      else if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) resolve(false);
      else if (
        err.code === 'EADDRNOTAVAIL' ||
        err.code === 'ENOTFOUND' ||
        err.code === 'EACCES' ||
        err.code === 'EAI_AGAIN'
      ) {
        reject(new UsageError(`cannot listen on ${host}:${port} (${err.code}): choose another --host or port`));
      } else reject(err);
    };
    server.once('error', onError);
    server.listen({ port, host, backlog }, () => {
      server.off('error', onError);
      resolve(true);
    });
  });
}
