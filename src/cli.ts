#!/usr/bin/env node
/**
 * flagfetch's entry point: builds the commander program, runs it, and turns user errors
 * into one `error: …` line and an exit code. The only place that exits on usage errors.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerDownloadCommand } from './commands/download.js';
import { registerServeCommand } from './commands/serve.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerTuneCommand } from './commands/tune.js';
import { registerShowcaseCommand } from './commands/showcase.js';
import { RunFailure, UsageError } from './errors.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The whole command line. */
export function buildProgram(): Command {
  const program = new Command('flagfetch')
    .version(version)
    .description('Download the flag of every country and measure what worker threads buy over one event loop.')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message.split('\n')[0] + '\n') });
  registerDownloadCommand(program);
  registerServeCommand(program);
  registerBenchCommand(program);
  registerTuneCommand(program);
  registerShowcaseCommand(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

/** Exit code for an error thrown out of a command, after printing it as one line. */
function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander printed its own one-line message (or the help / version).
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UsageError || err instanceof RunFailure) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  throw err;
}

await main();
