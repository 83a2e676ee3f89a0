/** Issue 22 §1: a GIF's claimed sizes are checked, frame by frame, before any pixel is decoded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDecoder, MAX_PIXELS } from '../src/cpu-work/decode.js';
import { syntheticContent } from '../src/server/index.js';
import { runCli } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';

/** A GIF89a of a `screen` (w, h) with one frame descriptor per `frames` entry, each with a one-byte LZW stream. */
function gifClaiming(screen: [number, number], frames: readonly [number, number][]): Buffer {
  const u16 = (n: number): number[] => [n & 0xff, n >> 8];
  const bytes = [...Buffer.from('GIF89a'), ...u16(screen[0]), ...u16(screen[1]), 0x80, 0, 0, 0, 0, 0, 255, 255, 255];
  for (const [w, h] of frames) bytes.push(0x2c, 0, 0, 0, 0, ...u16(w), ...u16(h), 0, 2, 1, 0x44, 0);
  bytes.push(0x3b);
  return Buffer.from(bytes);
}

test('decode: a 34-byte GIF with a 65535×65535 frame in a 1×1 screen is refused before decoding', async () => {
  const decode = await loadDecoder();
  const bomb = gifClaiming([1, 1], [[65535, 65535]]);
  assert.equal(bomb.length, 34);
  const t0 = performance.now();
  assert.throws(() => decode(bomb), /frame 1 \(65535×65535\) is larger than/);
  assert.ok(performance.now() - t0 < 1000, 'refused without decoding');
  assert.throws(
    () => decode(gifClaiming([1, 1], [[100, 100]])),
    /frame 1 \(100×100 at 0,0\) lies outside the 1×1 screen/,
  );
  const side = Math.floor(Math.sqrt(MAX_PIXELS) * 0.8);
  const frames: [number, number][] = [
    [side, side],
    [side, side],
  ];
  assert.throws(() => decode(gifClaiming([side, side], frames)), /its 2 frames add up to more than/);
});

test('--work decode: a frame-size bomb is an "invalid image" at once, in the loop and in threads', async () => {
  const content = new Map(syntheticContent());
  const good = content.get('/flags/br/br.gif');
  assert.ok(good !== undefined);
  content.set('/flags/br/br.gif', { ...good, body: gifClaiming([1, 1], [[65535, 65535]]), etag: '"bomb"' });
  await withServer({ content }, async (s) => {
    for (const model of ['loop', 'threads']) {
      const r = await runCli(['BR', 'US', '-s', s.url, '--work', 'decode', '--no-save', '--json', '--model', model], {
        timeoutMs: 20_000,
      });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { ok: number; errorsByReason: object; peakRssBytes?: number };
      assert.equal(report.ok, 1);
      assert.deepEqual(report.errorsByReason, { 'invalid image': 1 });
    }
  });
});
