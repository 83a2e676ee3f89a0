import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { parseCountList, parseModelList, resolveCodes, resolveWorkload } from '../src/compare/bench-options.js';
import { resolveRuns } from '../src/compare/bench-settings.js';
import { resolveBenchOptions } from '../src/commands/bench-run.js';
import { resolveTuneOptions } from '../src/commands/tune-run.js';
import { UsageError } from '../src/errors.js';
import { parseShare, resolveRunTargets } from '../src/targets/run-targets.js';

void test('lists: comma-separated, validated, de-duplicated', () => {
  assert.deepEqual(parseCountList('--workers', '1, 2,4,2', 1, 256), [1, 2, 4]);
  assert.throws(() => parseCountList('--workers', '1,,2', 1, 256), /--workers takes a comma-separated list/);
  assert.throws(
    () => parseCountList('--max-req', '10,0', 1, 10_000),
    (e: unknown) =>
      e instanceof UsageError && /--max-req must be a whole number from 1 to 10000, not '0'/.test(e.message),
  );
  assert.deepEqual(parseModelList('loop,WORKERS,loop'), ['loop', 'workers']);
  assert.throws(
    () => parseModelList('loop,fibers'),
    /--models must be one of sequential, loop, threads, workers, not 'fibers'/,
  );
});

void test('codes: all by default, -e, explicit codes and -l passed on to every run', () => {
  assert.deepEqual(resolveCodes([], {}), { codeArgs: ['-a'], codeCount: 194 });
  assert.deepEqual(resolveCodes([], { every: true, limit: '100' }), { codeArgs: ['-e', '-l', '100'], codeCount: 100 });
  assert.deepEqual(resolveCodes(['br', 'Z'], {}), { codeArgs: ['BR', 'Z'], codeCount: 27 });
  assert.throws(() => resolveCodes(['B1'], {}), /invalid country code 'B1'/);
});

void test('workload: --delay only with DELAY', () => {
  assert.equal(resolveWorkload([], { server: 'delay', delay: '50' }, 20).delayMs, 50);
  assert.throws(() => resolveWorkload([], { delay: '50' }, 20), /--delay applies to the embedded DELAY server only/);
  assert.throws(() => resolveWorkload([], { server: 'nowhere' }, 20), /unknown server 'nowhere'/);
});

void test('bench options: defaults and matrix', () => {
  const o = resolveBenchOptions([], {});
  assert.deepEqual(o.matrix, {
    models: ['loop', 'workers'],
    workers: [availableParallelism()],
    maxReq: [100],
    split: 'dynamic',
    works: ['none'],
    protocols: ['h1'],
    connections: undefined,
  });
  assert.equal(o.tls, false);
  const h2 = resolveBenchOptions([], { protocols: 'h1,h2', connections: '1,100' });
  assert.deepEqual([h2.matrix.protocols, h2.matrix.connections, h2.tls], [['h1', 'h2'], [1, 100], true]);
  assert.throws(() => resolveBenchOptions([], { protocols: 'h3' }), /--protocols must be one of h1, h2/);
  assert.throws(() => resolveBenchOptions([], { protocols: 'h2', server: 'http://h/flags' }), /need HTTPS/);
  assert.equal(o.runs, 5);
  assert.equal(o.warmup, 1);
  assert.equal(o.repeat, 20);
  assert.equal(o.server.label, 'LOCAL');
  const p = resolveBenchOptions(['BR'], {
    models: 'threads',
    workers: '1,2',
    maxReq: '10,1000',
    runs: '2',
    warmup: '0',
    split: 'static',
    exportCsv: 'x.csv',
  });
  assert.deepEqual(p.matrix.maxReq, [10, 1000]);
  assert.equal(p.outputs.files.csv, 'x.csv');
  assert.equal(p.outputs.stdoutJson, false);
  const old = resolveBenchOptions([], { json: 'r.json', csv: 'r.csv' });
  assert.equal(old.outputs.files.json, 'r.json', 'the old --json FILE still writes the file');
  assert.equal(old.outputs.files.csv, 'r.csv');
  assert.equal(old.outputs.stdoutJson, false);
  assert.equal(old.outputs.deprecations.length, 2);
  assert.match(old.outputs.deprecations[0] ?? '', /^note: 'bench --json FILE' is deprecated .*use --export-json FILE/);
  const codes = resolveBenchOptions(['CN'], { json: 'BR' });
  assert.equal(codes.outputs.stdoutJson, true, '--json BR is --json and the code BR');
  assert.deepEqual(codes.codeArgs, ['BR', 'CN']);
  assert.throws(() => resolveBenchOptions([], { runs: '0' }), /--runs must be a whole number from 1 to 1000/);
});

void test('runs: 5 to 10 by default, --runs N exactly N, --min-runs/--max-runs as hyperfine', () => {
  assert.deepEqual(resolveRuns({}), { runs: 5, maxRuns: 10 });
  assert.deepEqual(resolveRuns({ runs: '3' }), { runs: 3, maxRuns: 3 });
  assert.deepEqual(resolveRuns({ minRuns: '12' }), { runs: 12, maxRuns: 12 });
  assert.deepEqual(resolveRuns({ minRuns: '3', maxRuns: '20' }), { runs: 3, maxRuns: 20 });
  assert.throws(() => resolveRuns({ minRuns: '6', maxRuns: '4' }), /--max-runs 4 is below --min-runs 6/);
  assert.throws(() => resolveRuns({ runs: '3', maxRuns: '4' }), /--runs N is exactly N runs: drop --max-runs/);
});

void test('tune options: budget in seconds, model workers or loop', () => {
  const o = resolveTuneOptions([], {});
  assert.equal(o.budgetMs, 60_000);
  assert.equal(o.model, 'workers');
  assert.equal(o.maxWorkers, 2 * availableParallelism());
  assert.throws(() => resolveTuneOptions([], { model: 'threads' }), /--models must be one of workers, loop/);
  assert.throws(() => resolveTuneOptions([], { budget: '0' }), /--budget must be a whole number/);
});

void test('--work KIND for every run, --works LIST as a dimension of bench and tune; not both', () => {
  assert.deepEqual(resolveBenchOptions([], { work: 'decode' }).matrix.works, ['decode']);
  assert.deepEqual(resolveBenchOptions([], { works: 'none, DECODE,spin:5,none' }).matrix.works, [
    'none',
    'decode',
    'spin:5',
  ]);
  assert.deepEqual(resolveTuneOptions([], { works: 'none,sha256' }).works, ['none', 'sha256']);
  assert.throws(
    () => resolveBenchOptions([], { work: 'decode', works: 'none,decode' }),
    (e: unknown) => e instanceof UsageError && /give --work KIND or --works LIST, not both/.test(e.message),
  );
  assert.throws(() => resolveTuneOptions([], { works: 'none,,decode' }), /--works takes a comma-separated list/);
  assert.throws(() => resolveBenchOptions([], { works: 'gzip' }), /--works must be one of none \| decode/);
});

void test("targets: download's own rules, braces kept, a list's URLs, the failed share each kind allows", () => {
  const t = resolveRunTargets(['br', 'cn'], { server: 'http://h:1/img/{cc}.png' });
  assert.deepEqual(
    [t.kind, t.server.url, t.codeArgs, t.maxFailed],
    ['template', 'http://h:1/img/{cc}.png', ['BR', 'CN'], 0],
  );
  const list = resolveRunTargets(
    [],
    { urls: 'u.txt', limit: '2' },
    { urlsText: 'http://h/a\n# x\nhttp://h/b\nhttp://h/c\n' },
  );
  assert.deepEqual(
    [list.kind, list.urls, list.codeArgs, list.codeCount],
    ['list', ['http://h/a', 'http://h/b'], [], 2],
  );
  assert.throws(
    () => resolveRunTargets(['BR'], { urls: 'u.txt' }, { urlsText: 'http://h/a' }),
    /--urls replaces country codes/,
  );
  assert.equal(resolveRunTargets([], { every: true }).maxFailed, 482 / 676);
  assert.equal(resolveRunTargets([], {}).maxFailed, 0, 'all 194 are countries');
  assert.equal(resolveRunTargets([], { server: 'ERROR' }).maxFailed, 1);
  assert.equal(resolveRunTargets([], { maxFailed: '5%' }).maxFailed, 0.05);
  assert.equal(parseShare('--max-failed', '0.2'), 0.2);
  assert.throws(() => parseShare('--max-failed', '120%'), /--max-failed takes a share from 0 to 1/);
  assert.throws(
    () => resolveBenchOptions([], { server: 'http://h/{cc}.png', queue: 'redis://127.0.0.1:6379' }),
    /not carried to agents yet/,
  );
  assert.throws(() => resolveBenchOptions([], { http2: true, protocols: 'h1' }), /--http2 is --protocols h2/);
});
