/**
 * `--work decode`: a GIF's pixels decoded with omggif (pure JS, on purpose: a native decoder
 * would do its work off the JS thread and hide the very cost the workers model is measured
 * on), then its three dominant colours counted. omggif is imported only by a thread that
 * decodes (loadDecoder), so other runs never load it.
 */
import type { GifReader as OmgGifReader } from 'omggif';

/** One dominant colour: `#rrggbb` and its share of the image's pixels (0..1, 3 decimals). */
export interface DominantColor {
  readonly hex: string;
  readonly share: number;
}

/** What decoding a flag gives: its size and up to three dominant colours, most common first. */
export interface ImageColors {
  readonly width: number;
  readonly height: number;
  readonly colors: readonly DominantColor[];
}

/** Decodes a body into ImageColors; throws an Error saying why a body is not a decodable GIF. */
export type Decoder = (body: Uint8Array) => ImageColors;

/** Colours reported per image. */
export const DOMINANT_COLORS = 3;

/**
 * Largest image decoded, in pixels: the screen, each frame, and all frames together (a GIF's
 * 16-bit sizes can claim 4 G pixels in a few bytes). Decoding costs time and memory in
 * proportion to the screen and the frame decoded, so this cap bounds both for one body.
 */
export const MAX_PIXELS = 25_000_000;

/** Load omggif (dynamic import) and return a decoder. */
export async function loadDecoder(): Promise<Decoder> {
  const { GifReader } = await import('omggif');
  return (body) => decodeWith(GifReader, body);
}

function decodeWith(Reader: typeof OmgGifReader, body: Uint8Array): ImageColors {
  const reader = new Reader(body);
  const { width, height } = reader;
  if (width === 0 || height === 0 || reader.numFrames() === 0) throw new Error('no image in the GIF');
  checkSizes(reader);
  const pixels = new Uint8Array(width * height * 4);
  quietly(() => reader.decodeAndBlitFrameRGBA(0, pixels));
  return { width, height, colors: dominantColors(new Uint32Array(pixels.buffer)) };
}

/**
 * Refuse, before any pixel is decoded, a screen or a frame larger than MAX_PIXELS, frames that
 * add up to more, and a first frame outside the screen (omggif would walk all of its pixels
 * only to drop them).
 */
function checkSizes(reader: OmgGifReader): void {
  const { width, height } = reader;
  if (width * height > MAX_PIXELS) throw new Error(`the screen ${width}×${height} is larger than ${MAX_PIXELS} pixels`);
  let sum = 0;
  for (let i = 0; i < reader.numFrames(); i += 1) {
    const f = reader.frameInfo(i);
    sum += f.width * f.height;
    if (f.width * f.height > MAX_PIXELS)
      throw new Error(`frame ${i + 1} (${f.width}×${f.height}) is larger than ${MAX_PIXELS} pixels`);
    if (sum > MAX_PIXELS) throw new Error(`its ${i + 1} frames add up to more than ${MAX_PIXELS} pixels`);
  }
  const first = reader.frameInfo(0);
  if (first.x + first.width > width || first.y + first.height > height) {
    throw new Error(
      `frame 1 (${first.width}×${first.height} at ${first.x},${first.y}) lies outside the ${width}×${height} screen`,
    );
  }
}

/**
 * Run omggif's decode, turning its two console warnings (its only report of an LZW stream
 * shorter or longer than the frame: a truncated or corrupt image) into a thrown Error, so
 * nothing reaches stdout. Synchronous, so no other code runs while console.log is swapped.
 */
function quietly(decode: () => void): void {
  const log = console.log;
  let warning: string | undefined;
  console.log = (message: unknown) => {
    warning ??= typeof message === 'string' ? message : 'unreadable image data';
  };
  try {
    decode();
  } finally {
    console.log = log;
  }
  if (warning !== undefined) throw new Error(warning.replace(/^Warning, /, ''));
}

/**
 * The DOMINANT_COLORS most frequent opaque colours of RGBA pixels (one Uint32 each), with
 * their share of all pixels. Counting runs of equal pixels keeps the map out of the inner loop.
 */
export function dominantColors(rgba: Uint32Array): DominantColor[] {
  const counts = new Map<number, number>();
  const n = rgba.length;
  let i = 0;
  while (i < n) {
    const v = rgba[i] as number;
    let j = i + 1;
    while (j < n && rgba[j] === v) j += 1;
    if (v >>> 24 !== 0) counts.set(v, (counts.get(v) ?? 0) + (j - i));
    i = j;
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, DOMINANT_COLORS)
    .map(([v, count]) => ({ hex: hexOf(v), share: Math.round((count / n) * 1000) / 1000 }));
}

/** `#rrggbb` of a little-endian RGBA pixel read as a Uint32. */
function hexOf(v: number): string {
  const rgb = ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff);
  return `#${rgb.toString(16).padStart(6, '0')}`;
}
