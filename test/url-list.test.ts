import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPlan } from '../src/models/index.js';
import { MODEL_NAMES } from '../src/models/types.js';
import { startFlagServer, syntheticContent } from '../src/server/index.js';
import { urlListWork } from '../src/targets/url-list.js';
import { planFor, settingsFor } from './helpers/plans.js';
import { CLI, runCli } from './helpers/run-cli.js';

/** Two flag servers and a list over both: 3 flags on A, 2 on B (one name shared), a 404 on each. */
async function twoOrigins(): Promise<{ list: string; close(): Promise<void>; requests(): [number, number] }> {
  const a = await startFlagServer({});
  const b = await startFlagServer({});
  const list = [
    '# two origins',
    `${a.url}/br/br.gif`,
    `${a.url}/fr/fr.gif`,
    `${a.url}/de/de.gif`,
    `${a.url}/zz/zz.gif`,
    '',
    `${b.url}/br/br.gif`,
    `${b.url}/jp/jp.gif`,
    `${b.url}/qq/qq.gif`,
  ].join('\n');
  return {
    list,
    requests: () => [a.stats.requests, b.stats.requests],
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  };
}

test('a URL list over two origins: every model and both splits count the same, each origin asked', async () => {
  const servers = await twoOrigins();
  try {
    const work = urlListWork(servers.list, 'list');
    const fetch = settingsFor(work.keys[0] ?? '', { targets: work.targets });
    for (const model of MODEL_NAMES) {
      for (const split of ['static', 'dynamic'] as const) {
        if (split === 'static' && model !== 'workers') continue;
        const before = servers.requests();
        const r = await runPlan(planFor(model, work.keys, fetch.baseUrl, { fetch, split, maxReq: 4, workers: 2 }));
        const c = r.counters;
        assert.deepEqual([c.total, c.ok, c.notFound, c.errors], [7, 5, 2, 0], `${model} ${split}`);
        const after = servers.requests();
        assert.deepEqual([after[0] - before[0], after[1] - before[1]], [4, 3], `${model} ${split}`);
      }
    }
  } finally {
    await servers.close();
  }
});

test('download --urls saves under names from the URL paths, de-duplicated, inside --dest', async () => {
  const servers = await twoOrigins();
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-urls-'));
  try {
    const listFile = path.join(dir, 'list.txt');
    await writeFile(listFile, servers.list);
    const dest = path.join(dir, 'out');
    const r = await runCli(['--urls', listFile, '-o', dest, '--model', 'loop', '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}5 files downloaded\.$/m);
    assert.match(r.stdout, /^ {2}2 not found\.$/m);
    assert.match(r.stdout, /^http:\/\/127\.0\.0\.1:\d+\/flags\/zz\/zz\.gif not found$/m);
    assert.deepEqual((await readdir(dest)).sort(), ['br-2.gif', 'br.gif', 'de.gif', 'fr.gif', 'jp.gif']);
    const br = syntheticContent().get('/flags/br/br.gif')?.body;
    assert.deepEqual(await readFile(path.join(dest, 'br-2.gif')), br);
    const bad = await runCli(['--urls', listFile, 'BR']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --urls replaces country codes/);
    const missing = await runCli(['--urls', path.join(dir, 'nope.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: --urls cannot read '.*nope\.txt' \(ENOENT\)/);
  } finally {
    await servers.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('download -s with a {cc} template fetches each code on that layout', async () => {
  const server = await startFlagServer({});
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-tpl-'));
  try {
    const r = await runCli(['BR', 'fr', 'ZZ', '-s', `${server.url}/{cc}/{cc}.gif`, '-o', dir, '--json', '-w', '2']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual([j['ok'], j['notFound']], [2, 1]);
    assert.deepEqual((await readdir(dir)).sort(), ['br.gif', 'fr.gif']);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('download --urls - reads the list from stdin', async () => {
  const server = await startFlagServer({});
  try {
    const child = spawn(process.execPath, [CLI, '--urls', '-', '--no-save', '--json', '--model', 'loop'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(`# from stdin\n${server.url}/br/br.gif\n${server.url}/zz/zz.gif\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const j = JSON.parse(out) as Record<string, unknown>;
    assert.deepEqual([j['total'], j['ok'], j['notFound']], [2, 1, 1]);
  } finally {
    await server.close();
  }
});

test('the header says files for a URL list or a {cc} template, flags for country codes on the flags site', async () => {
  const servers = await twoOrigins();
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-header-'));
  try {
    const listFile = path.join(dir, 'list.txt');
    await writeFile(listFile, servers.list);
    const searching = async (args: string[]): Promise<string | undefined> => {
      const r = await runCli([...args, '--no-save', '--model', 'loop']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n')[1];
    };
    assert.match((await searching(['--urls', listFile])) ?? '', /^Searching for 7 files: http:\/\/127\.0\.0\.1:\d+\//);
    const template = `${servers.list.split('\n')[1]?.replace('/br/br.gif', '') ?? ''}/{cc}/{cc}.gif`;
    assert.equal(await searching(['BR', 'FR', '-s', template]), 'Searching for 2 files: BR, FR');
    const site = servers.list.split('\n')[1]?.replace('/br/br.gif', '') ?? '';
    assert.equal(await searching(['BR', 'FR', '-s', site]), 'Searching for 2 flags: BR, FR');
  } finally {
    await servers.close();
    await rm(dir, { recursive: true, force: true });
  }
});
