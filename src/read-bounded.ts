/**
 * Reading what the user names (--urls, --ca, --cert, --key, stdin), bounded whatever it is: a
 * regular file, a device (/dev/zero never ends), a FIFO or a pipe. Past the bound the read
 * stops with EFBIG, the kernel's word for a file too large.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** Largest file read as an input (a URL list, a PEM), in bytes. */
export const MAX_INPUT_BYTES = 64 * 2 ** 20;

/** The bytes of `source` (a path, or a stream such as stdin); rejects with code EFBIG past `maxBytes`. */
export async function readBounded(source: string | Readable, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  const stream = typeof source === 'string' ? createReadStream(source) : source;
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Leaving the loop early (the throw) destroys the stream: nothing more is read.
  for await (const chunk of stream) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += data.length;
    if (bytes > maxBytes) throw Object.assign(new Error(`more than ${maxBytes} bytes`), { code: 'EFBIG' });
    chunks.push(data);
  }
  return Buffer.concat(chunks);
}
