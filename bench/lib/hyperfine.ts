/**
 * A cross-check by hyperfine itself (when installed): it runs each command's runs in a row,
 * not interleaved, so on a busy machine its ratios drift more than ours; shown beside them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hasCommand } from './external.js';
import type { TimedCommand } from './interleave.js';

/** hyperfine's figures for one command, in ms. */
export interface HyperfineRow {
  readonly command: string;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly userMs: number;
  readonly systemMs: number;
}

/** `hyperfine -N --warmup 3 --runs 20` over `commands` (no prepare or checks: start-up rows only). */
export async function hyperfineCheck(commands: readonly TimedCommand[]): Promise<HyperfineRow[] | undefined> {
  if (!hasCommand('hyperfine')) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-hyperfine-'));
  try {
    const out = path.join(dir, 'h.json');
    const lines = commands.map((c) => c.argv.join(' '));
    await promisify(execFile)('hyperfine', ['-N', '--warmup', '3', '--runs', '20', '--export-json', out, ...lines]);
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      results: { command: string; median: number; mean: number; user: number; system: number }[];
    };
    return json.results.map((r) => ({
      command: r.command,
      medianMs: r.median * 1000,
      meanMs: r.mean * 1000,
      userMs: r.user * 1000,
      systemMs: r.system * 1000,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
