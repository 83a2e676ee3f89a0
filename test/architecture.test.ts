/**
 * Where the house should be: every src/ and workers/ module sits on a floor, and imports only
 * go down (or stay on their floor); no import cycle of any kind; no module over 300 lines and
 * no function over 60 (bench/ too).
 * Imports are read with TypeScript's parser (static, `export … from`, and `import()`), type
 * imports included: a type that reaches up a floor is a dependency up a floor too, and a cycle
 * through a type-only import is a cycle (the two modules cannot be understood apart).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './helpers/shared-flags.js';

/**
 * The floors, top to bottom: the first pattern a module's path (from the repository root)
 * matches gives its floor. A module may import its own floor and any floor below.
 */
const FLOORS: readonly (readonly [floor: number, pattern: RegExp, what: string])[] = [
  [11, /^src\/(bin|cli)\.ts$/, 'the program: compile cache, commander, lazy commands, exit codes'],
  [10, /^src\/commands\//, 'one room per command: its flags, and what it runs'],
  [9, /^src\/index\.ts$|^src\/api\//, 'the API: download, bench, tune, serve; what the commands run'],
  [8, /^src\/report\//, 'reports: pure functions of results (may read models and compare types)'],
  [7, /^src\/(compare|server|queue)\//, 'the libraries: bench/tune/showcase, the flag server, the queue'],
  [
    6,
    /^src\/(options|raw-options|rate-options|flags|signals|stdout)\.ts$|^src\/targets\/(resolve|run-targets)\.ts$/,
    "download's options, the shared flag parsers, the signal and stdout traps",
  ],
  [5, /^src\/models\//, 'the concurrency models and their pools'],
  [4, /^src\/download\/(?!outcome\.ts$)/, 'the download core: client, save, tally'],
  [4, /^src\/cpu-work\//, 'the CPU work per file (--work): decode, sha256, spin'],
  [4, /^workers\//, 'the pool threads: task files, protocol, shared memory, warm-up'],
  [3, /^src\/stats\//, 'counters and latency'],
  [
    2,
    /^src\/(countries|country-data|atomic-file|read-bounded|install-paths)\.ts$|^src\/targets\/url-list\.ts$|^src\/download\/outcome\.ts$/,
    'data: codes, URL lists, Outcome, files, where the package keeps its files',
  ],
  [1, /^src\/errors\.ts$/, 'errors'],
];

/** What workers/ may import besides itself (the cross-thread side stays small: issue 12). */
const WORKERS_MAY_IMPORT =
  /^(workers\/|src\/download\/|src\/cpu-work\/|src\/stats\/|src\/(countries|country-data|atomic-file|errors)\.ts$)/;

/** Longest module, in lines; exceptions name the file and why it stays longer. */
const MAX_LINES = 300;
const LONG_MODULES: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Longest function (or method, or arrow function with a body), in lines from its first token to its last. */
const MAX_FUNCTION_LINES = 60;
/** Exceptions, by `file name`, with why they stay longer. */
const LONG_FUNCTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

interface Import {
  readonly to: string;
  readonly typeOnly: boolean;
  /** An `import()`: the module loads when that line runs, not with the importer. */
  readonly lazy?: boolean;
}

function floorOf(file: string): number {
  const hit = FLOORS.find(([, pattern]) => pattern.test(file));
  if (hit === undefined) throw new Error(`${file} is on no floor: add it to FLOORS in test/architecture.test.ts`);
  return hit[0];
}

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`)
    .sort();
}

/** The relative imports of `file`, resolved to repository paths (.js → .ts). */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const found: Import[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean, lazy = false): void => {
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return;
    const to = path.posix.join(path.posix.dirname(file), spec.text).replace(/\.js$/, '.ts');
    found.push({ to, typeOnly, lazy });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, clause?.isTypeOnly === true || allTypes);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

type Graph = ReadonlyMap<string, readonly Import[]>;

/** Imports that run back up a floor, as readable lines. */
function upwardImports(graph: Graph): string[] {
  const up: string[] = [];
  for (const [file, imports] of graph) {
    for (const i of imports) {
      if (floorOf(i.to) > floorOf(file)) up.push(`${file} (floor ${floorOf(file)}) → ${i.to} (floor ${floorOf(i.to)})`);
    }
  }
  return up;
}

/** Import cycles, type-only imports included (erased at run time, they still tie two modules together). */
function importCycles(graph: Graph): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const walk = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const i of graph.get(file) ?? []) walk(i.to, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) walk(file, []);
  return cycles;
}

/** The modules that load with `entry`: its value imports, transitively, `import()` and type-only ones left out. */
function loadedWith(graph: Graph, entry: string): string[] {
  const seen = new Set<string>([entry]);
  for (const file of seen) {
    for (const i of graph.get(file) ?? []) if (!i.typeOnly && i.lazy !== true) seen.add(i.to);
  }
  return [...seen].sort();
}

/** The packages `file` imports as values (`import … from 'commander'`; type-only imports left out). */
function packagesOf(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)';/gm)].map((m) => m[1] ?? '');
}

/**
 * What only a command's run needs (the API, models, client, stats, reports, servers, the queue):
 * the command line loads none of it before a command runs, so that every help, and the start of
 * every command, costs commander and the flags' own text. The few small modules of these folders
 * that define flags (names, parsers, constants) are the exceptions.
 */
const RUN_ONLY = /^src\/(index\.ts$|(api|models|download|stats|cpu-work|compare|report|server|queue)\/)/;
const FLAG_TEXT = /^src\/(models\/types|download\/(reasons|schedule)|cpu-work\/kind|queue\/queue-flags)\.ts$/;

/** The functions of `text` (the source of `file`) as `file:line name`, with their length in lines. */
function functionLengths(file: string, text: string): { where: string; name: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { where: string; name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = nameOf(node, source);
      found.push({ where: `${file}:${first + 1} ${name}`, name: `${file} ${name}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A function's name: its own, or the variable or property it is assigned to; `(anonymous)` otherwise. */
function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)';
}

/** Functions over MAX_FUNCTION_LINES, as readable lines (exceptions left out). */
function longFunctions(files: readonly string[], read: (file: string) => string): string[] {
  return files
    .flatMap((f) => functionLengths(f, read(f)))
    .filter((fn) => fn.lines > MAX_FUNCTION_LINES && !LONG_FUNCTIONS.has(fn.name))
    .map((fn) => `${fn.where}: ${fn.lines} lines`);
}

const FILES = [...tsFiles('src'), ...tsFiles('workers')];
const GRAPH: Graph = new Map(FILES.map((f) => [f, importsOf(f)]));

test('every module is on a floor, and every import resolves to a module', () => {
  for (const [file, imports] of GRAPH) {
    floorOf(file);
    for (const i of imports) assert.ok(GRAPH.has(i.to), `${file} imports ${i.to}, which is not a module here`);
  }
});

test('imports only go down the floors (or stay on theirs)', () => {
  const up = upwardImports(GRAPH);
  assert.deepEqual(up, [], `imports that run back up a floor:\n${up.join('\n')}`);
});

test('workers/ depends only on the download core, stats, data and itself', () => {
  const out = [...GRAPH]
    .filter(([file]) => file.startsWith('workers/'))
    .flatMap(([file, imports]) =>
      imports.filter((i) => !WORKERS_MAY_IMPORT.test(i.to)).map((i) => `${file} → ${i.to}`),
    );
  assert.deepEqual(out, []);
});

test('no import cycle, type-only imports included', () => {
  const cycles = importCycles(GRAPH);
  assert.deepEqual(cycles, [], `move what both sides share down a floor:\n${cycles.join('\n')}`);
});

test('the command line loads nothing a run needs until a command runs (help stays cheap)', () => {
  const atStart = loadedWith(GRAPH, 'src/cli.ts');
  const runOnly = atStart.filter((f) => RUN_ONLY.test(f) && !FLAG_TEXT.test(f));
  assert.deepEqual(runOnly, [], "load these in the command's action, with import()");
  const packages = [...new Set(atStart.flatMap(packagesOf))].filter((p) => !p.startsWith('node:'));
  assert.deepEqual(packages, ['commander']);
});

test('what loads with a module leaves out import() and type-only imports', () => {
  const graph: Graph = new Map([
    [
      'a.ts',
      [
        { to: 'b.ts', typeOnly: false },
        { to: 'c.ts', typeOnly: false, lazy: true },
      ],
    ],
    [
      'b.ts',
      [
        { to: 'd.ts', typeOnly: true },
        { to: 'e.ts', typeOnly: false },
      ],
    ],
    ['c.ts', [{ to: 'f.ts', typeOnly: false }]],
  ]);
  assert.deepEqual(loadedWith(graph, 'a.ts'), ['a.ts', 'b.ts', 'e.ts']);
});

test(`no module over ${MAX_LINES} lines (exceptions listed with a reason)`, () => {
  const long = FILES.map((f) => [f, readFileSync(path.join(REPO_ROOT, f), 'utf8').split('\n').length] as const)
    .filter(([f, lines]) => lines > MAX_LINES && !LONG_MODULES.has(f))
    .map(([f, lines]) => `${f}: ${lines} lines`);
  assert.deepEqual(long, []);
});

test(`no function over ${MAX_FUNCTION_LINES} lines in src/, workers/ and bench/ (exceptions listed with a reason)`, () => {
  const read = (f: string): string => readFileSync(path.join(REPO_ROOT, f), 'utf8');
  const long = longFunctions([...FILES, ...tsFiles('bench')], read);
  assert.deepEqual(long, [], `split these into functions whose names say what they do:\n${long.join('\n')}`);
});

test('the function check names a long function, method or arrow function and its length', () => {
  const body = (n: number): string => Array.from({ length: n }, (_, i) => `  step(${i});`).join('\n');
  const text = [
    `export function long(): void {\n${body(60)}\n}`,
    `const arrow = (): void => {\n${body(59)}\n};`,
    `class C {\n  method(): void {\n${body(59)}\n  }\n}`,
    `function short(): void {\n${body(58)}\n}`,
  ].join('\n');
  assert.deepEqual(
    longFunctions(['x.ts'], () => text),
    ['x.ts:1 long: 62 lines', 'x.ts:63 arrow: 61 lines', 'x.ts:125 method: 61 lines'],
  );
});

test('the checks see an upward import, a cycle (a type-only one too), and a module on no floor', () => {
  const graph: Graph = new Map([
    ['src/download/a.ts', [{ to: 'src/models/b.ts', typeOnly: true }]],
    ['src/models/b.ts', [{ to: 'src/download/a.ts', typeOnly: false }]],
    ['src/stats/c.ts', [{ to: 'src/stats/d.ts', typeOnly: false }]],
    ['src/stats/d.ts', [{ to: 'src/stats/c.ts', typeOnly: false }]],
    ['src/stats/e.ts', [{ to: 'src/stats/f.ts', typeOnly: false }]],
    ['src/stats/f.ts', [{ to: 'src/stats/e.ts', typeOnly: true }]],
  ]);
  assert.deepEqual(upwardImports(graph), ['src/download/a.ts (floor 4) → src/models/b.ts (floor 5)']);
  assert.deepEqual(importCycles(graph), [
    'src/download/a.ts → src/models/b.ts → src/download/a.ts',
    'src/stats/c.ts → src/stats/d.ts → src/stats/c.ts',
    'src/stats/e.ts → src/stats/f.ts → src/stats/e.ts',
  ]);
  assert.throws(() => floorOf('src/nowhere/x.ts'), /on no floor/);
  assert.ok(!WORKERS_MAY_IMPORT.test('src/models/types.ts'));
});
