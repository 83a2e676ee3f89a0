/**
 * What the client does with a response body: how much it accepts and whether it keeps it
 * (BodyPlan, one object handed down to the GET), the country name in a metadata.json, and
 * saving a flag.
 */
import { FetchFailure } from './classify.js';
import { saveAtomic } from './save.js';
import { saveFailedReason } from './reasons.js';

/** How one GET treats its body. */
export interface BodyPlan {
  /** Largest body accepted, in bytes; a bigger one is aborted as `too large`. */
  readonly maxBytes: number;
  /** Keep the body of a 200 (to save or parse it); otherwise it is only counted. */
  readonly keep: boolean;
  /** A 200 must be a GIF (GIF87a/GIF89a, Content-Type image/gif or none), else `not a GIF`. */
  readonly gif: boolean;
}

/** The signatures a GIF starts with. */
const GIF_MAGIC = ['GIF87a', 'GIF89a'];
/** Bytes needed to tell a GIF by its start. */
export const GIF_MAGIC_BYTES = 6;
/** A 200's first bytes before any arrived (shared: never written to). */
export const NO_BYTES = Buffer.alloc(0);

/** Why a Content-Type rules out a GIF, or undefined when it is image/gif or absent. */
export function notGifType(contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType === 'image/gif') return undefined;
  const mime = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mime === 'image/gif' ? undefined : `Content-Type ${mime === '' ? '(empty)' : mime}, not image/gif`;
}

/** Why the first bytes of a body are not a GIF's, or undefined when they are. */
export function notGifStart(head: Buffer): string | undefined {
  const start = head.subarray(0, GIF_MAGIC_BYTES).toString('latin1');
  if (GIF_MAGIC.includes(start)) return undefined;
  return head.length === 0 ? 'empty body' : `body starts with ${JSON.stringify(start)}, not GIF87a/GIF89a`;
}

/** The failure of a 200 that is not a GIF. */
export function notAGif(why: string): FetchFailure {
  return new FetchFailure({ kind: 'http-error', reason: 'not a GIF', detail: `not a GIF: ${why}` });
}

/** Largest metadata.json accepted, in bytes. */
export const METADATA_MAX_BYTES = 64 * 1024;

/** The country's name in a metadata.json body (`{"country": "Brazil", …}`), or a FetchFailure `bad metadata`. */
export function countryNameOf(body: Buffer): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badMetadata('metadata.json is not valid JSON');
  }
  const country = typeof parsed === 'object' && parsed !== null ? (parsed as { country?: unknown }).country : undefined;
  if (typeof country !== 'string') throw badMetadata('metadata.json has no country name');
  return country;
}

function badMetadata(detail: string): FetchFailure {
  return new FetchFailure({ kind: 'http-error', reason: 'bad metadata', detail });
}

/** Save a flag's body as `dir/name`; a failure is a FetchFailure whose reason names the cause. */
export async function saveFlag(dir: string, name: string, body: Buffer): Promise<void> {
  try {
    await saveAtomic(dir, name, body);
  } catch (err) {
    const reason = saveFailedReason(err);
    throw new FetchFailure({ kind: 'local', reason, detail: `${reason}: ${name}` });
  }
}
