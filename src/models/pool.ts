/**
 * Piscina pools for the threads and workers models: created with every thread started and
 * its connections open (measured as start-up), and a hard-stop channel to their threads
 * (the threads model reads their event-loop utilization). A pool can be started early
 * (startEarly), before the run that takes it over.
 */
import { performance } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import {
  HARD_STOP_MESSAGE,
  SOFT_STOP_MESSAGE,
  type PoolData,
  type WarmUpResult,
  type WarmUpTask,
} from '../../workers/protocol.js';
import type { RunPlan } from './types.js';
import { concurrencyOf, connectionsPerThread } from './concurrency.js';
import { raisableBalancer, type RaisableBalancer } from './balancer.js';
import { spokenByAll, type Protocol } from '../download/settings.js';
import { taskFile } from '../install-paths.js';

/** A pool whose threads are all up, and the time it took. */
export interface ReadyPool {
  readonly pool: Piscina;
  readonly startupMs: number;
  /** The part of startupMs spent opening connections (after every thread was up). */
  readonly connectMs: number;
  /** Connections the threads opened, in all. */
  readonly connections: number;
  /** The protocol they speak: HTTP/1.1 when any thread's server answered HTTP/1.1 (absent: none opened). */
  readonly protocol?: Protocol | undefined;
  /** Name of the BroadcastChannel its threads listen on for a hard stop. */
  readonly abortChannel: string;
  /** Tell every thread to abort its in-flight requests. */
  hardStop(): void;
  /** Tell every thread that the run is stopping (no --work step starts after it). */
  softStop(): void;
  /** Destroy the pool and close the channel. */
  close(): Promise<void>;
}

/**
 * Every pool thread's limits: a small young generation, as each isolate otherwise grows its
 * own far beyond what this allocation rate needs, and the peak RSS with it, for no more
 * requests/s (bench/memory.ts holds the peak RSS to its target). A process-wide
 * --max-semi-space-size would save as much but slows every thread's start-up.
 */
export const POOL_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6 } as const;

/** The file a pool runs for a task file of workers/ (by base name): its bundle (scripts/bundle.ts). */
export { taskFile };

/** What a pool is made of: the file its threads run, how many, and their workerData. */
export interface PoolSpec {
  readonly file: string;
  readonly threads: number;
  readonly data: Omit<PoolData, 'abortChannel'>;
  /** Tasks a thread runs at once once the pool is up (default 1: one long task per thread). */
  readonly tasksPerThread?: number;
}

/** The pool the workers model runs `plan` on: one fetch-loop thread per worker. */
export function workersPool(plan: RunPlan): PoolSpec {
  return { file: taskFile('fetch-loop'), threads: concurrencyOf(plan).threads, data: { settings: plan.fetch } };
}

/**
 * The pool the threads model runs `plan` on: flag-task threads, each running up to its lane
 * of one-flag tasks at once on a client with as many requests in flight.
 */
export function threadsPool(plan: RunPlan): PoolSpec {
  const { threads, lanes } = concurrencyOf(plan);
  const widest = Math.max(...lanes);
  const client = { lanes: widest, connections: connectionsPerThread(plan.connections, threads) };
  return { file: taskFile('flag-task'), threads, tasksPerThread: widest, data: { settings: plan.fetch, client } };
}

/** A pool created ahead of its run, its threads booting, until startPool takes it over. */
interface EarlyPool {
  readonly key: string;
  readonly pool: Piscina;
  readonly balancer: RaisableBalancer;
  readonly abortChannel: string;
  readonly t0: number;
}

let early: EarlyPool | undefined;

let channels = 0;

/**
 * A BroadcastChannel name no other pool of this process has: names are per process, so a
 * count is enough (node:crypto's randomUUID would load node:crypto into every run's start-up).
 */
function abortChannelName(): string {
  channels += 1;
  return `flagfetch-abort-${channels}`;
}

/**
 * Create the pool a run is about to ask startPool for, so that its threads boot while this
 * thread still imports the rest of the run, checks the destination and finds the server.
 * startPool takes it over when asked for the same spec (its start-up then counts from
 * here); discardEarly() ends one that no run took.
 */
export function startEarly(spec: PoolSpec): Piscina {
  void discardEarly();
  const abortChannel = abortChannelName();
  const { pool, balancer } = createPool(spec, abortChannel);
  early = { key: poolKey(spec), pool, balancer, abortChannel, t0: performance.now() };
  return pool;
}

/** Destroy the pool startEarly made if no run took it over. */
export async function discardEarly(): Promise<void> {
  const e = early;
  early = undefined;
  await e?.pool.destroy();
}

/** The client each thread of a pool makes: `lanes` requests in flight over `connections` per origin (undefined: the protocol's default). */
export interface ClientShape {
  readonly lanes: number;
  readonly connections?: number | undefined;
}

/**
 * Start (or take over from startEarly) a pool for `spec`, each thread opening `connect`
 * connections for a client of `shape`; resolves when all are up.
 */
export async function startPool(
  spec: PoolSpec,
  connect: number,
  shape: ClientShape = { lanes: connect },
): Promise<ReadyPool> {
  const key = poolKey(spec);
  const taken = early?.key === key ? early : undefined;
  if (taken === undefined) await discardEarly();
  early = undefined;
  const abortChannel = taken?.abortChannel ?? abortChannelName();
  const t0 = taken?.t0 ?? performance.now();
  const { pool, balancer } = taken ?? createPool(spec, abortChannel);
  const channel = new BroadcastChannel(abortChannel);
  // Two barriers: every thread up (modules loaded), then every thread's connections open.
  await warmUp(pool, spec.threads, 0, shape);
  // Every thread is up with its modules loaded: no connection (no llhttp) yet.
  const t1 = performance.now();
  const opened = connect > 0 ? await warmUp(pool, spec.threads, connect, shape) : { connections: 0 };
  const t2 = performance.now();
  balancer.raise(spec.tasksPerThread ?? 1);
  return {
    pool,
    startupMs: t2 - t0,
    connectMs: t2 - t1,
    ...opened,
    abortChannel,
    hardStop: () => channel.postMessage(HARD_STOP_MESSAGE),
    softStop: () => channel.postMessage(SOFT_STOP_MESSAGE),
    close: async () => {
      channel.close();
      await pool.destroy();
    },
  };
}

/** Run the start-up barrier on every thread of `pool`; resolves when all are up, with the connections they opened. */
async function warmUp(
  pool: Piscina,
  threads: number,
  connect: number,
  shape: ClientShape = { lanes: connect },
): Promise<WarmUpResult> {
  const task: WarmUpTask = { warmUp: new SharedArrayBuffer(4), threads, connect, ...shape };
  const waits: Promise<WarmUpResult>[] = [];
  for (let i = 0; i < threads; i += 1) waits.push(pool.run(task) as Promise<WarmUpResult>);
  const opened = await Promise.all(waits);
  return {
    connections: opened.reduce((sum, o) => sum + o.connections, 0),
    protocol: spokenByAll(opened.map((o) => o.protocol)),
  };
}

function createPool(spec: PoolSpec, abortChannel: string): { pool: Piscina; balancer: RaisableBalancer } {
  const balancer = raisableBalancer();
  const pool = new Piscina({
    filename: spec.file,
    minThreads: spec.threads,
    maxThreads: spec.threads,
    concurrentTasksPerWorker: spec.tasksPerThread ?? 1,
    loadBalancer: balancer.balance,
    idleTimeout: 60_000,
    resourceLimits: POOL_RESOURCE_LIMITS,
    maxQueue: 'auto',
    // No run/wait-time histograms (nothing reads them): less for the main thread to do as the threads boot.
    recordTiming: false,
    workerData: { ...spec.data, abortChannel } satisfies PoolData,
  });
  // A dead thread's task is rejected; 'error' only fires for errors outside any task.
  pool.on('error', () => undefined);
  return { pool, balancer };
}

/** What makes two pools interchangeable: the same file, threads, workerData and tasks per thread. */
export function poolKey(spec: PoolSpec): string {
  return JSON.stringify([spec.file, spec.threads, spec.data, spec.tasksPerThread ?? 1]);
}

/**
 * Where the workers model gets its pool: one started for the run and closed after it (the
 * default), or one a caller keeps warm across many runs (a queue agent running shard after
 * shard). `reusable` is false when the run hard-stopped its threads.
 */
export interface PoolSource {
  acquire(spec: PoolSpec, connect: number, shape?: ClientShape): Promise<ReadyPool>;
  release(ready: ReadyPool, reusable: boolean): Promise<void>;
}

/** A fresh pool for every run. */
export const FRESH_POOLS: PoolSource = { acquire: startPool, release: (ready) => ready.close() };
