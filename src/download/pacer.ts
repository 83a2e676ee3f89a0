/**
 * One scheduler per event loop for the open model (--rate): lanes that claimed a slot wait
 * here until its intended start, all on a single timer armed for the earliest slot (never a
 * timer per request). libuv timers count whole milliseconds, so the last stretch before a
 * slot is waited out on setImmediate turns, which let I/O run between them. A lane that
 * claims a slot already past is late (no lane was free when it came) and starts at once.
 */
import { performance } from 'node:perf_hooks';
import type { Outcome } from './outcome.js';
import { SlotClock, type RateSchedule } from './schedule.js';
import { RateRecorder } from '../stats/rate.js';

/** Below this wait, in milliseconds, the pacer polls on setImmediate instead of a timer. */
const SPIN_MS = 1.5;

/** This thread's offset from performance.now() to the process-wide monotonic clock (the same in every thread). */
const SHARED_OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Now on a clock every thread of the process shares, in milliseconds: a run's t0 crosses threads on it. */
export function sharedNowMs(): number {
  return performance.now() + SHARED_OFFSET_MS;
}

/** A slot as its lane started it: its intended start and when it was really sent (performance.now() ms). */
export interface SlotStart {
  readonly dueMs: number;
  readonly sentMs: number;
}

interface Waiter {
  readonly dueMs: number;
  readonly wake: (go: boolean) => void;
}

/** Paces one event loop's lanes on a run's schedule, from `t0SharedMs` (sharedNowMs()). */
export class Pacer {
  readonly recorder = new RateRecorder();
  private readonly clock: SlotClock;
  private readonly t0: number;
  private readonly waiting: Waiter[] = [];
  private head = 0;
  private armed = false;
  private stopped = false;

  constructor(schedule: RateSchedule, t0SharedMs: number) {
    this.clock = new SlotClock(schedule);
    this.t0 = t0SharedMs - SHARED_OFFSET_MS;
  }

  /** Wait for slot `i`'s intended start; undefined when the pacer was stopped first (the slot is not sent). */
  async start(i: number): Promise<SlotStart | undefined> {
    const dueMs = this.t0 + this.clock.offsetMs(i);
    const claimedMs = performance.now();
    const late = claimedMs > dueMs;
    if (!late && !(await new Promise<boolean>((wake) => this.enqueue({ dueMs, wake })))) return undefined;
    if (this.stopped) return undefined;
    const sentMs = performance.now();
    this.recorder.sent(sentMs - dueMs, sentMs - this.t0, late);
    return { dueMs, sentMs };
  }

  /** Count a started slot's outcome: its response time, from the intended start (less its --work CPU time, as service time). */
  answered(slot: SlotStart, o: Outcome): void {
    if (o.kind !== 'cancelled') this.recorder.answered(performance.now() - slot.dueMs - (o.workMs ?? 0));
  }

  /** Release every waiting lane without sending (soft stop); later claims are not sent either. */
  stop(): void {
    this.stopped = true;
    while (this.head < this.waiting.length) this.waiting[this.head++]?.wake(false);
  }

  private enqueue(w: Waiter): void {
    if (this.stopped) return w.wake(false);
    const q = this.waiting;
    const last = q[q.length - 1];
    if (this.head === q.length || last === undefined || last.dueMs <= w.dueMs) q.push(w);
    else {
      // Out of order (a rescued worker's list): insert in place, the queue stays sorted by due time.
      let at = q.length;
      while (at > this.head && (q[at - 1]?.dueMs ?? 0) > w.dueMs) at -= 1;
      q.splice(at, 0, w);
    }
    this.arm();
  }

  private arm(): void {
    const next = this.waiting[this.head];
    if (this.armed || next === undefined) return;
    this.armed = true;
    const waitMs = next.dueMs - performance.now();
    if (waitMs > SPIN_MS) setTimeout(this.tick, Math.floor(waitMs - SPIN_MS));
    else setImmediate(this.tick);
  }

  private readonly tick = (): void => {
    this.armed = false;
    const now = performance.now();
    const q = this.waiting;
    while (this.head < q.length && (q[this.head]?.dueMs ?? Infinity) <= now) q[this.head++]?.wake(true);
    if (this.head > 1024 && this.head * 2 > q.length) {
      q.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  };
}

/** The outcome of a slot that was claimed but never sent (the run stopped first). */
export function notSent(cc: string): Outcome {
  return { cc, kind: 'cancelled', reason: 'cancelled', detail: 'cancelled', bytes: 0, latencyMs: 0, attempts: 0 };
}
