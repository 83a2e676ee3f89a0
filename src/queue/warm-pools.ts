/**
 * An agent keeps its worker threads warm between shards: a shard that finds an idle pool
 * with the same threads and fetch settings runs on it, instead of paying thread start-up
 * (and a cold JIT) again. At most `max` idle pools are kept; close() ends them all.
 */
import {
  FRESH_POOLS,
  poolKey,
  type ClientShape,
  type PoolSource,
  type PoolSpec,
  type ReadyPool,
} from '../models/pool.js';

/** A PoolSource that reuses pools across runs. */
export class WarmPools implements PoolSource {
  private readonly idle: { key: string; ready: ReadyPool }[] = [];
  private readonly keys = new Map<ReadyPool, string>();

  constructor(private readonly max: number) {}

  /** An idle pool fitting the run, or a new one. */
  async acquire(spec: PoolSpec, connect: number, shape?: ClientShape): Promise<ReadyPool> {
    const key = poolKey(spec);
    const i = this.idle.findIndex((p) => p.key === key);
    if (i >= 0) return this.idle.splice(i, 1)[0]?.ready as ReadyPool;
    const ready = await FRESH_POOLS.acquire(spec, connect, shape);
    this.keys.set(ready, key);
    return ready;
  }

  /** Keep the pool for the next shard, unless its threads were hard-stopped; drop the oldest beyond `max`. */
  async release(ready: ReadyPool, reusable: boolean): Promise<void> {
    const key = this.keys.get(ready);
    if (!reusable || key === undefined) return this.drop(ready);
    this.idle.push({ key, ready });
    const surplus = this.idle.splice(0, Math.max(0, this.idle.length - this.max));
    await Promise.all(surplus.map((p) => this.drop(p.ready)));
  }

  /** Close every idle pool. */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((p) => this.drop(p.ready)));
  }

  private async drop(ready: ReadyPool): Promise<void> {
    this.keys.delete(ready);
    await ready.close();
  }
}
