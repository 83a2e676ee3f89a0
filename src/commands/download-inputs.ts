/**
 * The files a download reads before its options resolve: --ca FILE and --urls FILE (`-`: stdin);
 * bench's and tune's --urls FILE, and their --ca and --insecure, checked once before their runs start.
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import type { DownloadInputs, RawDownloadOptions } from '../raw-options.js';
import { checkCaPem } from '../targets/resolve.js';
import { readBounded } from '../read-bounded.js';

/** Read the files `raw` names; a file that cannot be read is a UsageError naming the flag. */
export async function readInputs(raw: RawDownloadOptions): Promise<DownloadInputs> {
  return {
    caPem: raw.ca === undefined ? undefined : await readCa(raw.ca),
    urlsText: raw.urls === undefined ? undefined : await readText('--urls', raw.urls),
  };
}

/** The --urls file's text (stdin for `-`), read once by bench and tune; {} without --urls. */
export async function readUrlsInput(raw: { urls?: string }): Promise<{ urlsText?: string | undefined }> {
  return raw.urls === undefined ? {} : { urlsText: await readText('--urls', raw.urls) };
}

/**
 * The --ca file's text, once every certificate in it parses (a PEM with valid armour and
 * garbage inside is refused up front, not when the first handshake fails).
 */
async function readCa(file: string): Promise<string> {
  const pem = await readText('--ca', file);
  checkCaPem(file, pem);
  const { X509Certificate } = await import('node:crypto');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g) ?? [];
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new UsageError(
        `--ca '${printable(file)}': certificate ${i + 1} of ${blocks.length} is not a valid certificate: give the CA's PEM file as it was written`,
      );
    }
  });
  if (blocks.length === 0) checkCaPem(file, '');
  return pem;
}

/**
 * Before bench or tune start their runs: a --ca file that cannot be read or holds no
 * certificate is a UsageError (not a failure in every run); --insecure is said once on stderr.
 */
export async function checkTrustInputs(trust: { caFile: string | undefined; insecure: boolean }): Promise<void> {
  if (trust.caFile !== undefined) await readCa(trust.caFile);
  if (trust.insecure) process.stderr.write('warning: --insecure: TLS certificates are not verified in any run\n');
}

async function readText(flag: string, file: string): Promise<string> {
  const stdin = file === '-' && flag === '--urls';
  try {
    return (await readBounded(stdin ? process.stdin : file)).toString('utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const what = stdin ? 'stdin' : `'${printable(file)}'`;
    const fix = code === 'EFBIG' ? 'give a smaller file' : 'give the path of a readable file';
    throw new UsageError(`${flag} cannot read ${what} (${typeof code === 'string' ? code : 'error'}): ${fix}`);
  }
}
