/**
 * What the client does with a response body: how much it accepts and whether it keeps it
 * (BodyPlan, one object handed down to the GET), the country name in a metadata.json, and
 * saving a flag.
 */
import { FetchFailure } from './classify.js';
import type { Got } from './get-once.js';
import { saveAtomic } from './save.js';

/** How one GET treats its body. */
export interface BodyPlan {
  /** Largest body accepted, in bytes; a bigger one is aborted as `too large`. */
  readonly maxBytes: number;
  /** Keep the body of a 200 (to save or parse it); otherwise it is only counted. */
  readonly keep: boolean;
}

/** Largest metadata.json accepted, in bytes. */
export const METADATA_MAX_BYTES = 64 * 1024;

/** The country's name in a metadata.json body (`{"country": "Brazil", …}`), or a FetchFailure. */
export function countryNameOf(got: Got): string {
  const parsed = JSON.parse((got.body ?? Buffer.alloc(0)).toString('utf8')) as { country?: unknown };
  if (typeof parsed.country !== 'string')
    throw new FetchFailure({ kind: 'http-error', reason: 'bad metadata', detail: 'metadata.json has no country name' });
  return parsed.country;
}

/** Save a flag's body as `dir/name`; a failure is a FetchFailure `save failed`. */
export async function saveFlag(dir: string, name: string, body: Buffer): Promise<void> {
  try {
    await saveAtomic(dir, name, body);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new FetchFailure({
      kind: 'network',
      reason: 'save failed',
      detail: `cannot save ${name} (${typeof code === 'string' ? code : 'error'})`,
    });
  }
}
