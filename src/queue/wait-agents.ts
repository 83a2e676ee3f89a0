/**
 * A coordinator's view of the agents: wait until enough have announced themselves (a clear
 * error after --agent-wait naming the queue), and, during the run, notice when none is left
 * for that long while shards are still out, so a run never waits forever.
 */
import type { Redis } from 'ioredis';
import { RunFailure } from '../errors.js';
import { listAgents, type AgentInfo } from './presence.js';
import type { QueueTarget } from './target.js';

const POLL_MS = 200;

/** What waiting needs to know. */
export interface AgentWait {
  readonly target: QueueTarget;
  readonly agents: number;
  readonly agentWaitMs: number;
}

/**
 * Resolve with the agents once at least `w.agents` are announced (or with those there are when
 * `signal` aborts); `note` says once that it waits; RunFailure after `w.agentWaitMs`.
 */
export async function waitForAgents(
  redis: Redis,
  w: AgentWait,
  signal?: AbortSignal,
  note?: (line: string) => void,
): Promise<AgentInfo[]> {
  const deadline = Date.now() + w.agentWaitMs;
  for (let polls = 0; ; polls += 1) {
    const agents = await listAgents(redis);
    if (agents.length >= w.agents || signal?.aborted === true) return agents;
    if (polls === 0)
      note?.(
        `waiting up to ${w.agentWaitMs / 1000} s for ${w.agents} agent${w.agents === 1 ? '' : 's'} ` +
          `on ${w.target.shown} (${agents.length} so far)`,
      );
    if (Date.now() >= deadline) {
      const found = agents.length === 0 ? 'none' : `only ${agents.length}`;
      throw new RunFailure(
        `waited ${w.agentWaitMs / 1000} s for ${w.agents} agent${w.agents === 1 ? '' : 's'} on the ` +
          `queue at ${w.target.shown}, ${found} came: start 'flagfetch agent --queue ${w.target.shown}' ` +
          `on each machine, or raise --agent-wait`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** During a run: `gone` resolves with a reason once no agent has been announced for `waitMs` while shards are pending. */
export function watchAgents(
  redis: Redis,
  waitMs: number,
  pending: () => number,
): { gone: Promise<string>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let noneSince: number | undefined;
  let stopped = false;
  const gone = new Promise<string>((resolve) => {
    const check = async (): Promise<void> => {
      const agents = await listAgents(redis).catch(() => undefined);
      if (stopped) return;
      if (agents !== undefined) noneSince = agents.length > 0 ? undefined : (noneSince ?? Date.now());
      if (noneSince !== undefined && Date.now() - noneSince >= waitMs && pending() > 0) {
        resolve(`no agent left on the queue for ${waitMs / 1000} s with ${pending()} shards not done`);
        return;
      }
      timer = setTimeout(() => void check(), 1000);
    };
    timer = setTimeout(() => void check(), 1000);
  });
  return {
    gone,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
