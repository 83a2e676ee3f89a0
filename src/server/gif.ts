/**
 * Real, decodable GIF89a files, LZW-compressed as real GIFs are (lzw.ts): one image and a
 * global colour table sized to the palette; a comment extension can pad one to an exact size.
 */
import { lzwEncode } from './lzw.js';

/** An RGB colour. */
export type Rgb = readonly [number, number, number];

/** Bits of colour-table index for `colours` entries (at least 2: LZW's smallest code size). */
export function paletteBits(colours: number): number {
  let bits = 2;
  while (1 << bits < colours) bits += 1;
  return bits;
}

/** Bytes a comment extension holding `text` bytes takes. */
function commentBytes(text: number): number {
  return 2 + text + Math.ceil(text / 255) + 1;
}

/** A `width`×`height` GIF89a of palette `indices` (row by row). */
export function encodeGif(width: number, height: number, palette: readonly Rgb[], indices: Uint8Array): Buffer {
  const bits = paletteBits(palette.length);
  const header = Buffer.alloc(13);
  header.write('GIF89a', 0, 'latin1');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0xf0 | ((bits - 1) << 4) | (bits - 1); // global colour table of 2^bits entries
  const table = Buffer.alloc(3 * (1 << bits));
  palette.forEach((rgb, i) => table.set(rgb, i * 3));
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  const codes = lzwEncode(indices, bits);
  return Buffer.concat([header, table, descriptor, Buffer.from([bits]), subBlocks(codes), Buffer.from([0x3b])]);
}

/**
 * `gif` (from encodeGif) padded to exactly `bytes` with a comment extension of spaces after its
 * colour table, before the image, when it is at least 5 bytes shorter (else as it is). Decoders
 * skip comments: it adds bytes, not decode work; and a cut file still loses image data.
 */
export function padGif(gif: Buffer, bytes: number): Buffer {
  if (bytes - gif.length < 5) return gif;
  const at = 13 + 3 * (1 << (((gif[10] ?? 0) & 7) + 1));
  return Buffer.concat([gif.subarray(0, at), comment(bytes - gif.length), gif.subarray(at)]);
}

/** A `width`×`height` GIF of three vertical stripes of equal width in the given RGB colours. */
export function stripedGif(width: number, height: number, colours: readonly Rgb[]): Buffer {
  const indices = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      indices[y * width + x] = Math.min(colours.length - 1, Math.floor((x * colours.length) / width));
    }
  }
  return encodeGif(width, height, colours, indices);
}

/** Comment extensions of spaces that take exactly `bytes` bytes (bytes ≥ 5). */
function comment(bytes: number): Buffer {
  let text = bytes - 3;
  while (commentBytes(text) > bytes) text -= 1;
  const body = subBlocks(Buffer.alloc(text, 0x20));
  const ext = Buffer.concat([Buffer.from([0x21, 0xfe]), body]);
  // A text length whose framing lands one byte short cannot be fixed by the text alone.
  return ext.length === bytes ? ext : Buffer.concat([Buffer.from([0x21, 0xfe, 1, 0x20, 0]), comment(bytes - 5)]);
}

function subBlocks(data: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 255) {
    const chunk = data.subarray(at, at + 255);
    parts.push(Buffer.from([chunk.length]), Buffer.from(chunk));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
