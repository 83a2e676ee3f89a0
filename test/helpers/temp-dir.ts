/** A temporary folder for one test body, always removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Make a fresh folder under the system's temp folder, run `body` in it, and remove it whatever happens. */
export async function withTempDir(body: (dir: string) => Promise<void>, prefix = 'flagfetch-test-'): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
