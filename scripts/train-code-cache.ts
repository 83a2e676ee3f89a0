/**
 * The build's last step (`npm run build`: tsc, bundle, synthetic flags, this): real runs of the
 * built CLI teach the bundles' V8 code caches what a run compiles. scripts/bundle.ts made each
 * cache from the bundle's source or top level only; a function first called during a run was
 * then compiled during that run, on every run and in every pool thread. The training runs set
 * TRAIN_ENV, and every bundle they load writes its cache again once it has run (as the process
 * exits; a pool's task file after each task: workers/code-cache.ts), so the cache holds the
 * code of the functions the run called too. Measured side by side (quiet, 15 rounds): trained
 * thread caches take `-e` with the workers model 241 -> 229 ms and `-a -m 100` 187 -> 177, for
 * ~0.8 ms more of a thread's start-up (a bigger cache to read); the CLI's take
 * `-e --model loop` 269 -> 239 ms (machine loaded).
 *
 * The runs are `flagfetch -e` from a flag server started here (synthetic flags, 127.0.0.1, a
 * free port) into a temp folder, one per model that has a task file (threads: flag-task,
 * workers: fetch-loop), then the loop, last, as it runs the most on the main thread (the CLI's
 * bundle and download-run's: the last write wins). A failed run only warns: its caches then
 * stay untrained, which costs start-up time, never correctness; so does a run that takes over a
 * minute (it is ended).
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
/** One run each, the loop last (above). */
const MODELS = ['threads', 'workers', 'loop'] as const;

const server = await startFlagServer({});
const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-train-'));
try {
  for (const model of MODELS) {
    const args = [CLI, '-e', '--model', model, '-s', server.url, '-o', path.join(dir, model), '--no-embedded'];
    const env: NodeJS.ProcessEnv = { ...process.env, [TRAIN_ENV]: '1' };
    delete env['NODE_OPTIONS'];
    // Not spawnSync: the server answers from this process's event loop.
    await promisify(execFile)(process.execPath, args, { env, timeout: 60_000 }).catch(
      (err: { stderr?: string; message: string }) => {
        const why = err.stderr?.trim().split('\n').at(-1) ?? err.message;
        process.stderr.write(
          `train-code-cache: 'flagfetch -e --model ${model}' failed (${why}); its caches stay untrained\n`,
        );
      },
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
}
