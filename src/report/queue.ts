/**
 * The parts of a report that only runs over a queue have (pure): the concurrency line, the
 * per-agent table, the shards that were retried or failed, and the JSON fields.
 */
import type { JsonAgentReport, JsonShardReport } from '../compare/json-report.js';
import type { AgentRow, QueueRunResult } from '../queue/merge.js';
import { alignColumns } from './bench-table.js';
import { countsJson } from './json.js';

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** The header's concurrency line for a run over the queue. */
export function queueConcurrencyLine(shards: number, agents: number, maxReq: number, queue: string): string {
  const s = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${s(shards, 'shard')} on ${s(agents, 'agent')} via ${queue}, ${s(maxReq, 'concurrent request')} per agent will be used.`;
}

const HEADERS = ['agent', 'shards', 'codes', 'ok', 'not found', 'errors', 'req/s', 'workers'];

/** One row per agent: its shards, what they counted, its rate over its own busy span, its rows in the worker table. */
export function agentTable(agents: readonly AgentRow[]): string[] {
  const rows = agents.map((a) => {
    const c = a.counters;
    const [first, last] = a.threads;
    return [
      a.name,
      String(a.shards),
      String(c.total),
      String(c.ok),
      String(c.notFound),
      String(c.errors),
      String(Math.round(a.requestsPerSec)),
      first === last ? String(first) : `${first}–${last}`,
    ];
  });
  return alignColumns([HEADERS, ...rows], [true]);
}

/** Lines after the usual summary: retried and failed shards, then the agent table. */
export function queueLines(result: QueueRunResult): string[] {
  const lines: string[] = [];
  const retried = result.shards.filter((s) => s.attempts > 1);
  if (retried.length > 0) {
    const which = retried.map((s) => `#${s.shard} (attempt ${s.attempts}, by ${s.agent ?? '?'})`).join(', ');
    lines.push(`Shards handed on after an agent stalled: ${which}`);
  }
  const failed = result.shards.filter((s) => s.agent === null);
  if (failed.length > 0) lines.push(`Shards not run: ${failed.map((s) => `#${s.shard}`).join(', ')}`);
  return [...lines, '', ...agentTable(result.agents)];
}

/** The JSON fields a run over the queue adds. */
export function queueJson(result: QueueRunResult): {
  queue: string;
  agents: JsonAgentReport[];
  shards: JsonShardReport[];
} {
  return {
    queue: result.queue,
    agents: result.agents.map((a) => ({
      name: a.name,
      shards: a.shards,
      ...countsJson(a.counters),
      elapsedMs: round1(a.elapsedMs),
      requestsPerSec: round1(a.requestsPerSec),
    })),
    shards: result.shards.map((s) => ({
      shard: s.shard,
      codes: s.codes,
      agent: s.agent,
      attempts: s.attempts,
      elapsedMs: round1(s.elapsedMs),
      failure: s.failure,
    })),
  };
}
