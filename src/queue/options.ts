/**
 * The queue's flags, validated (pure; no BullMQ here): `download --queue … --shards --agents
 * --agent-wait` for a coordinator, and `agent`'s own flags. Every message names the flag.
 */
import { availableParallelism, hostname } from 'node:os';
import { UsageError } from '../errors.js';
import { parseCount } from '../flags.js';
import { printable } from '../countries.js';
import { LIMITS, type Options } from '../options.js';
import { parseOrigin } from './allowed-origins.js';
import type { QueueRunOptions } from './coordinator.js';
import { AGENT_CONCURRENCY_MAX, AGENT_NAME, AGENTS_MAX } from './presence.js';
import { MAX_SHARD_REQUESTS, MAX_SHARDS } from './protocol.js';
import type { AgentSettings } from './run-shard.js';
import { parseQueueUrl, type QueuePassword, type QueueTarget } from './target.js';
import type { RawQueueFlags } from './queue-flags.js';

/** A coordinator's queue options, checked against the download options they go with. */
export function resolveQueueOptions(
  raw: RawQueueFlags & { queue: string },
  opts: Options,
  password: QueuePassword | null = null,
): QueueRunOptions {
  if (opts.model !== 'workers')
    throw new UsageError(`--queue runs the workers model on every agent: drop --model ${opts.model}`);
  if (opts.verbose)
    throw new UsageError('-v does not work with --queue (agents return counts, not every outcome): drop -v');
  const work = opts.fetch.work ?? 'none';
  if (work !== 'none') throw new UsageError(`--work ${work} is not carried to agents yet: drop --work with --queue`);
  const f = opts.fetch;
  if (f.targets !== undefined)
    throw new UsageError('--urls and {cc} templates are not carried to agents yet: drop them with --queue');
  if (opts.tls || f.caPem !== undefined || f.insecure === true || f.protocol === 'h2' || opts.connections !== undefined)
    throw new UsageError(
      '--tls, --ca, --insecure, --http2 and --connections are not carried to agents yet: drop them with --queue',
    );
  if (opts.fetch.followRedirects !== 'same-origin')
    throw new UsageError('agents follow same-origin redirects only: drop --follow-redirects any with --queue');
  return {
    target: parseQueueUrl('--queue', raw.queue, password),
    shards: shardsFlag(raw.shards, opts),
    agents: parseCount('--agents', raw.agents, 1, AGENTS_MAX, 1),
    agentWaitMs: parseCount('--agent-wait', raw.agentWait, 1, 86_400, 30) * 1000,
    workers: raw.workers === undefined ? null : opts.workers,
  };
}

/** --shards, when given: at most MAX_SHARDS, and enough that no shard holds more than an agent runs. */
function shardsFlag(value: string | undefined, opts: Options): number | null {
  if (value === undefined) return null;
  const shards = parseCount('--shards', value, 1, MAX_SHARDS);
  const total = opts.requests ?? opts.codes.length * opts.repeat;
  const fewest = Math.ceil(total / MAX_SHARD_REQUESTS);
  if (shards < fewest)
    throw new UsageError(
      `--shards ${shards} makes shards of up to ${Math.ceil(total / shards)} requests, more than an agent runs ` +
        `at once (${MAX_SHARD_REQUESTS}): give --shards ${fewest} or more, or a smaller --repeat`,
    );
  return shards;
}

/** What commander hands over for `agent`. */
export interface RawAgentFlags {
  queue: string;
  queuePasswordFile?: string;
  concurrency?: string;
  name?: string;
  allow?: string[];
  dest?: string;
  save?: boolean;
  workers?: string;
  maxReq?: string;
}

/** An agent's queue and settings, validated. */
export function resolveAgentFlags(
  raw: RawAgentFlags,
  password: QueuePassword | null = null,
): { target: QueueTarget; settings: AgentSettings } {
  const name = raw.name ?? `${hostname()}:${process.pid}`;
  if (!AGENT_NAME.test(name))
    throw new UsageError(`--name '${printable(name)}' must be 1 to 100 printable characters without spaces`);
  return {
    target: parseQueueUrl('--queue', raw.queue, password),
    settings: {
      name,
      concurrency: parseCount('--concurrency', raw.concurrency, 1, AGENT_CONCURRENCY_MAX, 1),
      workers: parseCount('--workers', raw.workers, 1, LIMITS.workers, availableParallelism()),
      maxReq: raw.maxReq === undefined ? null : parseCount('--max-req', raw.maxReq, 1, LIMITS.maxReq),
      allow: [...new Set((raw.allow ?? []).map(parseOrigin))],
      dest: raw.save === false ? null : (raw.dest ?? './downloads'),
    },
  };
}
