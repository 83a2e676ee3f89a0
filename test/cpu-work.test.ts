import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_CODES } from '../src/countries.js';
import { loadDecoder } from '../src/cpu-work/decode.js';
import { parseWork } from '../src/cpu-work/kind.js';
import { runPlan } from '../src/models/index.js';
import { MODEL_NAMES, type RunResult } from '../src/models/types.js';
import { countsAddUp } from '../src/stats/counters.js';
import { loadFlagDirectory, syntheticContent } from '../src/server/index.js';
import { stripedGif } from '../src/server/gif.js';
import { UsageError } from '../src/errors.js';
import { planFor, settingsFor } from './helpers/plans.js';
import { runCli } from './helpers/run-cli.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';
import { withServer } from './helpers/flag-server.js';

const GREEN: [number, number, number] = [0x00, 0x9b, 0x3a];
const YELLOW: [number, number, number] = [0xfe, 0xdf, 0x00];
const BLUE: [number, number, number] = [0x00, 0x27, 0x76];

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-work-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Green-dominated: red and blue channels well below green. */
function isGreen(hex: string): boolean {
  const v = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [v >> 16, (v >> 8) & 0xff, v & 0xff];
  return g > r + 40 && g > b + 20;
}

test('--work takes none, decode, sha256 and spin:MS, and names the flag and the fix otherwise', () => {
  assert.equal(parseWork('--work', undefined), 'none');
  assert.equal(parseWork('--work', 'DECODE'), 'decode');
  assert.equal(parseWork('--work', 'spin:05'), 'spin:5');
  for (const bad of ['hash', 'spin', 'spin:-1', 'spin:1.5', 'spin:999999', '']) {
    assert.throws(
      () => parseWork('--work', bad),
      (e: unknown) => e instanceof UsageError && /--work must be/.test(e.message),
    );
  }
});

test('decode: a synthetic three-stripe flag gives its three colours, a third each', async () => {
  const decode = await loadDecoder();
  const found = decode(stripedGif(90, 40, [GREEN, YELLOW, BLUE]));
  assert.equal(found.width, 90);
  assert.equal(found.height, 40);
  assert.deepEqual(found.colors.map((c) => c.hex).sort(), ['#002776', '#009b3a', '#fedf00']);
  for (const c of found.colors) assert.equal(c.share, 0.333);
});

test('decode: a truncated or garbled GIF throws instead of printing omggif warnings', async () => {
  const decode = await loadDecoder();
  const gif = stripedGif(90, 40, [GREEN, YELLOW, BLUE]);
  assert.throws(() => decode(gif.subarray(0, gif.length - 40)), /shorter than expected|block/);
  assert.throws(() => decode(Buffer.from('not a gif at all')), /header/);
});

test('Brazil is mostly green (the real flag from ../shared/flags)', { skip: skipWithoutSharedFlags }, async () => {
  const content = await loadFlagDirectory(SHARED_FLAGS ?? '');
  await withServer({ content }, async (s) => {
    await withTempDir(async (dir) => {
      const r = await runCli(['BR', 'DE', '-s', s.url, '--work', 'decode', '-o', dir, '--model', 'workers', '-w', '2']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Work \(decode\): \d+ ms of CPU on the downloading threads, [\d.]+ ms per flag$/m);
      const colors = JSON.parse(await readFile(path.join(dir, 'colors.json'), 'utf8')) as Record<
        string,
        { width: number; height: number; colors: { hex: string; share: number }[] }
      >;
      assert.deepEqual(Object.keys(colors), ['BR', 'DE']);
      const br = colors['BR'];
      assert.ok(br !== undefined && br.width > 0 && br.height > 0);
      const top = br.colors[0];
      assert.ok(top !== undefined && isGreen(top.hex) && top.share > 0.5, JSON.stringify(br));
      assert.equal(br.colors.length, 3);
    });
  });
});

test('Brazil is mostly green on the built-in synthetic flags too (no real set needed)', async () => {
  await withServer({}, async (s) => {
    await withTempDir(async (dir) => {
      const r = await runCli(['BR', 'DE', '-s', s.url, '--work', 'decode', '-o', dir, '--model', 'loop']);
      assert.equal(r.code, 0, r.stderr);
      const colors = JSON.parse(await readFile(path.join(dir, 'colors.json'), 'utf8')) as Record<
        string,
        { width: number; height: number; colors: { hex: string; share: number }[] }
      >;
      const br = colors['BR'];
      assert.ok(br !== undefined && br.width * br.height > 69_000, JSON.stringify(br));
      const top = br.colors[0];
      assert.ok(top !== undefined && isGreen(top.hex) && top.share > 0.4, JSON.stringify(br));
      assert.equal(colors['DE']?.colors[0]?.hex, '#000000', 'Germany: black on top');
    });
  });
});

test('a corrupt GIF is an error "invalid image", not saved, and nothing leaks to stdout', async () => {
  const content = new Map(syntheticContent());
  const good = content.get('/flags/br/br.gif');
  assert.ok(good !== undefined);
  content.set('/flags/br/br.gif', { ...good, body: good.body.subarray(0, good.body.length - 300), etag: '"cut"' });
  await withServer({ content }, async (s) => {
    await withTempDir(async (dir) => {
      const json = await runCli(['BR', 'US', '-s', s.url, '--work', 'decode', '-o', dir, '--json', '--model', 'loop']);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as { ok: number; errors: number; errorsByReason: object; work: string };
      assert.equal(report.work, 'decode');
      assert.equal(report.ok, 1);
      assert.equal(report.errors, 1);
      assert.deepEqual(report.errorsByReason, { 'invalid image': 1 });
      assert.deepEqual((await readdir(dir)).sort(), ['colors.json', 'us.gif']);
      const verbose = await runCli([
        'BR',
        '-s',
        s.url,
        '--work',
        'decode',
        '--no-save',
        '-v',
        '--model',
        'threads',
        '-m',
        '2',
      ]);
      assert.match(verbose.stdout, /^BR error: invalid image: /m);
    });
  });
});

test('sha256: SHA256SUMS in --dest passes `sha256sum -c`', async (t) => {
  const hasSha256sum = await new Promise<boolean>((resolve) =>
    execFile('sha256sum', ['--version'], (err) => resolve(err === null)),
  );
  if (!hasSha256sum) return t.skip('sha256sum not installed (coreutils)');
  await withServer({}, async (s) => {
    await withTempDir(async (dir) => {
      const r = await runCli(['-a', '-s', s.url, '--work', 'sha256', '-o', dir, '--repeat', '2', '-w', '2']);
      assert.equal(r.code, 0, r.stderr);
      const check = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }, (err, stdout) =>
          resolve({ code: err === null ? 0 : Number(err.code ?? 1), stdout }),
        ),
      );
      assert.equal(check.code, 0, check.stdout);
      assert.equal(
        check.stdout
          .trim()
          .split('\n')
          .filter((l) => l.endsWith(': OK')).length,
        ALL_CODES.length,
      );
    });
  });
});

test('every model × every work kind counts the same, and times its work', async () => {
  const codes = [...ALL_CODES.slice(0, 24), 'XA', 'XB'];
  await withServer({}, async (s) => {
    const seen = new Map<string, string>();
    const recordsSeen = new Set<string>();
    for (const work of ['none', 'decode', 'sha256', 'spin:1'] as const) {
      for (const model of MODEL_NAMES) {
        await withTempDir(async (dir) => {
          const fetch = settingsFor(s.url, { work, dest: dir });
          const r: RunResult = await runPlan(planFor(model, codes, s.url, { fetch, maxReq: 6, workers: 2 }));
          const c = r.counters;
          assert.ok(countsAddUp(c), `${model} ${work}`);
          seen.set(`${model} ${work}`, JSON.stringify([c.total, c.ok, c.notFound, c.errors, c.bytes]));
          assert.equal(r.work, work);
          const perWorker = r.perWorker.reduce((sum, w) => sum + (w.workMs ?? 0), 0);
          assert.equal(r.workMs, perWorker, `${model} ${work}: total is the sum of the workers'`);
          if (work === 'none') assert.equal(r.workMs, 0);
          else assert.ok((r.workMs ?? 0) > 0, `${model} ${work}: work timed`);
          if (work === 'spin:1') assert.ok((r.workMs ?? 0) >= 24, `${model}: 24 spins of 1 ms`);
          if (work === 'decode' || work === 'sha256') {
            const records = r.workRecords;
            const keys = Object.keys(work === 'decode' ? (records?.colors ?? {}) : (records?.sums ?? {}));
            assert.equal(keys.length, 24, `${model} ${work}`);
            const sorted = (o: object): unknown[] => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
            recordsSeen.add(`${work} ${JSON.stringify([sorted(records?.colors ?? {}), sorted(records?.sums ?? {})])}`);
          }
        });
      }
    }
    assert.equal(new Set(seen.values()).size, 1, JSON.stringify([...seen]));
    assert.equal(recordsSeen.size, 2, 'every model found the same colours and the same sums');
  });
});
