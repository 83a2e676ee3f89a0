/**
 * GIF's variable-length LZW, the encoding side (the code-size timing follows omggif's
 * GifWriter, which every decoder reads): a compact encoder for the synthetic flags, whose
 * pixels must be compressed as real GIFs are so that decoding them costs what decoding a
 * real flag costs. The code table is a typed array indexed by (prefix code, next index).
 */

/** Largest code GIF allows (12 bits). */
const MAX_CODES = 4096;

/**
 * The LZW code stream of `indices` (each below 2 ** minCodeSize, 2 ≤ minCodeSize ≤ 8), packed
 * LSB first, without the min-code-size byte and without sub-block framing.
 */
export function lzwEncode(indices: Uint8Array, minCodeSize: number): Uint8Array {
  if (minCodeSize < 2 || minCodeSize > 8) throw new RangeError(`LZW min code size ${minCodeSize} is not 2..8`);
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const table = new Uint16Array(MAX_CODES << minCodeSize); // code of (prefix, index); 0: none yet
  // Worst case: one 12-bit code per index, plus a clear code per table fill.
  const out = new Uint8Array(Math.ceil(((indices.length * 1.01 + 8) * 12) / 8) + 8);
  let at = 0;
  let bits = 0;
  let pending = 0;
  let size = minCodeSize + 1;
  let next = eoi + 1;
  const emit = (code: number): void => {
    bits |= code << pending;
    pending += size;
    while (pending >= 8) {
      out[at++] = bits & 0xff;
      bits >>>= 8;
      pending -= 8;
    }
  };
  emit(clear);
  if (indices.length > 0) {
    let prefix = indices[0] as number;
    for (let i = 1; i < indices.length; i += 1) {
      const k = indices[i] as number;
      const key = (prefix << minCodeSize) | k;
      const code = table[key] as number;
      if (code !== 0) {
        prefix = code;
        continue;
      }
      emit(prefix);
      if (next === MAX_CODES) {
        emit(clear);
        table.fill(0);
        next = eoi + 1;
        size = minCodeSize + 1;
      } else {
        if (next >= 1 << size) size += 1;
        table[key] = next;
        next += 1;
      }
      prefix = k;
    }
    emit(prefix);
  }
  emit(eoi);
  if (pending > 0) out[at++] = bits & 0xff;
  return out.slice(0, at);
}
