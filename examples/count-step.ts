/**
 * A CPU step of one's own for download(): called with each body on the worker thread that
 * downloaded it. Here: a checksum (Adler-32) of the bytes, and a refusal of empty bodies
 * (a throw fails that file alone, counted as `work failed`).
 */
import type { WorkItem } from 'flagfetch';

/** Adler-32 of each body; throws on an empty one. */
export default function countStep(body: Uint8Array, item: WorkItem): void {
  if (body.length === 0) throw new Error(`${item.file} is empty`);
  let a = 1;
  let b = 0;
  for (const byte of body) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  if (b * 65536 + a < 0) throw new Error('unreachable');
}
