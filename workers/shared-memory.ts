/**
 * Shared memory between the workers model's coordinator and its worker threads: the
 * dynamic cursor and stop flag, each slot's live counters (written only by its worker), and
 * which code index each lane has in flight. What a dead worker did can be read back here.
 */
import { emptyCounters, type Counters } from '../src/stats/counters.js';

/** The buffers, plain and structured-cloneable. */
export interface BoardBuffers {
  /** Int32 [cursor, stop]. */
  readonly control: SharedArrayBuffer;
  /** Float64 per slot: STAT_FIELDS values. */
  readonly stats: SharedArrayBuffer;
  /** Int32 per slot: `lanesMax` entries, the code index in flight or -1. */
  readonly inflight: SharedArrayBuffer;
  readonly lanesMax: number;
}

const CURSOR = 0;
const STOP = 1;
const F_TOTAL = 0;
const F_OK = 1;
const F_NOT_FOUND = 2;
const F_ERRORS = 3;
const F_CANCELLED = 4;
const F_BYTES = 5;
const F_POSITION = 6;
const STAT_FIELDS = 7;

/** Allocate a board for `slots` workers with at most `lanesMax` lanes each. */
export function createBoard(slots: number, lanesMax: number): BoardBuffers {
  const inflight = new SharedArrayBuffer(slots * lanesMax * 4);
  new Int32Array(inflight).fill(-1);
  return {
    control: new SharedArrayBuffer(8),
    stats: new SharedArrayBuffer(slots * STAT_FIELDS * 8),
    inflight,
    lanesMax,
  };
}

/** Typed views over a board, for either side. */
export class Board {
  private readonly control: Int32Array;
  private readonly stats: Float64Array;
  private readonly inflight: Int32Array;

  constructor(readonly buffers: BoardBuffers) {
    this.control = new Int32Array(buffers.control);
    this.stats = new Float64Array(buffers.stats);
    this.inflight = new Int32Array(buffers.inflight);
  }

  /** Claim the next index from the shared cursor, or -1 past `total`. */
  claimShared(total: number): number {
    if (Atomics.load(this.control, CURSOR) >= total) return -1;
    const i = Atomics.add(this.control, CURSOR, 1);
    return i < total ? i : -1;
  }

  /** How many indices the shared cursor has handed out (at most `total`). */
  claimedShared(total: number): number {
    return Math.min(Atomics.load(this.control, CURSOR), total);
  }

  /** Tell workers to stop claiming. */
  stop(): void {
    Atomics.store(this.control, STOP, 1);
  }

  /** True once stop() was called. */
  stopped(): boolean {
    return Atomics.load(this.control, STOP) === 1;
  }

  /** The slot's position in its own range or list (worker-private cursor, visible to all). */
  position(slot: number): number {
    return this.stats[slot * STAT_FIELDS + F_POSITION] ?? 0;
  }

  /** Advance and return the slot's previous position. */
  advance(slot: number): number {
    const at = slot * STAT_FIELDS + F_POSITION;
    const pos = this.stats[at] ?? 0;
    this.stats[at] = pos + 1;
    return pos;
  }

  /** Mirror a worker's counters into its slot (numbers only). */
  publish(slot: number, c: Counters): void {
    const s = this.stats;
    const at = slot * STAT_FIELDS;
    s[at + F_TOTAL] = c.total;
    s[at + F_OK] = c.ok;
    s[at + F_NOT_FOUND] = c.notFound;
    s[at + F_ERRORS] = c.errors;
    s[at + F_CANCELLED] = c.cancelled;
    s[at + F_BYTES] = c.bytes;
  }

  /** The counters a slot last published (errorsByReason left empty). */
  counters(slot: number): Counters {
    const at = slot * STAT_FIELDS;
    const get = (f: number): number => this.stats[at + f] ?? 0;
    return {
      ...emptyCounters(),
      total: get(F_TOTAL),
      ok: get(F_OK),
      notFound: get(F_NOT_FOUND),
      errors: get(F_ERRORS),
      cancelled: get(F_CANCELLED),
      bytes: get(F_BYTES),
    };
  }

  /** Codes finished so far by a slot. */
  done(slot: number): number {
    return this.stats[slot * STAT_FIELDS + F_TOTAL] ?? 0;
  }

  /** Record that `lane` of `slot` has index `i` in flight (-1: idle). */
  setInflight(slot: number, lane: number, i: number): void {
    this.inflight[slot * this.buffers.lanesMax + lane] = i;
  }

  /** Indices a slot had in flight. */
  inflightOf(slot: number): number[] {
    const base = slot * this.buffers.lanesMax;
    const found: number[] = [];
    for (let lane = 0; lane < this.buffers.lanesMax; lane += 1) {
      const i = this.inflight[base + lane] ?? -1;
      if (i >= 0) found.push(i);
    }
    return found;
  }
}
