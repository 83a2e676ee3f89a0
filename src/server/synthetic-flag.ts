/**
 * The embedded server's synthetic flags, made to cost what the real ones cost where it
 * matters: about as many pixels as the real set (≈ 140 k, 80–245 k), LZW-compressed, so that
 * decoding one (`--work decode`) takes about as long as decoding a real flag, and file sizes
 * drawn from the real set's log-normal distribution (mean ≈ 12 KB, 1.2–36 KB). Each is three
 * stripes of flag colours with a detailed emblem in the middle, whose area is tuned until the
 * compressed file reaches its size; a comment extension pads the last few bytes.
 * Deterministic per country code.
 */
import { draw } from './seeded.js';
import { encodeGif, padGif, type Rgb } from './gif.js';
import { rng, type Random } from './random.js';

/** Size of a synthetic flag: log-normal like the real set (median ≈ 9.9 KB, mean ≈ 12 KB, 1.2–36 KB). */
export function syntheticSizeBytes(cc: string): number {
  const u1 = Math.max(draw(1, 'size-a', cc, 1), 1e-9);
  const u2 = draw(1, 'size-b', cc, 1);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(Math.min(36_000, Math.max(1_200, Math.exp(Math.log(8_900) + 0.62 * normal))));
}

const RED: Rgb = [0xce, 0x11, 0x26];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const BLUE: Rgb = [0x00, 0x28, 0x68];
const GREEN: Rgb = [0x00, 0x9b, 0x3a];
const YELLOW: Rgb = [0xfe, 0xdf, 0x00];
const BLACK: Rgb = [0x00, 0x00, 0x00];
const SAFFRON: Rgb = [0xff, 0x99, 0x33];
const SKY: Rgb = [0x75, 0xaa, 0xdb];
const MAROON: Rgb = [0x8d, 0x1b, 0x3d];
const DARK_GREEN: Rgb = [0x00, 0x6a, 0x4e];
const FLAG_COLOURS = [RED, WHITE, BLUE, GREEN, YELLOW, BLACK, SAFFRON, SKY, MAROON, DARK_GREEN];

/** Main colours of some well-known flags, the largest first; other codes draw theirs. */
const KNOWN: Readonly<Record<string, readonly [Rgb, Rgb, Rgb]>> = {
  BR: [GREEN, YELLOW, BLUE],
  DE: [BLACK, RED, YELLOW],
  FR: [BLUE, WHITE, RED],
  IN: [SAFFRON, WHITE, DARK_GREEN],
  US: [RED, WHITE, BLUE],
  RU: [WHITE, BLUE, RED],
  MX: [GREEN, WHITE, RED],
  IR: [GREEN, WHITE, RED],
  ET: [GREEN, YELLOW, RED],
  IT: [GREEN, WHITE, RED],
};

/** Where the stripes change colour, as fractions of the width (or height): shares 45/30/25 %. */
const CUTS = [0.45, 0.75] as const;
/** Colours of the emblem's detail (palette indices 3…): many, so none of them dominates. */
const DETAIL_COLOURS = 16;
/** Longest run of one colour in the emblem's detail (runs of 1…3 pixels: ~3.9 bits a pixel). */
const DETAIL_RUN = 3;
/** Largest share of the flag the emblem covers (the stripes stay the dominant colours). */
const MAX_EMBLEM_SHARE = 0.45;

/** What a flag looks like, before its emblem is sized. */
interface Layout {
  readonly width: number;
  readonly height: number;
  readonly vertical: boolean;
  readonly palette: readonly Rgb[];
  readonly seed: number;
}

function layoutOf(cc: string, targetBytes: number): Layout {
  const random = rng(Math.floor(draw(1, 'flag', cc, 1) * 2 ** 32));
  let height = 240 + Math.floor(random() * 90);
  let width = Math.min(610, Math.round(height * (1.45 + random() * 0.5)));
  // Larger files are larger images, as in the real set: room for the emblem they need.
  const emblem = (targetBytes * 8) / 3.6; // detail pixels it needs, at most
  const grow = Math.min(Math.sqrt(emblem / MAX_EMBLEM_SHARE / (width * height)), 400 / height, 610 / width);
  if (grow > 1) [width, height] = [Math.round(width * grow), Math.round(height * grow)];
  const vertical = targetBytes >= 3_000 && random() < 0.5; // horizontal stripes compress best: the smallest files
  const stripes = KNOWN[cc] ?? drawColours(random);
  const detail = Array.from({ length: DETAIL_COLOURS }, (): Rgb => [byte(random), byte(random), byte(random)]);
  return { width, height, vertical, palette: [...stripes, ...detail], seed: Math.floor(random() * 2 ** 32) };
}

const byte = (random: Random): number => Math.floor(random() * 256);

function drawColours(random: Random): [Rgb, Rgb, Rgb] {
  const pool = [...FLAG_COLOURS];
  const take = (): Rgb => pool.splice(Math.floor(random() * pool.length), 1)[0] ?? WHITE;
  return [take(), take(), take()];
}

/** Palette indices of the flag: stripes, then an emblem of `emblemPixels` detail pixels in the middle. */
function paint(l: Layout, emblemPixels: number): Uint8Array {
  const { width, height } = l;
  const indices = new Uint8Array(width * height);
  const stripeOf = (f: number): number => (f < CUTS[0] ? 0 : f < CUTS[1] ? 1 : 2);
  if (l.vertical) {
    const row = indices.subarray(0, width);
    for (let x = 0; x < width; x += 1) row[x] = stripeOf(x / width);
    for (let y = 1; y < height; y += 1) indices.copyWithin(y * width, 0, width);
  } else {
    for (let y = 0; y < height; y += 1) indices.fill(stripeOf(y / height), y * width, (y + 1) * width);
  }
  const emblemWidth = Math.min(width, Math.round(Math.sqrt((emblemPixels * width) / height)));
  const emblemHeight = emblemWidth === 0 ? 0 : Math.min(height, Math.round(emblemPixels / emblemWidth));
  const x0 = (width - emblemWidth) >> 1;
  const y0 = (height - emblemHeight) >> 1;
  const random = rng(l.seed);
  let run = 0;
  let colour = 3;
  for (let y = y0; y < y0 + emblemHeight; y += 1) {
    for (let at = y * width + x0, end = at + emblemWidth; at < end; at += 1) {
      if (run === 0) {
        run = 1 + Math.floor(random() * DETAIL_RUN);
        colour = 3 + Math.floor(random() * DETAIL_COLOURS);
      }
      indices[at] = colour;
      run -= 1;
    }
  }
  return indices;
}

/** Bytes of the flag without its emblem, about (measured: LZW learns a row of vertical stripes, a run of horizontal ones). */
function stripesBytes(l: Layout): number {
  return l.vertical ? 6 * l.height : 3.1 * Math.sqrt(l.width * l.height);
}

/**
 * Bytes an emblem of `pixels` detail pixels adds, about: 3.45 bits a pixel once LZW's table
 * has learnt the detail, plus what learning costs, more across vertical stripes (measured:
 * 4.7 bits a pixel at 3,000 pixels, 3.6–3.7 at 60,000).
 */
function emblemBytes(l: Layout, pixels: number): number {
  return (3.45 * pixels + learnCost(l) * Math.sqrt(pixels)) / 8;
}

const learnCost = (l: Layout): number => (l.vertical ? 75 : 52);

/** Pixels of an emblem that adds `bytes` bytes (the inverse of emblemBytes). */
function emblemPixels(l: Layout, bytes: number): number {
  if (bytes <= 0) return 0;
  const k = learnCost(l);
  const root = (-k + Math.sqrt(k * k + 4 * 3.45 * 8 * bytes)) / (2 * 3.45);
  return Math.round(root * root);
}

/** Tries at sizing the emblem; the last one is kept. */
const ATTEMPTS = 4;
/** Aim this far below the size, so that a few bytes of comment pad the rest. */
const AIM = 0.97;
/** Smallest share of the size the image itself must reach before the comment pads the rest. */
const CLOSE_ENOUGH = 0.94;

/** The synthetic flag of `cc` (upper case): syntheticSizeBytes(cc) long, unless its stripes alone exceed that. */
export function syntheticFlag(cc: string): Buffer {
  const target = syntheticSizeBytes(cc);
  const l = layoutOf(cc, target);
  const maxEmblem = Math.floor(l.width * l.height * MAX_EMBLEM_SHARE);
  const base = stripesBytes(l);
  let miss = 0; // what the model got wrong last time, in bytes
  for (let i = 1; ; i += 1) {
    const emblem = Math.min(maxEmblem, emblemPixels(l, target * AIM - base - miss));
    const gif = encodeGif(l.width, l.height, l.palette, paint(l, emblem));
    const fits = gif.length <= target;
    const done = fits ? gif.length >= target * CLOSE_ENOUGH || emblem === maxEmblem : emblem === 0;
    if (done || i === ATTEMPTS) return fits ? padGif(gif, target) : gif;
    miss = gif.length - base - emblemBytes(l, emblem);
  }
}
