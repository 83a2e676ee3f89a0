/**
 * flagfetch's entry point: builds the commander program, runs it, and turns user errors
 * into one `error: …` line and an exit code. The only place that exits on usage errors.
 */
import { Command, CommanderError } from 'commander';
import { registerDownloadCommand } from './commands/download.js';
import { registerServeCommand } from './commands/serve.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerTuneCommand } from './commands/tune.js';
import { registerShowcaseCommand } from './commands/showcase.js';
import { registerAgentCommand } from './commands/agent.js';
import { RunFailure, UsageError } from './errors.js';
import { guardStdout } from './stdout.js';
import { packageVersion } from './install-paths.js';

const version = packageVersion();

/**
 * The program's command names, `help` included, known before the program is built: they decide
 * whether download is the default (see looksLikeCommand) and where a help flag goes (routeHelp).
 * test/help.test.ts holds them against the commands the built program lists.
 */
const COMMAND_NAMES: readonly string[] = ['download', 'serve', 'bench', 'tune', 'showcase', 'agent', 'help'];

/**
 * The whole command line. `downloadIsDefault` false makes a word that is no command an
 * unknown command (commander then suggests the nearest one) rather than download's argument.
 */
export function buildProgram(downloadIsDefault = true): Command {
  const program = new Command('flagfetch')
    .version(version)
    .description('Download the flag of every country and measure what worker threads buy over one event loop.')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(oneLineError(message, 'flagfetch --help')) });
  registerDownloadCommand(program, downloadIsDefault);
  registerServeCommand(program);
  registerBenchCommand(program);
  registerTuneCommand(program);
  registerShowcaseCommand(program);
  registerAgentCommand(program);
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ outputError: (m, write) => write(oneLineError(m, `flagfetch ${sub.name()} --help`)) });
    showDefaultsPlainly(sub);
  }
  const download = program.commands.find((c) => c.name() === 'download');
  program.addHelpText('after', () =>
    download === undefined
      ? ''
      : `\nWithout a command, flagfetch runs download (the default): ` +
        `'flagfetch -a' = 'flagfetch download -a'.\n\n${download.helpInformation()}`,
  );
  return program;
}

/** Defaults shown one way in every help, `(default: 100)`: numbers and words unquoted. */
function showDefaultsPlainly(cmd: Command): void {
  for (const o of cmd.options) {
    const v: unknown = o.defaultValue;
    if (v === undefined || typeof v === 'boolean') continue;
    o.defaultValueDescription ??= Array.isArray(v) && v.length === 0 ? 'none' : JSON.stringify(v).replace(/^"|"$/g, '');
  }
}

/**
 * commander's error as one line: its suggestion (`(Did you mean --workers?)`, on a line of its
 * own) joined to it, then where the options are listed.
 */
export function oneLineError(message: string, help: string): string {
  const [first = '', ...rest] = message.trim().split('\n');
  const hint = rest.find((l) => l.startsWith('(Did you mean'));
  const suggestion = hint === undefined ? '' : ` ${hint.replace('(Did you mean', '(did you mean')}`;
  return `${first}${suggestion}: see '${help}'\n`;
}

/**
 * True when the first argument is a word that can be neither a country code (one or two
 * letters; three-letter ISO codes are said to be invalid codes) nor an option or a command:
 * a mistyped command, such as `serv`.
 */
export function looksLikeCommand(args: readonly string[], commands: readonly string[]): boolean {
  const first = args[0];
  return first !== undefined && !commands.includes(first) && /^[a-z][a-z-]{3,}$/i.test(first);
}

/**
 * The arguments with `download` put first when a help flag comes with download's own flags
 * and no command (`flagfetch -a -h`): that asks for download's help, not the program's.
 */
export function routeHelp(args: readonly string[], commands: readonly string[]): string[] {
  const asksHelp = args.includes('-h') || args.includes('--help');
  const named = args.some((a) => commands.includes(a));
  const others = args.filter((a) => a !== '-h' && a !== '--help');
  return asksHelp && !named && others.length > 0 ? ['download', ...args] : [...args];
}

async function main(): Promise<void> {
  guardStdout();
  try {
    const args = process.argv.slice(2);
    const program = buildProgram(!looksLikeCommand(args, COMMAND_NAMES));
    await program.parseAsync([...process.argv.slice(0, 2), ...routeHelp(args, COMMAND_NAMES)]);
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

void main();
