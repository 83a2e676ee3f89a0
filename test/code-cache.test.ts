/**
 * The CLI and pool threads load their bundles with the V8 code cache the build made for them
 * (workers/code-cache.ts): V8 accepts the cache in a pool thread and in a fresh process, the
 * caches were trained by real runs, a stale or missing cache still loads the module
 * (compiled from source), and the stubs load the bundles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cacheFileOf, loadWithCodeCache, makeCodeCache } from '../workers/code-cache.js';
import { POOL_RESOURCE_LIMITS, taskFile } from '../src/models/pool.js';

const TASKS = ['fetch-loop', 'flag-task'];
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** `use` run on a copy of `bundle` in a temp folder (its cache made there, not beside the build's). */
function withCopy<T>(bundle: string, use: (copy: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-code-cache-'));
  try {
    const copy = path.join(dir, path.basename(bundle));
    copyFileSync(bundle, copy);
    return use(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether V8, in a fresh process (flags as a user's run has them), rejects `bundle`'s cache. */
function rejectedInProcess(bundle: string): boolean {
  const code = `
    const { readFileSync } = require('node:fs');
    const { Script } = require('node:vm');
    const bundle = ${JSON.stringify(bundle)};
    const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(bundle, 'utf8').replace(/^#!.*/, '') + '\\n})';
    const script = new Script(wrapped, { filename: bundle, cachedData: readFileSync(bundle + '.v8cache') });
    process.stdout.write(String(script.cachedDataRejected));`;
  return execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }) === 'true';
}

/** Whether V8, in a thread with the pool's limits, rejects `bundle`'s cache. */
function rejectedInThread(bundle: string): Promise<boolean> {
  const code = `
    const { readFileSync } = require('node:fs');
    const { Script } = require('node:vm');
    const bundle = ${JSON.stringify(bundle)};
    const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(bundle, 'utf8') + '\\n})';
    const script = new Script(wrapped, { filename: bundle, cachedData: readFileSync(bundle + '.v8cache') });
    require('node:worker_threads').parentPort.postMessage(script.cachedDataRejected);`;
  const worker = new Worker(code, { eval: true, resourceLimits: POOL_RESOURCE_LIMITS });
  return new Promise((resolve, reject) => {
    worker.once('message', (rejected: boolean) => void worker.terminate().then(() => resolve(rejected)));
    worker.once('error', reject);
  });
}

test('each task bundle has a code cache that V8 accepts in a pool thread, and the pool runs its stub', async () => {
  for (const name of TASKS) {
    const stub = taskFile(name);
    assert.match(path.basename(stub), new RegExp(`^${name}\\.start\\.cjs$`));
    assert.ok(existsSync(stub), `${stub} is built`);
    const bundle = path.join(path.dirname(stub), `${name}.cjs`);
    assert.ok(readFileSync(cacheFileOf(bundle)).length > 10_000, `${name}: a cache of the compiled code`);
    assert.ok(isAscii(readFileSync(bundle)), `${name}: all ASCII, read as one-byte text`);
    assert.equal(await rejectedInThread(bundle), false, `${name}: V8 accepts the build's cache`);
    const untrained = withCopy(bundle, (copy) => makeCodeCache(copy));
    const trained = readFileSync(cacheFileOf(bundle)).length;
    assert.ok(trained > 1.5 * untrained, `${name}: trained ${trained} B vs top level only ${untrained} B`);
  }
});

test('a module loads with its cache, and still loads when the cache is stale or missing', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-code-cache-'));
  try {
    const bundle = path.join(dir, 'task.cjs');
    writeFileSync(
      bundle,
      "module.exports = { default: (x) => x * 2, file: __filename, dir: __dirname, text: 'Wärting …' };\n",
    );
    assert.ok(makeCodeCache(bundle) > 0);
    type Task = { default: (x: number) => number; file: string; dir: string; text: string };
    const load = (): Task => loadWithCodeCache(bundle) as Task;
    assert.deepEqual([load().default(21), load().file, load().dir], [42, bundle, dir]);
    assert.equal(load().text, 'Wärting …', 'a module that is not ASCII is read as UTF-8');
    appendFileSync(bundle, 'module.exports.default = (x) => x * 3;\n');
    assert.equal(load().default(21), 63, 'a stale cache: compiled from the source as it is now');
    rmSync(cacheFileOf(bundle));
    assert.equal(load().default(2), 6, 'no cache: compiled from source');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CLI's stub and bundles: V8 accepts their caches, and the run that trained them is in them", () => {
  const stub = readFileSync(path.join(SRC, 'cli.cjs'), 'utf8');
  assert.match(stub, /^#!\/usr\/bin\/env node\n/);
  assert.match(stub, /loadWithCodeCache\(.*'cli\.bundle\.cjs'\)/);
  const run = readFileSync(path.join(SRC, 'commands', 'download-run.start.cjs'), 'utf8');
  assert.match(run, /loadWithCodeCache\(.*'download-run\.cjs'\)/);
  for (const bundle of [path.join(SRC, 'cli.bundle.cjs'), path.join(SRC, 'commands', 'download-run.cjs')]) {
    assert.equal(rejectedInProcess(bundle), false, `${path.basename(bundle)}: V8 accepts the build's cache`);
    // Trained: the cache holds the functions a run called, not only what compiling the source makes.
    const untrained = withCopy(bundle, (copy) => makeCodeCache(copy, false));
    const trained = readFileSync(cacheFileOf(bundle)).length;
    assert.ok(
      trained > 2 * untrained,
      `${path.basename(bundle)}: trained ${trained} B vs compiled only ${untrained} B`,
    );
  }
});
