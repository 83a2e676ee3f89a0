/**
 * The one atomic writer: a temp file in the destination folder, then rename over the target,
 * so readers see either the old file or the whole new one. Temp names carry the writer's pid,
 * so a sweep can tell a live run's temp files from a dead one's.
 *
 * Making a file is the slow step on some file systems: ~250 µs a file on this project's
 * machines (ext4 in a VM; rename 16 µs, open of an existing file 7 µs, writing 12 KB 12 µs),
 * one at a time per folder. A run that saves many files starts a TempSupply as soon as it
 * knows the folder: empty temp files made ahead, while it still loads, connects and downloads,
 * that writers in any thread of the process claim (useTempSupply) instead of making their own.
 */
import { close, open, rename, rm, write } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';

/** Prefix of every temp file flagfetch writes; anything else in a folder is never touched. */
export const TEMP_PREFIX = '.flagfetch-';

/** A fresh temp file name for this process, in `dir`. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomHex()}.tmp`);
}

/**
 * 12 random hex digits. node:crypto is loaded on first use, not with this module: a worker
 * thread that only writes into temps made ahead never loads it (16 built-in modules).
 */
function randomHex(): string {
  return process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
}

/** Write `data` to `file` atomically; the temp file is removed when anything fails. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const made = claimTemp(dir);
  const temp = made?.path ?? tempPathIn(dir);
  let fd = made?.fd;
  try {
    // A temp made ahead is open, empty, under a name only this process uses.
    if (fd === undefined) fd = await openAsync(temp, 'wx');
    await writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    const closing = fd;
    fd = undefined;
    await closeAsync(closing);
    await renameAsync(temp, file);
  } catch (err) {
    if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
    await rmAsync(temp, { force: true });
    throw err;
  }
}

// The callback API, promisified: node:fs/promises loads 8 more built-in modules in every thread.
const openAsync = promisify(open);
const closeAsync = promisify(close);
const writeAsync = promisify(write);
const renameAsync = promisify(rename);
const rmAsync = promisify(rm);

async function writeAll(fd: number, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length;) at += (await writeAsync(fd, data, at, data.length - at)).bytesWritten;
}

/** Temp files made ahead in one folder, as plain data any thread of the process can use. */
export interface TempSupplyShare {
  /** The folder, resolved. */
  readonly dir: string;
  /** Every temp's path is `${stem}${index}.tmp`. */
  readonly stem: string;
  /** Int32 per temp: its open fd once made (-1 before, -2 when it could not be made); then the claim cursor. */
  readonly state: SharedArrayBuffer;
}

const NOT_YET = -1;
const FAILED = -2;

/** This thread's supplies, by folder. */
const supplies = new Map<string, TempSupplyShare>();

/** Writers in this thread claim temps from `share` (a supply another thread may have started). */
export function useTempSupply(share: TempSupplyShare): void {
  supplies.set(share.dir, share);
}

/** Writers in this thread stop claiming temps in the folder of `share`. */
export function dropTempSupply(share: TempSupplyShare): void {
  if (supplies.get(share.dir) === share) supplies.delete(share.dir);
}

/** A made temp of this thread's supply for `dir`, now the caller's (to write and close); undefined when none is ready. */
function claimTemp(dir: string): { path: string; fd: number } | undefined {
  const share = supplies.get(dir);
  if (share === undefined) return undefined;
  const state = new Int32Array(share.state);
  const n = state.length - 1;
  for (let i = Atomics.load(state, n); i < n; i = Atomics.load(state, n)) {
    // Taken in order: one not made yet means the supply is behind, and the writer makes its own.
    const fd = Atomics.load(state, i);
    if (fd === NOT_YET) return undefined;
    if (Atomics.compareExchange(state, n, i, i + 1) === i && fd !== FAILED)
      return { path: `${share.stem}${i}.tmp`, fd };
  }
  return undefined;
}

/** A supply of temp files being made in one folder. */
export interface TempSupply {
  readonly share: TempSupplyShare;
  /** Resolves once every temp asked for is made (or could not be). */
  readonly made: Promise<void>;
  /** Make no more and close the unclaimed ones (their files are left to the sweep); call once every writer is done. */
  stop(): Promise<void>;
}

/**
 * Start making `count` empty temp files in `dir`, one at a time (files made at once in one
 * folder wait on its lock, spinning: ~3× the CPU for no gain), kept open for the writers that
 * claim them; this thread claims them from now on.
 */
export function startTempSupply(dir: string, count: number): TempSupply {
  const resolved = path.resolve(dir);
  const stem = path.join(resolved, `${TEMP_PREFIX}${process.pid}-${randomHex()}-`);
  const share: TempSupplyShare = { dir: resolved, stem, state: new SharedArrayBuffer(4 * (count + 1)) };
  const state = new Int32Array(share.state).fill(NOT_YET, 0, count);
  let stopped = false;
  const made = (async () => {
    for (let i = 0; i < count && !stopped; i += 1) {
      const fd = await openAsync(`${stem}${i}.tmp`, 'wx').catch(() => FAILED);
      if (stopped && fd !== FAILED) await closeAsync(fd);
      else Atomics.store(state, i, fd);
    }
  })();
  useTempSupply(share);
  return {
    share,
    made,
    stop: async () => {
      stopped = true;
      dropTempSupply(share);
      await made;
      const claimed = Atomics.exchange(state, count, count);
      for (let i = claimed; i < count; i += 1) {
        const fd = state[i] ?? FAILED;
        if (fd >= 0) await closeAsync(fd).catch(() => undefined);
      }
    },
  };
}
