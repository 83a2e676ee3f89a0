/**
 * The library API (src/index.ts) against real flag servers and real worker threads: the
 * report is the CLI's --json object, counts add up with what the server saw, outcomes and
 * progress arrive, an abort gives a partial report, bad options throw one typed error, and a
 * process that used the API exits by itself without writing a byte.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { download, serve, UsageError, type DownloadProgress, type Outcome } from '../src/index.js';
import { withServer } from './helpers/flag-server.js';
import { runCli } from './helpers/run-cli.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

const API = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'index.js')).href;

test('download() gives the --json report, outcomes and per-worker progress; counts match the server', async () => {
  await withServer({}, async (server) => {
    let last: DownloadProgress | undefined;
    const run = download({ server: server.url, all: true, dest: null, workers: 2, onProgress: (p) => (last = p) });
    const seen: Outcome[] = [];
    const reading = (async () => {
      for await (const o of run.outcomes) seen.push(o);
    })();
    const report = await run;
    await reading;
    assert.equal(report.schema, 1);
    assert.equal(report.model, 'workers');
    assert.equal(report.total, 194);
    assert.equal(report.ok + report.notFound + report.errors + report.cancelled, report.total);
    assert.equal(server.stats.requests, 194);
    assert.equal(seen.length, 194);
    assert.deepEqual(new Set(seen.map((o) => o.cc)).size, 194);
    assert.ok(last !== undefined);
    assert.equal(last.workers.length, 2);
    assert.equal(last.done, 194);
    assert.equal(
      last.workers.reduce((s, w) => s + w.ok, 0),
      report.ok,
    );
    const cli = await runCli(['-a', '-s', server.url, '--no-save', '-w', '2', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(Object.keys(report).sort(), Object.keys(JSON.parse(cli.stdout) as object).sort());
  });
});

test('an aborted run resolves with a partial report whose counts add up, and leaves no temp file', async () => {
  await withServer({ delayMs: 50 }, async (server) => {
    const dest = await mkdtemp(path.join(tmpdir(), 'ff-api-'));
    try {
      const ac = new AbortController();
      const run = download({ server: server.url, every: true, dest, model: 'loop', maxReq: 10, signal: ac.signal });
      run.on('start', () => setTimeout(() => ac.abort(), 150));
      const report = await run;
      assert.equal(report.interrupted, true);
      assert.equal(report.total, 676);
      assert.ok(report.cancelled > 0, `cancelled ${report.cancelled}`);
      assert.equal(report.ok + report.notFound + report.errors + report.cancelled, 676);
      const files = await readdir(dest);
      assert.equal(files.filter((f) => f.endsWith('.gif')).length, report.ok);
      assert.deepEqual(
        files.filter((f) => !f.endsWith('.gif')),
        [],
      );
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  });
});

test('two runs at once in one process, threads and workers, each with its own counts', async () => {
  await withServer({}, async (server) => {
    const [a, b] = await Promise.all([
      download({ server: server.url, all: true, dest: null, model: 'threads', workers: 2 }),
      download({ server: server.url, codes: ['A', 'B'], dest: null, model: 'workers', workers: 2 }),
    ]);
    assert.equal(a.total, 194);
    assert.equal(a.ok, 194);
    assert.equal(b.total, 52);
    assert.equal(b.ok + b.notFound, 52);
    assert.equal(server.stats.requests, 194 + 52);
  });
});

test('a work module runs in every worker thread; a throw fails that file alone', async () => {
  await withServer({}, async (server) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ff-api-work-'));
    try {
      const step = path.join(dir, 'step.mjs');
      await writeFile(
        step,
        `import { threadId } from 'node:worker_threads';\n` +
          `export default function (body, item) { if (threadId === 0) throw new Error('main thread'); ` +
          `if (item.key === 'BR') throw new Error('no BR'); if (body.length < 6) throw new Error('empty'); }\n`,
      );
      const report = await download({
        server: server.url,
        codes: ['BR', 'FR', 'JP', 'US'],
        dest: null,
        workers: 2,
        work: { module: step },
      });
      assert.equal(report.ok, 3);
      assert.deepEqual(report.errorsByReason, { 'work failed': 1 });
      assert.match(report.work ?? '', /^module:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('invalid options throw one UsageError with code, field and what is expected', async () => {
  const cases: [Parameters<typeof download>[0], string, RegExp][] = [
    [{ maxReq: 0 }, 'maxReq', /^maxReq must be a whole number from 1 to 10000/],
    [{ model: 'fibers' as 'loop' }, 'model', /^model must be one of sequential, loop, threads, workers/],
    [{ timeoutMs: 1.5 }, 'timeoutMs', /^timeoutMs must be/],
    [{ server: 'nowhere' }, 'server', /unknown server 'nowhere'/],
    [
      { urls: ['http://127.0.0.1:9/a.gif'], all: true },
      'urls',
      /^urls replaces country codes: drop the codes, all and every/,
    ],
    [{ urls: ['ftp://127.0.0.1/a'] }, 'urls', /is not http or https/],
    [{ work: 'melt' as 'decode' }, 'work', /^work must be one of/],
  ];
  for (const [options, field, message] of cases) {
    assert.throws(
      () => download(options),
      (err: unknown) =>
        err instanceof UsageError &&
        err.code === 'ERR_FLAGFETCH_USAGE' &&
        err.field === field &&
        message.test(err.message),
      `${JSON.stringify(options)}`,
    );
  }
  const bad = new UsageError('x', { field: 'maxReq', expected: 'a whole number' });
  assert.equal(bad.expected, 'a whole number');
  await assert.rejects(
    download({
      urls: (async function* () {
        yield await Promise.resolve('not a url');
      })(),
    }).result,
    (err: unknown) => err instanceof UsageError && err.field === 'urls',
  );
  await assert.rejects(
    serve({ errorRate: 2 }),
    (err: unknown) => err instanceof UsageError && err.field === 'errorRate',
  );
});

test('a URL list from an iterable downloads those files', async () => {
  await withServer({}, async (server) => {
    const dest = await mkdtemp(path.join(tmpdir(), 'ff-api-urls-'));
    try {
      const urls = new Set([`${server.url}/br/br.gif`, `${server.url}/fr/fr.gif`, `${server.url}/zz/zz.gif`]);
      const report = await download({ urls, dest, model: 'workers', workers: 2 });
      assert.equal(report.ok, 2);
      assert.equal(report.notFound, 1);
      assert.deepEqual((await readdir(dest)).sort(), ['br.gif', 'fr.gif']);
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  });
});

test('a process using serve() and download() writes nothing and exits by itself', async () => {
  const script =
    `import { download, serve } from ${JSON.stringify(API)};\n` +
    `const s = await serve();\n` +
    `const r = await download({ server: s.url, all: true, dest: null, workers: 2 });\n` +
    `const l = await download({ server: s.url, codes: ['BR'], dest: null, model: 'loop' });\n` +
    `await s.close();\n` +
    `if (r.ok !== 194 || l.ok !== 1) process.exitCode = 3;\n`;
  const started = Date.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }),
      );
    },
  );
  assert.equal(code, 0, `exit ${code} after ${Date.now() - started} ms: ${stderr}`);
  assert.equal(stdout, '');
  assert.equal(stderr, '');
});

test('a run that downloaded nothing: await run gives the object --json prints, failedUrl and all', async () => {
  await withServer({}, async (server) => {
    const notes: string[] = [];
    const run = download({ server: server.url, codes: ['ZZ', 'XX'], dest: null, model: 'sequential' });
    run.on('note', (line) => notes.push(line));
    const report = await run;
    const cli = await runCli(['ZZ', 'XX', '-s', server.url, '--no-save', '--model', 'sequential', '--json']);
    assert.equal(cli.code, 1, 'nothing downloaded is exit 1');
    assert.match(
      cli.stderr,
      /^error: nothing downloaded: 2 of 2 not found, e\.g\. http:\/\/127\.0\.0\.1:\d+\/flags\/(xx\/xx|zz\/zz)\.gif/m,
    );
    const printed = JSON.parse(cli.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report), Object.keys(printed), 'the same fields in the same order');
    const same = [
      'total',
      'ok',
      'notFound',
      'errors',
      'errorsByReason',
      'interrupted',
      'failure',
      'failedUrl',
    ] as const;
    assert.deepEqual(
      same.map((k) => report[k]),
      same.map((k) => printed[k]),
    );
    assert.match(report.failedUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/flags\/(xx\/xx|zz\/zz)\.gif$/);
    assert.match(notes.join('\n'), /^nothing downloaded: 2 of 2 not found, e\.g\. .*\/(xx\/xx|zz\/zz)\.gif/m);
  });
});
