/**
 * The Redis password, given apart from the queue URL so that it never shows in `ps`:
 * `--queue-password-file FILE` (its first line) or the FLAGFETCH_QUEUE_PASSWORD environment
 * variable, the file first.
 */
import { open } from 'node:fs/promises';
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';
import type { QueuePassword } from './target.js';

/** The environment variable a queue password may come from. */
export const PASSWORD_ENV = 'FLAGFETCH_QUEUE_PASSWORD';

/** A password file is read up to this size, whatever the file is (a FIFO, /dev/zero). */
const MAX_FILE_BYTES = 4096;

/** The password from `file` (the flag's value) or `env`; null when neither gives one. */
export async function queuePassword(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<QueuePassword | null> {
  if (file !== undefined) return { value: await readPasswordFile(file), from: '--queue-password-file' };
  const value = env[PASSWORD_ENV];
  return value === undefined || value === '' ? null : { value, from: PASSWORD_ENV };
}

async function readPasswordFile(file: string): Promise<string> {
  const flag = `--queue-password-file '${printable(file)}'`;
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead > MAX_FILE_BYTES)
        throw new UsageError(`${flag} is longer than ${MAX_FILE_BYTES} bytes: give a file holding the password alone`);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new UsageError(`cannot read ${flag} (${typeof code === 'string' ? code : 'error'}): give a readable file`);
  }
  const value = text.split(/\r?\n/, 1)[0] ?? '';
  if (value === '') throw new UsageError(`${flag} is empty: put the password on its first line`);
  return value;
}
