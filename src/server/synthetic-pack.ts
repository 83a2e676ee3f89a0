/**
 * The synthetic flags made once, at build time (`npm run build` runs scripts/synthetic-flags.ts),
 * into one file: dist/synthetic-flags.bin, read in one go when a server starts, so that no
 * request waits for its GIF to be encoded. Its layout: one line of JSON
 * (`{"flags": [["AD", 11415], …]}`: codes and byte lengths, in order), then the GIFs back to back.
 */
import { readFileSync } from 'node:fs';

/** Where the build puts the pack. */
import { PACK_FILE } from '../install-paths.js';

export { PACK_FILE };

/** The pack of `flags` (upper-case code → GIF). */
export function packFlags(flags: ReadonlyMap<string, Uint8Array>): Buffer {
  const header = JSON.stringify({ flags: [...flags].map(([cc, body]) => [cc, body.length]) });
  return Buffer.concat([Buffer.from(`${header}\n`), ...flags.values()]);
}

/** The flags of a pack (upper-case code → GIF), or undefined when `data` is not a whole pack. */
export function unpackFlags(data: Buffer): Map<string, Buffer> | undefined {
  const end = data.indexOf(0x0a);
  if (end < 0) return undefined;
  let flags: unknown;
  try {
    flags = (JSON.parse(data.subarray(0, end).toString('utf8')) as { flags?: unknown }).flags;
  } catch {
    return undefined;
  }
  if (!Array.isArray(flags)) return undefined;
  const out = new Map<string, Buffer>();
  let at = end + 1;
  for (const entry of flags as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isSafeInteger(entry[1])) return undefined;
    const length = entry[1] as number;
    out.set(entry[0], data.subarray(at, at + length));
    at += length;
  }
  return at === data.length ? out : undefined;
}

/** The build's pack, or undefined when there is none (tsc alone) or it cannot be read whole. */
export function readPack(): Map<string, Buffer> | undefined {
  try {
    return unpackFlags(readFileSync(PACK_FILE));
  } catch {
    return undefined;
  }
}
