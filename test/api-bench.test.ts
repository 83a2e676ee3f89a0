/**
 * bench() and tune() from the library API against a real flag server on port 0: the report is
 * the object `--json` / `--export-json` gives (the same shape), what the runs claim matches what
 * the server saw, progress arrives as lines, an abort gives a partial report, and invalid
 * options reject with one UsageError naming the API's field; a process using them prints nothing
 * and exits by itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bench, tune, UsageError, type TuneReport } from '../src/index.js';
import { withServer } from './helpers/flag-server.js';
import { runCli } from './helpers/run-cli.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

/** The shape of a JSON value: its keys, recursively, and the type of every leaf (arrays by their first item). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, shapeOf(v)]),
  );
}

test('bench() gives the report of bench --json; every run is one the server saw', async () => {
  await withServer({}, async (server) => {
    const lines: string[] = [];
    const report = await bench({
      server: server.url,
      codes: ['BR', 'CN', 'FR'],
      models: ['loop', 'threads'],
      workers: 2,
      runs: 2,
      warmup: 0,
      repeat: 2,
      onProgress: (line) => lines.push(line),
    });
    assert.equal(report.schema, 1);
    assert.deepEqual(report.configs.map((c) => [c.config.model, c.config.workers, c.goodRuns]).sort(), [
      ['loop', 1, 2],
      ['threads', 2, 2],
    ]);
    assert.equal(report.records.length, 4);
    for (const r of report.records) assert.deepEqual([r.report?.total, r.report?.ok], [6, 6]);
    assert.equal(server.stats.requests, 24, 'two configurations × two runs × three codes × repeat 2');
    assert.equal(lines.length, 4);
    assert.match(lines[0] ?? '', /^\[1\/4\] /);
    assert.ok(report.verdict.length > 0);
    const cli = await runCli(
      ['bench', 'BR', 'CN', 'FR', '-s', server.url, '--models', 'loop,threads', '-w', '2', '--runs', '2'].concat([
        '--warmup',
        '0',
        '--repeat',
        '2',
        '--json',
      ]),
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(shapeOf(JSON.parse(JSON.stringify(report))), shapeOf(JSON.parse(cli.stdout)));
  });
});

test('an aborted bench() resolves with the partial report, the run in progress left out', async () => {
  await withServer({ delayMs: 20 }, async (server) => {
    const ac = new AbortController();
    let lines = 0;
    const report = await bench({
      server: server.url,
      codes: ['BR', 'CN'],
      models: ['loop'],
      runs: 5,
      warmup: 0,
      repeat: 5,
      signal: ac.signal,
      onProgress: () => {
        if (++lines === 2) ac.abort();
      },
    });
    assert.equal(lines, 2, 'no run starts after the abort');
    assert.ok(report.records.length <= 2);
    assert.match(report.notes.join('\n'), /stopped early: [01] runs? finished/);
  });
});

test('tune() gives the report of tune --json: one search, or several as tune-works', async () => {
  await withServer({}, async (server) => {
    const one = (await tune({
      server: server.url,
      codes: ['BR', 'CN'],
      repeat: 1,
      maxWorkers: 1,
      budgetSeconds: 2,
    })) as TuneReport;
    assert.equal(one.kind, 'tune');
    assert.notEqual(one.best, null, one.failures.join('; '));
    assert.ok(one.trials.length > 0);
    const asked = server.stats.requests;
    const ran = one.trials.reduce((sum, t) => sum + t.samples.length, 0);
    assert.ok(asked >= ran * 2, `${asked} requests for ${ran} counted runs of 2`);
    const two = await tune({
      server: server.url,
      codes: ['BR'],
      repeat: 1,
      model: 'loop',
      works: ['none', 'sha256'],
      budgetSeconds: 2,
    });
    assert.equal(two.kind, 'tune-works');
    assert.deepEqual('reports' in two ? two.reports.map((r) => [r.model, r.work]) : [], [
      ['loop', 'none'],
      ['loop', 'sha256'],
    ]);
  });
});

test('invalid bench() and tune() options reject with one UsageError naming the field', async () => {
  const cases: [() => Promise<unknown>, string, RegExp][] = [
    [() => bench({ workers: [0] }), 'workers', /^workers must be a whole number from 1 to 256, not '0'/],
    [() => bench({ maxReq: [] }), 'maxReq', /^maxReq takes a comma-separated list/],
    [() => bench({ runs: 2, maxRuns: 3 }), 'runs', /^runs N is exactly N runs: drop maxRuns/],
    [() => bench({ models: ['fibers' as 'loop'] }), 'models', /^models must be one of sequential, loop/],
    [() => bench({ delayMs: 5 }), 'delayMs', /^delayMs applies to the embedded DELAY server only/],
    [() => bench({ agents: 2 }), 'agents', /^agents only applies to runs over a queue/],
    [() => bench({ ca: 'not a pem' }), 'ca', /holds no PEM certificate/],
    [() => tune({ budgetSeconds: 0 }), 'budgetSeconds', /^budgetSeconds must be a whole number/],
    [() => tune({ model: 'threads' as 'loop' }), 'model', /^model must be one of workers, loop/],
    [() => tune({ works: ['melt' as 'none'] }), 'works', /^works must be one of/],
  ];
  for (const [call, field, message] of cases) {
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof UsageError && err.field === field && message.test(err.message),
      `${field}: ${String(message)}`,
    );
  }
});

test('a process using bench() and tune() writes nothing and exits by itself', async () => {
  const api = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'index.js')).href;
  const script =
    `import { bench, tune, serve } from ${JSON.stringify(api)};\n` +
    `const s = await serve();\n` +
    `const b = await bench({ server: s.url, codes: ['BR'], models: ['loop'], runs: 1, warmup: 0, repeat: 1 });\n` +
    `const t = await tune({ server: s.url, codes: ['BR'], model: 'loop', repeat: 1, budgetSeconds: 1 });\n` +
    `await s.close();\n` +
    `if (b.records.length !== 1 || b.records[0].report?.ok !== 1 || t.kind !== 'tune') process.exitCode = 3;\n`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (err, out, errText) =>
        resolve({
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : null,
          stdout: out,
          stderr: errText,
        }),
      );
    },
  );
  assert.equal(code, 0, stderr);
  assert.equal(stdout, '');
  assert.equal(stderr, '');
});
