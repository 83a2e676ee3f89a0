/**
 * Agents announce themselves with a key that expires unless refreshed (three missed beats),
 * so a coordinator can count the agents alive now without trusting any clock but Redis's.
 */
import type { Redis } from 'ioredis';
import { LIMITS } from '../options.js';
import { AGENT_KEY_PATTERN, ANNOUNCE_MS, agentKey } from './names.js';

/** What an agent's --name may be: 1 to 100 printable ASCII characters, no spaces. */
export const AGENT_NAME = /^[\x21-\x7e]{1,100}$/;

/** The most shards an agent runs at once (its --concurrency). */
export const AGENT_CONCURRENCY_MAX = 64;

/** The most agents a coordinator counts (and waits for: --agents). */
export const AGENTS_MAX = 10_000;

/** What an agent says about itself. */
export interface AgentInfo {
  readonly name: string;
  /** Shards it runs at once. */
  readonly concurrency: number;
  /** Its own -w (used when the coordinator does not give one). */
  readonly workers: number;
}

/**
 * Claim `info.name` on the queue and keep announcing it until the returned function is called
 * (which removes the key). Undefined when an agent of that name is announced: a killed one's
 * key lapses within three beats, so the claim is retried that long before giving up.
 */
export async function announce(redis: Redis, info: AgentInfo): Promise<(() => Promise<void>) | undefined> {
  const key = agentKey(info.name);
  const value = JSON.stringify(info);
  const ttlMs = ANNOUNCE_MS * 3;
  const deadline = Date.now() + ttlMs + ANNOUNCE_MS;
  while ((await redis.set(key, value, 'PX', ttlMs, 'NX')) === null) {
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_MS / 5));
  }
  const timer = setInterval(() => void redis.set(key, value, 'PX', ttlMs).catch(() => undefined), ANNOUNCE_MS);
  return async () => {
    clearInterval(timer);
    await redis.del(key).catch(() => undefined);
  };
}

/**
 * The agents announced now (at most AGENTS_MAX). An announcement is untrusted data: one
 * asking for more than a flagfetch agent can (a longer name, more shards at once, more
 * threads) is not counted.
 */
export async function listAgents(redis: Redis): Promise<AgentInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', AGENT_KEY_PATTERN, 'COUNT', 500);
    keys.push(...found.slice(0, AGENTS_MAX - keys.length));
    cursor = next;
  } while (cursor !== '0' && keys.length < AGENTS_MAX);
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.flatMap((v) => {
    const info = parseInfo(v);
    return info === undefined ? [] : [info];
  });
}

function parseInfo(v: string | null): AgentInfo | undefined {
  let o: Partial<Record<keyof AgentInfo, unknown>>;
  try {
    o = JSON.parse(v ?? '') as typeof o;
  } catch {
    return undefined; // not an announcement of ours
  }
  const within = (n: unknown, max: number): n is number =>
    Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= max;
  if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || !AGENT_NAME.test(o.name)) return undefined;
  if (!within(o.concurrency, AGENT_CONCURRENCY_MAX) || !within(o.workers, LIMITS.workers)) return undefined;
  return { name: o.name, concurrency: o.concurrency, workers: o.workers };
}
