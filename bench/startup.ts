/**
 * Start-up targets (issue 12), each a ratio of medians measured side by side in one run
 * whose commands take turns (bench/lib/interleave.ts), against nginx serving the real set:
 *  1. `flagfetch --version` and `--help` ≤ 1.3 × `node -e 0`;
 *  2. `flagfetch -e -o DIR` (default model, and `--model loop`) ≤ 0.25 × the seed's
 *     `flags2_asyncio.py -e -m 100` (Fluent Python's, from the folder $FLAGS2_DIR names; without
 *     it, that row is skipped with a note and our standard-library stand-in takes its place);
 *  3. `flagfetch -a -m 100 -o DIR`: loop ≤ 2.5 ×, default model ≤ 3.5 × `curl --parallel
 *     --parallel-max 100` fetching the same 194 URLs into a folder;
 *  4. a worker thread up in ≤ 20 ms (bench/lib/thread-startup.ts, bare `new Worker` beside it);
 *  5. a fresh thread's first 1,000 requests at ≥ 50 % of its warm rate (bench/lib/cold-rate.ts);
 *  6. with a baseline build (below), `-a -m 100` in each model no slower than the baseline's (issue 19).
 * A floor row, `node` loading commander alone with the compile cache on, shows what `--help`
 * cannot go below while commander builds the help.
 * FLAGFETCH_BASELINE=/path/to/dist/src/cli.js times another build in the same rounds (before/after),
 * on the Node that FLAGFETCH_BASELINE_NODE names (default: this one), e.g. the last Node 20 build
 * on Node 20 beside this build on Node 24.
 * Run: `npm run build && node dist/bench/startup.js` (STARTUP_RUNS=N for N rounds, default 15).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, hasCommand, startNginx } from './lib/external.js';
import { interleave, type RunSample, type TimedCommand } from './lib/interleave.js';
import { CLI, median, report, writeSuite, type Target } from './lib/run.js';
import {
  BOOK_ROW,
  STDLIB_ROW,
  bookScripts,
  curlCommand,
  findPython,
  flagfetchCommands,
  pythonCommands,
} from './lib/startup-commands.js';
import { hyperfineCheck } from './lib/hyperfine.js';
import { COMMANDER_FLOOR, COMMANDER_HELP_FLOOR, details } from './lib/startup-details.js';
import { POOL_RESOURCE_LIMITS } from '../src/models/pool.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const RUNS = Number(process.env['STARTUP_RUNS'] ?? 15);
const BASELINE = process.env['FLAGFETCH_BASELINE'];
const BASELINE_NODE = process.env['FLAGFETCH_BASELINE_NODE'] ?? process.execPath;
/**
 * The threads and cold-start scripts load this build's pool directly, not through bin.cjs: they
 * get Node's compile cache as a run's threads do, from the environment (docs/build.md).
 */
const COMPILE_CACHE_ENV = { NODE_COMPILE_CACHE: path.join(tmpdir(), 'node-compile-cache') };
const LIB = path.dirname(fileURLToPath(import.meta.url));

/** Row names the targets and the details read. */
const COLD_RATIO = 'first 1,000 ÷ warm rate';
const NO_OPT_WARM = 'warm without TurboFan (node --no-opt), requests/s';

/**
 * The script of the second floor row: commander printing the help of a program with one
 * option, as `flagfetch --help` does with all of ours (the compile cache on, stdout a pipe).
 */
function oneOptionHelp(): string {
  const entry = createRequire(import.meta.url).resolve('commander');
  return (
    `require('node:module').enableCompileCache(); const { Command } = require(${JSON.stringify(entry)}); ` +
    "new Command('x').option('-a, --all', 'everything').parse(['node', 'x', '--help']);"
  );
}

/** The script of the floor row: the compile cache on (as bin.cjs does), then commander's entry. */
function loadCommanderAlone(): string {
  const entry = createRequire(import.meta.url).resolve('commander');
  return `require('node:module').enableCompileCache(); require(${JSON.stringify(entry)})`;
}

/** What bench/lib/cold-rate.js prints (rates in requests/s). */
type Rates = { ratio: number; coldRate: number; warmRate: number };

/** Medians by command name, in ms. */
type Medians = Map<string, number>;

function mediansOf(samples: Map<string, RunSample[]>): Medians {
  return new Map([...samples].map(([name, s]) => [name, median(s.map((x) => x.ms))]));
}

/** A target `a ÷ b ≤ wanted` (or ≥), from the medians; n/a when a row is missing. */
function ratio(m: Medians, a: string, b: string, wanted: number, atLeast = false): Target {
  const [x, y] = [m.get(a), m.get(b)];
  const r = x === undefined || y === undefined ? undefined : x / y;
  return {
    name: `${a} ÷ ${b}`,
    measured: r === undefined ? 'n/a' : r.toFixed(2),
    target: `${atLeast ? '≥' : '≤'} ${wanted}`,
    pass: r === undefined ? null : atLeast ? r >= wanted : r <= wanted,
  };
}

/**
 * thread-startup.ts's `bare N` as a one-line script, for the baseline's Node (which may not load
 * this build's modules): how fast that Node alone brings a thread up.
 */
function bareOn(threads: number): string {
  return [
    "const { Worker } = require('node:worker_threads');",
    'const t0 = performance.now();',
    `const ws = Array.from({ length: ${threads} }, () => new Worker('require("node:worker_threads").parentPort.postMessage(0)',`,
    `  { eval: true, resourceLimits: ${JSON.stringify(POOL_RESOURCE_LIMITS)} }));`,
    'Promise.all(ws.map((w) => new Promise((ok) => w.once("message", ok)))).then(() => {',
    '  console.log(JSON.stringify({ ms: performance.now() - t0 }));',
    '  for (const w of ws) void w.terminate();',
    '});',
  ].join('\n');
}

/** Threads: bare `new Worker`, Piscina with an empty task file and our pool, one and two threads, each a fresh process; ms a thread. */
async function threadRows(baselineSrc: string | undefined): Promise<Map<string, RunSample[]>> {
  const script = path.join(LIB, 'lib', 'thread-startup.js');
  const row = (name: string, args: string[], threads: number, node = process.execPath): TimedCommand => ({
    name,
    argv: [node, script, ...args],
    env: COMPILE_CACHE_ENV,
    measure: (out) => (JSON.parse(out) as { ms: number }).ms / threads,
  });
  const rows = [1, 2].flatMap((n) => [
    row(`bare new Worker, ${n} up, ms a thread`, ['bare', String(n)], n),
    row(`Piscina, empty task file, ${n} up, ms a thread`, ['empty', String(n)], n),
    row(`fetch-loop pool, ${n} up, ms a thread`, ['pool', String(n)], n),
    ...(baselineSrc === undefined
      ? []
      : [
          row(`before: fetch-loop pool, ${n} up, ms a thread`, ['pool', String(n), baselineSrc], n, BASELINE_NODE),
          { ...row(`before: bare new Worker, ${n} up, ms a thread`, [], n), argv: [BASELINE_NODE, '-e', bareOn(n)] },
        ]),
  ]);
  return interleave(rows, { runs: RUNS, warmup: 2 });
}

/**
 * A fresh thread's first 1,000 requests ÷ its warm rate, 10,670 requests on 100 lanes; and
 * the rates themselves (read from the same runs), with V8's optimising compiler on (as runs
 * are) and off (`node --no-opt`, runs of their own): how fast code runs before TurboFan has
 * optimised it.
 */
async function coldRows(url: string, baselineSrc: string | undefined): Promise<Map<string, RunSample[]>> {
  const script = path.join(LIB, 'lib', 'cold-rate.js');
  const row = (
    name: string,
    field: keyof Rates,
    extra: string[],
    nodeFlags: string[] = [],
    node = process.execPath,
  ): TimedCommand => ({
    name,
    argv: [node, ...nodeFlags, script, url, String(194 * 55), '100', ...extra],
    env: COMPILE_CACHE_ENV,
    measure: (out) => (JSON.parse(out) as Rates)[field],
  });
  const rows = [
    row(COLD_RATIO, 'ratio', []),
    row(NO_OPT_WARM, 'warmRate', [], ['--no-opt']),
    ...(baselineSrc === undefined ? [] : [row(`before: ${COLD_RATIO}`, 'ratio', [baselineSrc], [], BASELINE_NODE)]),
  ];
  const samples = await interleave(rows, { runs: Math.ceil(RUNS / 2), warmup: 1 });
  const ratioRuns = samples.get(COLD_RATIO) ?? [];
  const rate = (field: keyof Rates): RunSample[] =>
    ratioRuns.map((x) => ({ ms: (JSON.parse(x.stdout) as Rates)[field], stdout: x.stdout }));
  return new Map([
    [COLD_RATIO, ratioRuns],
    ['first 1,000, requests/s', rate('coldRate')],
    ['warm, requests/s', rate('warmRate')],
    ...[...samples].filter(([name]) => name !== COLD_RATIO),
  ]);
}

/** Run the suite; returns its markdown. */
export async function runStartup(): Promise<string> {
  if (!hasCommand('nginx')) throw new Error('nginx is not installed (bench/setup.sh installs it)');
  const codes = (await readdir(SHARED)).filter((n) => /^[a-z]{2}$/.test(n)).sort();
  const nginx = await startNginx({ root: SHARED, port: await freePort() });
  const tmp = await mkdtemp(path.join(tmpdir(), 'flagfetch-startup-'));
  const python = findPython();
  const book = bookScripts(python);
  if ('missing' in book) process.stderr.write(`note: Fluent Python's flags2_asyncio.py is not run: ${book.missing}\n`);
  const baselineSrc = BASELINE === undefined ? undefined : path.dirname(BASELINE);
  try {
    const commands: TimedCommand[] = [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
      { name: COMMANDER_FLOOR, argv: [process.execPath, '-e', loadCommanderAlone()] },
      { name: COMMANDER_HELP_FLOOR, argv: [process.execPath, '-e', oneOptionHelp()] },
      ...flagfetchCommands(CLI, nginx.url, tmp),
      ...(BASELINE_NODE === process.execPath ? [] : [{ name: 'before: node -e 0', argv: [BASELINE_NODE, '-e', '0'] }]),
      ...(BASELINE === undefined ? [] : flagfetchCommands(BASELINE, nginx.url, tmp, 'before: ', BASELINE_NODE)),
      ...(python === undefined ? [] : pythonCommands(python, book, nginx.url, tmp)),
      ...(hasCommand('curl') ? [await curlCommand(nginx.url, codes, tmp)] : []),
    ];
    const log = (what: string) => (round: number) =>
      process.stderr.write(round > 0 ? `${what}: round ${round} of ${RUNS}\n` : `${what}: warm-up\n`);
    const processes = await interleave(commands, { runs: RUNS, warmup: 2, onRound: log('processes') });
    const threads = await threadRows(baselineSrc);
    const cold = await coldRows(nginx.url, baselineSrc);
    const m = new Map([...mediansOf(processes), ...mediansOf(threads), ...mediansOf(cold)]);
    const seed = 'dir' in book ? BOOK_ROW : STDLIB_ROW;
    const targets: Target[] = [
      ratio(m, 'flagfetch --version', 'node -e 0', 1.3),
      ratio(m, 'flagfetch --help', 'node -e 0', 1.3),
      ratio(m, 'flagfetch -e', seed, 0.25),
      ratio(m, 'flagfetch -e --model loop', seed, 0.25),
      ratio(m, 'flagfetch -a -m 100 --model loop', 'curl --parallel --parallel-max 100 (194 URLs)', 2.5),
      ratio(m, 'flagfetch -a -m 100', 'curl --parallel --parallel-max 100 (194 URLs)', 3.5),
      threadTarget(m),
      coldTarget(m),
      ...(BASELINE === undefined
        ? []
        : [
            ratio(m, 'flagfetch -a -m 100 --model loop', 'before: flagfetch -a -m 100 --model loop', 1),
            ratio(m, 'flagfetch -a -m 100', 'before: flagfetch -a -m 100', 1),
          ]),
    ];
    // hyperfine -N splits a command line on spaces: only rows without quoted scripts.
    const quick = ['node -e 0', 'flagfetch --version', 'flagfetch --help'];
    const hyperfine = await hyperfineCheck(commands.filter((c) => quick.includes(c.name)));
    return await writeSuite(
      'startup',
      'Start-up targets',
      'npm run build && node dist/bench/startup.js',
      targets,
      details({ commands, m, python, book, processes, hyperfine }),
      { medians: Object.fromEntries(m), commands: commands.map((c) => ({ name: c.name, argv: c.argv })), hyperfine },
    );
  } finally {
    await nginx.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

function threadTarget(m: Medians): Target {
  const ms = m.get('fetch-loop pool, 2 up, ms a thread');
  return {
    name: 'worker thread start-up, 2 threads up, ms a thread',
    measured: ms === undefined ? 'n/a' : `${ms.toFixed(1)} ms`,
    target: '≤ 20 ms',
    pass: ms === undefined ? null : ms <= 20,
  };
}

function coldTarget(m: Medians): Target {
  const r = m.get(COLD_RATIO);
  return {
    name: "a fresh thread's first 1,000 requests ÷ its warm rate",
    measured: r === undefined ? 'n/a' : r.toFixed(2),
    target: '≥ 0.5',
    pass: r === undefined ? null : r >= 0.5,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runStartup());
