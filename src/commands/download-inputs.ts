/**
 * The files a download reads before its options resolve: --ca FILE and --urls FILE (`-`: stdin);
 * and bench's and tune's --ca and --insecure, checked once before their runs start.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import type { DownloadInputs, RawDownloadOptions } from '../raw-options.js';
import { checkCaPem } from '../targets/resolve.js';

/** Largest --urls or --ca file read, in bytes. */
const MAX_INPUT_BYTES = 64 * 2 ** 20;

/** Read the files `raw` names; a file that cannot be read is a UsageError naming the flag. */
export async function readInputs(raw: RawDownloadOptions): Promise<DownloadInputs> {
  return {
    caPem: raw.ca === undefined ? undefined : await readText('--ca', raw.ca),
    urlsText: raw.urls === undefined ? undefined : await readText('--urls', raw.urls),
  };
}

/**
 * Before bench or tune start their runs: a --ca file that cannot be read or holds no
 * certificate is a UsageError (not a failure in every run); --insecure is said once on stderr.
 */
export async function checkTrustInputs(trust: { caFile: string | undefined; insecure: boolean }): Promise<void> {
  if (trust.caFile !== undefined) checkCaPem(trust.caFile, await readText('--ca', trust.caFile));
  if (trust.insecure) process.stderr.write('warning: --insecure: TLS certificates are not verified in any run\n');
}

async function readText(flag: string, file: string): Promise<string> {
  if (file === '-' && flag === '--urls') return readStdin();
  try {
    const data = await readFile(file);
    if (data.length > MAX_INPUT_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return data.toString('utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new UsageError(
      `${flag} cannot read '${printable(file)}' (${typeof code === 'string' ? code : 'error'}): give the path of a readable file`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
