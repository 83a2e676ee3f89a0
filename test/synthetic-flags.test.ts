/**
 * The embedded server's synthetic flags are real GIFs that cost what the real ones cost to
 * decode: as many pixels, LZW-compressed, sized like the real set, deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { GifReader } from 'omggif';
import { COUNTRY_TABLE } from '../src/country-data.js';
import { loadDecoder } from '../src/cpu-work/decode.js';
import { loadFlagDirectory, syntheticContent } from '../src/server/index.js';
import { syntheticFlag, syntheticSizeBytes } from '../src/server/synthetic-flag.js';
import { lzwEncode } from '../src/server/lzw.js';
import { encodeGif, padGif } from '../src/server/gif.js';
import { packFlags, readPack, unpackFlags } from '../src/server/synthetic-pack.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';

/** Pixels of the real set's smallest and largest flag (../shared/flags: 69,762 and 233,840). */
const REAL_PIXELS = { min: 69_762, max: 233_840, mean: 135_898 } as const;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function syntheticGifs(): { cc: string; body: Buffer }[] {
  const content = syntheticContent();
  return COUNTRY_TABLE.map((row) => {
    const cc = row.iso.toLowerCase();
    const body = content.get(`/flags/${cc}/${cc}.gif`)?.body;
    assert.ok(body !== undefined, cc);
    return { cc: row.iso, body };
  });
}

void test('every synthetic flag decodes with omggif to its declared size, with as many pixels as a real flag', async () => {
  const decode = await loadDecoder(); // throws on any omggif warning (a stream too short or too long)
  const pixels: number[] = [];
  for (const { cc, body } of syntheticGifs()) {
    const reader = new GifReader(body);
    const frame = reader.frameInfo(0);
    assert.deepEqual([frame.x, frame.y, frame.width, frame.height], [0, 0, reader.width, reader.height], cc);
    const found = decode(body);
    assert.deepEqual([found.width, found.height], [reader.width, reader.height], cc);
    const n = reader.width * reader.height;
    assert.ok(n >= REAL_PIXELS.min && n <= REAL_PIXELS.max, `${cc}: ${n} pixels`);
    assert.equal(found.colors.length, 3, cc);
    assert.ok((found.colors[2]?.share ?? 0) > 0.05, `${cc}: the stripes dominate ${JSON.stringify(found.colors)}`);
    pixels.push(n);
  }
  const m = mean(pixels);
  assert.ok(m > REAL_PIXELS.mean * 0.85 && m < REAL_PIXELS.mean * 1.15, `mean ${m} pixels`);
});

void test('synthetic flags are compressed: a file holds well under a bit per pixel, as the real ones do', () => {
  const gifs = syntheticGifs();
  const bits = gifs.map(({ body }) => {
    const reader = new GifReader(body);
    return (body.length * 8) / (reader.width * reader.height);
  });
  assert.ok(Math.max(...bits) < 2.5, `at most ${Math.max(...bits)} bits a pixel`);
  assert.ok(mean(bits) < 1, `${mean(bits)} bits a pixel on average`);
});

void test('synthetic sizes follow the log-normal of the real set, each file its drawn size', () => {
  const gifs = syntheticGifs();
  for (const { cc, body } of gifs) {
    const want = syntheticSizeBytes(cc);
    // Exact, or a few bytes short (no comment that small), or over when the stripes alone are larger.
    const ok = (body.length <= want && body.length >= want - 4) || (want < 2_000 && body.length <= want * 1.15);
    assert.ok(ok, `${cc}: ${body.length} bytes, drawn ${want}`);
  }
  const sizes = gifs.map((g) => g.body.length).sort((a, b) => a - b);
  assert.ok((sizes[0] ?? 0) >= 1_150 && (sizes.at(-1) ?? 0) <= 36_000, `${sizes[0]}..${sizes.at(-1)}`);
  assert.ok(mean(sizes) > 10_500 && mean(sizes) < 13_500, `mean ${mean(sizes)}`);
  const median = sizes[sizes.length >> 1] ?? 0;
  assert.ok(median > 8_000 && median < 11_000, `median ${median}`);
});

void test('synthetic flags are the same every time, and Brazil is mostly green', async () => {
  assert.ok(syntheticFlag('BR').equals(syntheticFlag('BR')));
  assert.ok(!syntheticFlag('BR').equals(syntheticFlag('DE')));
  const br = (await loadDecoder())(syntheticFlag('BR'));
  assert.deepEqual(
    br.colors.map((c) => c.hex),
    ['#009b3a', '#fedf00', '#002868'],
  );
});

void test('the build packed the flags the code makes today, and the server serves the pack', () => {
  const packed = readPack();
  assert.ok(packed !== undefined, 'npm run build makes dist/src/synthetic-flags.bin');
  assert.equal(packed.size, COUNTRY_TABLE.length);
  for (const row of COUNTRY_TABLE) {
    assert.ok(packed.get(row.iso)?.equals(syntheticFlag(row.iso)), `${row.iso}: the pack is stale (npm run build)`);
  }
  const served = syntheticContent().get('/flags/br/br.gif')?.body;
  assert.ok(served !== undefined && served.equals(packed.get('BR') ?? Buffer.alloc(0)));
  assert.ok(served.buffer.byteLength > 1_000_000, 'served from a view of the pack, not made again');
  const small = packFlags(
    new Map([
      ['AA', Buffer.from('one')],
      ['BB', Buffer.from('two!')],
    ]),
  );
  assert.deepEqual(
    [...(unpackFlags(small) ?? [])].map(([cc, b]) => `${cc}=${b.toString()}`),
    ['AA=one', 'BB=two!'],
  );
  assert.equal(unpackFlags(small.subarray(0, small.length - 1)), undefined, 'a cut pack is no pack');
  assert.equal(unpackFlags(Buffer.from('not json\n')), undefined);
});

void test('the LZW encoder round-trips through omggif across table resets, and pads to the byte', () => {
  const width = 300;
  const height = 200;
  const indices = new Uint8Array(width * height);
  let s = 7;
  for (let i = 0; i < indices.length; i += 1) {
    s = (s * 1103515245 + 12345) >>> 0;
    indices[i] = i < 20_000 ? (s >>> 16) % 16 : Math.floor(i / 997) % 3; // noise, then runs
  }
  const palette = Array.from({ length: 16 }, (_, i): [number, number, number] => [i * 16, 255 - i * 16, i]);
  const gif = encodeGif(width, height, palette, indices);
  assert.ok(lzwEncode(indices, 4).length < indices.length, 'compressed');
  for (const bytes of [gif.length, gif.length + 5, gif.length + 260, gif.length + 1000]) {
    const padded = padGif(gif, bytes);
    assert.equal(padded.length, bytes);
    const out = new Uint8Array(width * height * 4);
    new GifReader(padded).decodeAndBlitFrameRGBA(0, out);
    for (let i = 0; i < indices.length; i += 1) {
      const want = palette[indices[i] ?? 0] ?? [0, 0, 0];
      if (out[i * 4] !== want[0] || out[i * 4 + 1] !== want[1] || out[i * 4 + 2] !== want[2])
        assert.fail(`pixel ${i} of a ${bytes}-byte file`);
    }
  }
});

void test('synthetic flags have about as many pixels as the real set', { skip: skipWithoutSharedFlags }, async () => {
  const real = await loadFlagDirectory(SHARED_FLAGS ?? '');
  const codes = readdirSync(SHARED_FLAGS ?? '').filter((n) => /^[a-z]{2}$/.test(n));
  const pixels = codes.map((cc) => {
    const body = real.get(`/flags/${cc}/${cc}.gif`)?.body;
    assert.ok(body !== undefined);
    const reader = new GifReader(body);
    return reader.width * reader.height;
  });
  assert.equal(Math.min(...pixels), REAL_PIXELS.min);
  assert.equal(Math.max(...pixels), REAL_PIXELS.max);
  assert.equal(Math.round(mean(pixels)), REAL_PIXELS.mean);
});
