/**
 * A throw-away redis-server for queue tests: a free loopback port, no persistence, ready when
 * it says so. Tests skip with a visible note when redis-server is not installed (.ci/run
 * installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Pass as node:test's `skip` option: a reason string when redis-server is missing. */
export const skipWithoutRedis: string | false =
  spawnSync('redis-server', ['--version']).status === 0
    ? false
    : 'redis-server not found (apt-get install redis-server; .ci/run does): queue tests skipped';

/** A running redis-server. */
export interface TestRedis {
  readonly url: string;
  readonly process: ChildProcess;
  /** Stop it (SIGKILL when `now`), resolving once it has exited. */
  stop(now?: boolean): Promise<void>;
}

/** Start redis-server on a free loopback port (`extra`: more of its flags); resolves once it accepts connections. */
export async function startRedis(extra: readonly string[] = []): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (b: Buffer) => {
      seen += b.toString('utf8');
      if (seen.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code ?? '?'}: ${seen.slice(-300)}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: async (now = false) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(now ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
