/**
 * The one contract between the coordinator (src/models) and the pool's threads (workers/):
 * what goes in as workerData and tasks, what comes back as results and messages, and the
 * hard-stop broadcast. Everything here is structured-cloneable plain data.
 */
import { BroadcastChannel, workerData, type MessagePort } from 'node:worker_threads';
import type { FetchSettings, Protocol } from '../src/download/settings.js';
import type { Counters } from '../src/stats/counters.js';
import type { Outcome } from '../src/download/outcome.js';
import type { BoardBuffers } from './shared-memory.js';
import type { WorkRecords } from '../src/cpu-work/step.js';
import type { RateSchedule } from '../src/download/schedule.js';
import type { RateTally } from '../src/stats/rate.js';

/** What every pool thread gets as workerData. */
export interface PoolData {
  readonly settings: FetchSettings;
  /** BroadcastChannel name on which the coordinator announces the hard stop. */
  readonly abortChannel: string;
  /** Threads model: each thread's client, made as the thread starts (also on a thread that replaces a dead one). */
  readonly client?: {
    /** Requests the thread has in flight at most (its lane: tasks it runs at once). */
    readonly lanes: number;
    /** Connections per origin (undefined: the protocol's default). */
    readonly connections?: number | undefined;
  };
}

/** This thread's workerData, typed (call only inside a pool thread). */
export function poolData(): PoolData {
  return workerData as PoolData;
}

/**
 * What the coordinator broadcasts on `channelName`: `soft()` turns true at the soft stop (no
 * --work step starts after it), `hard` aborts at the hard stop.
 */
export function stopSignals(channelName: string): { hard: AbortSignal; soft: () => boolean } {
  const hardStop = new AbortController();
  let soft = false;
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => {
    soft = true;
    if ((event as MessageEvent).data === HARD_STOP_MESSAGE) hardStop.abort();
  };
  channel.unref();
  return { hard: hardStop.signal, soft: () => soft };
}

/** The message that tells every thread on the channel to abort its in-flight requests. */
export const HARD_STOP_MESSAGE = 'abort';

/** The message that tells every thread on the channel that the run is stopping (threads model). */
export const SOFT_STOP_MESSAGE = 'stop';

/** The task a pool runs to warm up: the barrier's shared counter and the thread count. */
export interface WarmUpTask {
  readonly warmUp: SharedArrayBuffer;
  readonly threads: number;
  /** Connections each thread opens before arriving. */
  readonly connect: number;
  /** Requests the thread's client will have in flight (its widest share). */
  readonly lanes: number;
  /** Connections per origin the thread's client keeps (undefined: the protocol's default). */
  readonly connections?: number | undefined;
}

/** What a warm-up task returns: the connections the thread opened, and the protocol they speak (absent: none opened). */
export interface WarmUpResult {
  readonly connections: number;
  readonly protocol?: Protocol | undefined;
}

/** True when a task message is a warm-up task. */
export function isWarmUp(task: unknown): task is WarmUpTask {
  return typeof task === 'object' && task !== null && 'warmUp' in task;
}

/** Where a worker's codes come from: indices into codes × repeat. */
export type ClaimSource =
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | {
      readonly kind: 'list';
      readonly indices: readonly number[];
      /** Once the list is done, go on claiming from the shared cursor (a rescue of the dynamic split). */
      readonly thenShared?: boolean;
    };

/** One worker's share of a run (workers model, fetch-loop.ts). */
export interface LoopTask {
  readonly id: number;
  /** Its slot on the board. */
  readonly slot: number;
  readonly codes: readonly string[];
  /** codes.length × repeat. */
  readonly total: number;
  readonly source: ClaimSource;
  readonly lanes: number;
  /** Connections per origin of its client (undefined: the protocol's default). */
  readonly connections?: number | undefined;
  readonly board: BoardBuffers;
  readonly verbose: boolean;
  readonly port: MessagePort;
  /** --rate: the run's schedule and its start on the shared clock (pacer.ts sharedNowMs); index i starts at its slot. */
  readonly rate?: { readonly schedule: RateSchedule; readonly t0SharedMs: number } | undefined;
}

/** What a worker returns: its counters and encoded latency histogram. */
export interface LoopTaskResult {
  readonly id: number;
  readonly counters: Counters;
  readonly latency: string;
  readonly elapsedMs: number;
  readonly eventLoopUtilization: number;
  /** CPU time of its --work step, in milliseconds. */
  readonly workMs: number;
  /** What its --work step found (colours, hashes), when files are saved. */
  readonly work?: WorkRecords | undefined;
  /** --rate: what its pacer measured against the schedule. */
  readonly rate?: RateTally | undefined;
}

/** Messages a worker posts while it runs. */
export interface LoopMessage {
  readonly reasons?: Record<string, number>;
  readonly outcomes?: Outcome[];
  /** Set on the worker's last message: nothing follows it on this port. */
  readonly last?: true;
}

/** A threads-model task's answer (flag-task.ts): the outcome and which thread produced it. */
export interface FlagTaskResult {
  readonly outcome: Outcome;
  readonly thread: number;
  /** What the --work step found on this flag, when files are saved. */
  readonly work?: WorkRecords | undefined;
}
