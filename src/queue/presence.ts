/**
 * Agents announce themselves with a key that expires unless refreshed (three missed beats),
 * so a coordinator can count the agents alive now without trusting any clock but Redis's.
 */
import type { Redis } from 'ioredis';
import { AGENT_KEY_PATTERN, ANNOUNCE_MS, agentKey } from './names.js';

/** What an agent says about itself. */
export interface AgentInfo {
  readonly name: string;
  /** Shards it runs at once. */
  readonly concurrency: number;
  /** Its own -w (used when the coordinator does not give one). */
  readonly workers: number;
}

/** Announce `info` now and keep doing so until the returned function is called (which removes the key). */
export async function announce(redis: Redis, info: AgentInfo): Promise<() => Promise<void>> {
  const key = agentKey(info.name);
  const value = JSON.stringify(info);
  await redis.set(key, value, 'PX', ANNOUNCE_MS * 3);
  const timer = setInterval(
    () => void redis.set(key, value, 'PX', ANNOUNCE_MS * 3).catch(() => undefined),
    ANNOUNCE_MS,
  );
  return async () => {
    clearInterval(timer);
    await redis.del(key).catch(() => undefined);
  };
}

/** The agents announced now. */
export async function listAgents(redis: Redis): Promise<AgentInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', AGENT_KEY_PATTERN, 'COUNT', 500);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.flatMap((v) => {
    const info = parseInfo(v);
    return info === undefined ? [] : [info];
  });
}

function parseInfo(v: string | null): AgentInfo | undefined {
  try {
    const o = JSON.parse(v ?? '') as Partial<AgentInfo>;
    if (typeof o.name === 'string' && typeof o.concurrency === 'number' && typeof o.workers === 'number') {
      return { name: o.name, concurrency: o.concurrency, workers: o.workers };
    }
  } catch {
    // not an announcement of ours
  }
  return undefined;
}
