/**
 * How long a fresh thread takes to load a pool task file, measured inside the thread: the part
 * of a pool thread's start-up that is ours (its bundle read, compiled or taken from
 * Node's compile cache when NODE_COMPILE_CACHE is set, and its top level run), without the
 * Worker's own boot, Piscina or the machine's other threads. The thread has the pool's resource
 * limits and a pool's workerData.
 *   node dist/bench/lib/task-load.js [FILE]   (default: this build's dist/app/fetch-loop.cjs)
 * prints {"ms": …}. Run it interleaved with another build's stub for before/after figures.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { POOL_RESOURCE_LIMITS, taskFile } from '../../src/models/pool.js';
import { resolveOptions } from '../../src/options.js';

const stub = process.argv[2] ?? taskFile('fetch-loop');
const { fetch } = resolveOptions([], { server: 'http://127.0.0.1:9/flags', save: false });
const code = `const t0 = process.hrtime.bigint();
  import(${JSON.stringify(pathToFileURL(stub).href)}).then(() =>
    require('node:worker_threads').parentPort.postMessage(Number(process.hrtime.bigint() - t0) / 1e6));`;
const worker = new Worker(code, {
  eval: true,
  resourceLimits: POOL_RESOURCE_LIMITS,
  workerData: { settings: fetch, abortChannel: 'flagfetch-task-load' },
});
const ms = await new Promise<number>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});
await worker.terminate();
process.stdout.write(`${JSON.stringify({ stub, ms })}\n`);
