/**
 * `flagfetch agent --queue redis://…`: take shard jobs from the queue and run each with the
 * local workers model until Ctrl-C (exit 130) or the queue is lost (exit 1). BullMQ and
 * ioredis are loaded only when the command runs.
 */
import { Command } from 'commander';
import { checkDestination, removeStaleTemps } from '../download/save.js';
import { trapSignals } from '../signals.js';

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
    .action(async (raw: import('../queue/options.js').RawAgentFlags) => {
      const { resolveAgentFlags } = await import('../queue/options.js');
      const { queuePassword } = await import('../queue/password.js');
      const { target, settings } = resolveAgentFlags(raw, await queuePassword(raw.queuePasswordFile, process.env));
      const dest = settings.dest;
      // Temp files of agents killed mid-write are swept, as a local run does (live runs' are kept).
      if (dest !== null) await checkDestination(dest).then(() => removeStaleTemps(dest));
      const say = (line: string): void => void process.stderr.write(`${line}\n`);
      const signals = trapSignals(say, 'finishing the shards in hand (Ctrl-C again quits now)');
      try {
        const { runAgent } = await import('../queue/agent.js');
        process.exitCode = await runAgent(target, settings, say, signals.signal);
      } finally {
        signals.release();
        if (dest !== null) await removeStaleTemps(dest);
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
