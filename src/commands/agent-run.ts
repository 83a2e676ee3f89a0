/**
 * What `flagfetch agent` runs once its flags are parsed: resolve them, sweep the destination,
 * trap Ctrl-C, and serve the queue until stopped. BullMQ and ioredis load only here, after the
 * flags are known to be good.
 */
import { resolveAgentFlags, type RawAgentFlags } from '../queue/options.js';
import { queuePassword } from '../queue/password.js';
import { checkDestination, removeStaleTemps } from '../download/save.js';
import { trapSignals } from '../signals.js';

/** Run an agent from its raw flags; resolves with the exit code (throws UsageError on bad flags). */
export async function agent(raw: RawAgentFlags): Promise<number> {
  const { target, settings } = resolveAgentFlags(raw, await queuePassword(raw.queuePasswordFile, process.env));
  const dest = settings.dest;
  // Temp files of agents killed mid-write are swept, as a local run does (live runs' are kept).
  if (dest !== null) await checkDestination(dest).then(() => removeStaleTemps(dest));
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const signals = trapSignals(say, 'finishing the shards in hand (Ctrl-C again quits now)');
  try {
    const { runAgent } = await import('../queue/agent.js');
    return await runAgent(target, settings, say, signals.signal);
  } finally {
    signals.release();
    if (dest !== null) await removeStaleTemps(dest);
  }
}
