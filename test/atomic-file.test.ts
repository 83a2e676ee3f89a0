import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { startTempSupply, writeFileAtomic } from '../src/atomic-file.js';
import { removeStaleTemps } from '../src/download/save.js';

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-atomic-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const temps = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => f.endsWith('.tmp')).sort();

test('a temp supply: writers take the temps made ahead, in order, then make their own; the rest go with the sweep', async () => {
  await withDir(async (dir) => {
    const supply = startTempSupply(dir, 3);
    await supply.made;
    const ahead = await temps(dir);
    assert.equal(ahead.length, 3);
    await writeFileAtomic(path.join(dir, 'a.gif'), Buffer.from('first'));
    await writeFileAtomic(path.join(dir, 'b.json'), 'second');
    assert.deepEqual(await temps(dir), ahead.slice(2), 'the first two temps made became a.gif and b.json');
    assert.equal(await readFile(path.join(dir, 'a.gif'), 'utf8'), 'first');
    assert.equal(await readFile(path.join(dir, 'b.json'), 'utf8'), 'second');
    await supply.stop();
    // After stop, a writer makes its own temp: nothing claimed, the last one made is still there.
    await writeFileAtomic(path.join(dir, 'c.gif'), Buffer.alloc(100_000, 7));
    assert.deepEqual(await temps(dir), ahead.slice(2));
    assert.equal((await readFile(path.join(dir, 'c.gif'))).length, 100_000);
    assert.equal(await removeStaleTemps(dir), 1);
    assert.deepEqual((await readdir(dir)).sort(), ['a.gif', 'b.json', 'c.gif']);
  });
});

test('a temp supply started on one thread serves writers on another (its files made and opened here)', async () => {
  await withDir(async (dir) => {
    const supply = startTempSupply(dir, 2);
    await supply.made;
    const [first] = await temps(dir);
    const atomic = new URL('../src/atomic-file.js', import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(atomic)}).then(async (m) => {
        const { workerData, parentPort } = await import('node:worker_threads');
        m.useTempSupply(workerData.share);
        await m.writeFileAtomic(workerData.file, 'from a worker');
        parentPort.postMessage('done');
      });`,
      { eval: true, workerData: { share: supply.share, file: path.join(dir, 'w.gif') } },
    );
    assert.equal((await once(worker, 'message'))[0], 'done');
    await worker.terminate();
    assert.equal(await readFile(path.join(dir, 'w.gif'), 'utf8'), 'from a worker');
    assert.ok(first !== undefined && !(await temps(dir)).includes(first), 'the worker took the first temp');
    await supply.stop();
    assert.equal(await removeStaleTemps(dir), 1);
  });
});
