/**
 * `flagfetch agent --queue redis://…`: take shard jobs from the queue and run each with the
 * local workers model until Ctrl-C (exit 130) or the queue is lost (exit 1). What it runs
 * (agent-run.ts, then BullMQ and ioredis) loads only when the command runs.
 */
import { Command } from 'commander';
import type { RawAgentFlags } from '../queue/options.js';

/** Add `agent` to the program. */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('take shards of runs from a queue (BullMQ on Redis) and run them here: one of many machines')
    .requiredOption('--queue <URL>', 'the Redis of the queue: redis://[:password@]HOST:PORT[/DB] or rediss://…')
    .option('--concurrency <N>', 'shards run at once (default 1)')
    .option('--name <NAME>', 'how reports name this agent (default host:pid)')
    .option(
      '--allow <ORIGIN>',
      'an origin it may fetch from, e.g. http://10.0.0.5:8001 (repeatable; default: loopback only)',
      collect,
      [],
    )
    .option('-o, --dest <dir>', 'folder to save flags in (never one a job names)', './downloads')
    .option('--no-save', 'download but do not save (for benchmarks)')
    .option(
      '-w, --workers <N>',
      'worker threads per shard when the coordinator gives no -w (default: available parallelism)',
    )
    .option('-m, --max-req <N>', 'a ceiling on requests in flight on this agent, whatever a job asks')
    .option('--queue-password-file <FILE>', "the queue's Redis password, from a file (or FLAGFETCH_QUEUE_PASSWORD)")
    .action(async (raw: RawAgentFlags) => {
      const { agent } = await import('./agent-run.js');
      process.exitCode = await agent(raw);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
