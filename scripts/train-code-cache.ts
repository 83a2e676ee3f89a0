/**
 * The build's last step (`npm run build`: tsc, bundle, synthetic flags, this): a real run of
 * the built CLI teaches its bundles' V8 code caches what a run compiles. scripts/bundle.ts made
 * each cache from the compiled source only; a function first called during a run was then
 * compiled during that run, on every run (~10 ms of `-e --model loop`). The training run sets
 * TRAIN_ENV, and every bundle it loads on its main thread writes its cache again as it exits
 * (workers/code-cache.ts), so the cache holds the code of the functions the run called too.
 *
 * The run is `flagfetch -e --model loop` from a flag server started here (synthetic flags,
 * 127.0.0.1, a free port) into a temp folder: the loop runs the most on the main thread (the
 * CLI's bundle and download-run's, undici's client parts inside). Pool threads keep the caches
 * bundle.ts made from their bundle's top level: trained, they were twice the size and a thread
 * took ~3 ms longer to come up. A failed run only warns: the caches then stay untrained, which
 * costs start-up time, never correctness; so does a run that takes over a minute (it is ended).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFlagServer } from '../src/server/flag-server.js';
import { TRAIN_ENV } from '../workers/code-cache.js';

const CLI = fileURLToPath(new URL('../src/cli.cjs', import.meta.url));

const server = await startFlagServer({});
const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-train-'));
try {
  const args = [CLI, '-e', '--model', 'loop', '-s', server.url, '-o', dir, '--no-embedded'];
  const env: NodeJS.ProcessEnv = { ...process.env, [TRAIN_ENV]: '1' };
  delete env['NODE_OPTIONS'];
  // Not spawnSync: the server answers from this process's event loop.
  await promisify(execFile)(process.execPath, args, { env, timeout: 60_000 }).catch(
    (err: { stderr?: string; message: string }) => {
      const why = err.stderr?.trim().split('\n').at(-1) ?? err.message;
      process.stderr.write(
        `train-code-cache: the training run failed (${why}); the CLI's code caches stay untrained\n`,
      );
    },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
}
