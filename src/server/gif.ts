/**
 * A real, decodable GIF89a: a flag of three stripes drawn with an uncompressed LZW stream
 * (a clear code every 250 pixels keeps codes at 9 bits), so its size follows its pixels.
 */

/** Pixels between clear codes: keeps the decoder's table below 512 entries (9-bit codes). */
const RUN = 250;

/** A `width`×`height` GIF of three vertical stripes in the given RGB colours. */
export function stripedGif(width: number, height: number, colours: readonly [number, number, number][]): Buffer {
  const palette = Buffer.alloc(256 * 3);
  colours.forEach(([r, g, b], i) => palette.set([r, g, b], i * 3));
  const header = Buffer.alloc(13);
  header.write('GIF89a', 0, 'latin1');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0xf7; // global colour table, 8 bits of colour resolution, 256 entries
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  const pixels = (i: number): number =>
    Math.min(colours.length - 1, Math.floor(((i % width) * colours.length) / width));
  const data = lzwUncompressed(width * height, pixels);
  return Buffer.concat([header, palette, descriptor, Buffer.from([8]), subBlocks(data), Buffer.from([0x3b])]);
}

/** Bytes an image of `pixels` pixels takes, besides headers and palette (~9 bits a pixel). */
export function gifDataBytes(pixels: number): number {
  const codes = pixels + Math.ceil(pixels / RUN) + 1;
  const bytes = Math.ceil((codes * 9) / 8);
  return bytes + Math.ceil(bytes / 255) + 1;
}

/** Fixed size of a GIF besides its image data. */
export const GIF_OVERHEAD_BYTES = 13 + 768 + 10 + 1 + 1;

function lzwUncompressed(count: number, pixel: (i: number) => number): Buffer {
  const out = Buffer.alloc(Math.ceil(((count + Math.ceil(count / RUN) + 1) * 9) / 8) + 2);
  let bitPos = 0;
  const emit = (code: number): void => {
    for (let b = 0; b < 9; b += 1) {
      if ((code >> b) & 1) {
        const at = bitPos >> 3;
        out[at] = (out[at] ?? 0) | (1 << (bitPos & 7));
      }
      bitPos += 1;
    }
  };
  for (let i = 0; i < count; i += 1) {
    if (i % RUN === 0) emit(256); // clear
    emit(pixel(i));
  }
  emit(257); // end of information
  return out.subarray(0, Math.ceil(bitPos / 8));
}

function subBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 255) {
    const chunk = data.subarray(at, at + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
