/**
 * Whatever the command line can do, the API can: every option of download, bench, tune and
 * serve (read from commander's own definitions) has a field in what the API's function of the
 * same name accepts (read from src/index.ts by the TypeScript checker), and every API field is
 * a CLI option's or on the short list of what only a library can take (a signal, callbacks).
 * The allow-lists below are the only exceptions, each with why it is CLI-only by nature.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import ts from 'typescript';
import { registerBenchCommand } from '../src/commands/bench.js';
import { registerAgentCommand } from '../src/commands/agent.js';
import { registerDownloadCommand } from '../src/commands/download.js';
import { registerServeCommand } from '../src/commands/serve.js';
import { registerShowcaseCommand } from '../src/commands/showcase.js';
import { registerTuneCommand } from '../src/commands/tune.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

/** The commands the API mirrors, each by its function in src/index.ts. */
const COMMANDS = ['download', 'bench', 'tune', 'serve'] as const;
type Name = (typeof COMMANDS)[number];

/**
 * Commands with no API function: `showcase` is a guided tour that prints and writes a report
 * page from bench suites (the API's bench() runs any one of them); `agent` is a long-lived
 * process serving a queue until it is stopped. Both are programs, not calls.
 */
const CLI_ONLY_COMMANDS = ['showcase', 'agent'];

/** Output formatting: the API returns the report object; printing and files are the caller's. */
const OUTPUT_FLAGS = ['json', 'exportJson', 'quiet', 'progress'];

/** bench's and tune's other report files, as the CLI renders them. */
const FILE_FLAGS = ['exportCsv', 'exportMarkdown', 'exportHtml'];

/** Options that exist only on the command line, by command, and why. */
const CLI_ONLY: Readonly<Record<Name, readonly string[]>> = {
  download: [
    ...OUTPUT_FLAGS,
    // -v prints a line per request: the API hands over every outcome (run.outcomes, onOutcome).
    'verbose',
    // An exit code: the caller reads report.errors.
    'failOnError',
    // The original flags2 spelling of --max-req, hidden.
    'max_req',
  ],
  bench: [
    ...OUTPUT_FLAGS,
    ...FILE_FLAGS,
    // Old spellings, hidden: --model of --models, --csv and --html of --export-csv and --export-html.
    'model',
    'csv',
    'html',
  ],
  tune: [
    ...OUTPUT_FLAGS,
    ...FILE_FLAGS,
    // The old spelling of --models, hidden.
    'model',
  ],
  serve: [
    // Writes the generated CA to a file for other processes: serve()'s handle holds it (caPem).
    'writeCa',
  ],
};

/** CLI options whose API field has another name (units in names, a list's plural), by command. */
const RENAMED: Readonly<Record<Name, Readonly<Record<string, string>>>> = {
  download: {
    CC: 'codes',
    timeout: 'timeoutMs',
    duration: 'durationMs',
    save: 'dest',
    agentWait: 'agentWaitSeconds',
    // The password itself, as `ca` is the certificate itself: a library has no file to name.
    queuePasswordFile: 'queuePassword',
  },
  bench: { CC: 'codes', delay: 'delayMs', agentWait: 'agentWaitSeconds', duration: 'durationMs' },
  tune: { CC: 'codes', delay: 'delayMs', budget: 'budgetSeconds', models: 'model', duration: 'durationMs' },
  serve: { delay: 'delayMs', fault: 'faults' },
};

/** API fields no flag can give: a stop signal and callbacks. */
const API_ONLY: Readonly<Record<Name, readonly string[]>> = {
  download: ['signal', 'onProgress', 'onOutcome'],
  bench: ['signal', 'onProgress'],
  tune: ['signal', 'onProgress'],
  serve: [],
};

/** Each command's arguments and options, as commander defines them (attribute names: `maxReq`, `save`). */
function cliOptions(): Map<string, string[]> {
  const program = new Command('flagfetch');
  registerDownloadCommand(program);
  registerServeCommand(program);
  registerBenchCommand(program);
  registerTuneCommand(program);
  registerShowcaseCommand(program);
  registerAgentCommand(program);
  return new Map(
    program.commands.map((c) => [
      c.name(),
      [...c.registeredArguments.map((a) => a.name()), ...c.options.map((o) => o.attributeName())],
    ]),
  );
}

let seen: Map<string, string[]> | undefined;

/** The fields of the first parameter of each API function, as the type checker sees src/index.ts (read once). */
function apiFields(): Map<string, string[]> {
  seen ??= readApiFields();
  return seen;
}

function readApiFields(): Map<string, string[]> {
  const index = path.join(REPO_ROOT, 'src', 'index.ts');
  const program = ts.createProgram([index], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  assert.ok(source !== undefined && moduleSymbol !== undefined, 'src/index.ts is read');
  const fields = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (!(COMMANDS as readonly string[]).includes(exported.name)) continue;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const [signature] = checker.getTypeOfSymbolAtLocation(symbol, source).getCallSignatures();
    const [param] = signature?.getParameters() ?? [];
    assert.ok(param !== undefined, `${exported.name}() takes its options`);
    const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(param, source));
    fields.set(
      exported.name,
      type.getProperties().map((p) => p.name),
    );
  }
  return fields;
}

test('every command has its API function, or is a program by nature', () => {
  const commands = [...cliOptions().keys()];
  assert.deepEqual(
    commands.filter((c) => !(COMMANDS as readonly string[]).includes(c) && !CLI_ONLY_COMMANDS.includes(c)),
    [],
    'a new command needs its API function (or a reason in CLI_ONLY_COMMANDS)',
  );
  assert.deepEqual(
    [...apiFields().keys()].sort(),
    [...COMMANDS].sort(),
    'download, bench, tune and serve are exported',
  );
});

test('every CLI option has an API field; every API field is a CLI option or a callback', () => {
  const cli = cliOptions();
  const api = apiFields();
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const name of COMMANDS) {
    const options = cli.get(name) ?? [];
    const fields = new Set(api.get(name) ?? []);
    assert.ok(options.length > 5 && fields.size > 5, `${name}: ${options.length} options, ${fields.size} fields`);
    const expected = new Set<string>();
    for (const option of options) {
      if (CLI_ONLY[name].includes(option)) continue;
      const field = RENAMED[name][option] ?? option;
      expected.add(field);
      if (!fields.has(field)) missing.push(`${name}: the CLI's ${option} has no API field '${field}'`);
    }
    for (const field of fields) {
      if (!expected.has(field) && !API_ONLY[name].includes(field))
        unknown.push(`${name}: the API's '${field}' is no CLI option (add it to RENAMED or API_ONLY)`);
    }
    for (const only of CLI_ONLY[name]) {
      if (!options.includes(only)) unknown.push(`${name}: CLI_ONLY names '${only}', which is no option any more`);
    }
  }
  assert.deepEqual(missing, [], 'what the CLI can do, the API can');
  assert.deepEqual(unknown, []);
});
