import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchResult } from '../src/compare/types.js';
import { runCli } from './helpers/run-cli.js';
import { startServe } from './helpers/serve-process.js';

void test(
  'bench on the embedded LOCAL server: table, JSON, CSV and HTML, every run a fresh process',
  { timeout: 120_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-bench-cli-'));
    try {
      const files = { json: path.join(dir, 'b.json'), csv: path.join(dir, 'b.csv'), html: path.join(dir, 'b.html') };
      const run = await runCli([
        'bench',
        '--models',
        'workers',
        '-w',
        '2',
        '-m',
        '20',
        '--runs',
        '2',
        '--warmup',
        '1',
        '--repeat',
        '2',
        '-l',
        '40',
        '--json',
        files.json,
        '--csv',
        files.csv,
        '--html',
        files.html,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Each run is a fresh process/);
      assert.match(run.stdout, /workers w2 m20 dynamic/);
      assert.match(run.stdout, /loop m20/, 'loop added for the ratio');
      assert.match(run.stdout, /Note: added loop at max-req 20/);
      assert.match(run.stderr, /\[6\/6\] .*run 2\/2/, 'progress on stderr');
      // The old spellings still write their files, each with one line saying what replaces it.
      assert.equal(
        run.stderr.match(/^note: 'bench --(json|csv|html) FILE' is deprecated .* use --export-\1 FILE/gm)?.length,
        3,
      );
      const json = JSON.parse(await readFile(files.json, 'utf8')) as BenchResult;
      assert.equal(json.configs.length, 2);
      for (const c of json.configs) {
        assert.equal(c.goodRuns, 2, `${c.key}: ${json.records.flatMap((r) => r.flags).join('; ')}`);
        assert.equal(c.counts?.total, 80);
        assert.ok(c.requestsPerSec.median > 0);
      }
      assert.equal(json.records.length, 6);
      const workers = json.configs.find((c) => c.config.model === 'workers');
      assert.equal(workers?.eluPerWorker.length, 2);
      assert.ok((workers?.ratioToLoop ?? 0) > 0);
      assert.equal((await readFile(files.csv, 'utf8')).trimEnd().split('\n').length, 3);
      assert.match(await readFile(files.html, 'utf8'), /<svg /);
      assert.deepEqual((await readdir(dir)).sort(), ['b.csv', 'b.html', 'b.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

void test('bench: bad input is one error line and exit code 2', async () => {
  const models = await runCli(['bench', '--models', 'loop,fibers']);
  assert.equal(models.code, 2);
  assert.equal(models.stderr, "error: --models must be one of sequential, loop, threads, workers, not 'fibers'\n");
  const folder = await runCli(['bench', '--export-html', '/nonexistent/dir/r.html']);
  assert.equal(folder.code, 2);
  assert.match(
    folder.stderr,
    /^error: --export-html \/nonexistent\/dir\/r\.html: folder \/nonexistent\/dir does not exist/,
  );
});

void test('bench: a server that is not there leaves every run out, and says why', { timeout: 60_000 }, async () => {
  const run = await runCli([
    'bench',
    '--models',
    'loop',
    '-m',
    '5',
    '--runs',
    '1',
    '--warmup',
    '0',
    '-s',
    'http://127.0.0.1:9/flags',
    '-l',
    '3',
  ]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stdout,
    /Left out: loop m5 run 1: failed: no server answered at http:\/\/127\.0\.0\.1:9\/flags \(refused\)/,
  );
  assert.match(run.stdout, /^! +loop m5 +failed/m);
  assert.match(
    run.stderr,
    /^error: every run failed: no server answered at http:\/\/127\.0\.0\.1:9\/flags \(refused\)/m,
  );
});

void test('bench --works none,decode: each child run does its work, compared with the loop doing the same', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-bench-works-'));
  try {
    const json = path.join(dir, 'b.json');
    const args = ['bench', '--models', 'loop', '-m', '5', '--works', 'none,decode', '--runs', '1', '--warmup', '0'];
    const run = await runCli([...args, '--repeat', '1', '-l', '10', '--json', json]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /loop m5 decode/);
    const result = JSON.parse(await readFile(json, 'utf8')) as BenchResult;
    const byKey = new Map(result.configs.map((c) => [c.key, c]));
    assert.deepEqual([...byKey.keys()], ['loop m5', 'loop m5 decode']);
    assert.equal(byKey.get('loop m5')?.workMs, 0);
    assert.ok((byKey.get('loop m5 decode')?.workMs ?? 0) > 0, 'the child decoded');
    assert.equal(byKey.get('loop m5 decode')?.counts?.ok, 10);
    assert.equal(byKey.get('loop m5 decode')?.baselineKey, 'loop m5 decode');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test(
  'bench and tune --ca FILE / --insecure: an https server with a private certificate (serve --tls --write-ca) is measured; without them every run fails',
  { timeout: 120_000 },
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-bench-ca-'));
    const ca = path.join(dir, 'ca.pem');
    const s = await startServe(['--tls', '--write-ca', ca]);
    try {
      const bench = ['bench', '--models', 'loop', '-m', '5', '--runs', '1', '--warmup', '0', '--repeat', '1'];
      const args = [...bench, '-l', '5', '-s', s.urls.LOCAL];
      for (const trust of [['--ca', ca], ['--insecure']]) {
        const run = await runCli([...args, ...trust, '--json']);
        assert.equal(run.code, 0, run.stderr);
        const counts = (JSON.parse(run.stdout) as BenchResult).configs[0]?.counts;
        assert.deepEqual([counts?.total, counts?.ok], [5, 5], `${trust.join(' ')}: ${run.stdout}`);
        if (trust[0] === '--insecure')
          assert.match(run.stderr, /^warning: --insecure: TLS certificates are not verified/m);
      }
      const untrusted = await runCli(args);
      assert.equal(untrusted.code, 1, 'no configuration was a result');
      assert.match(untrusted.stdout, /Left out: loop m5 run 1: failed: no server could be trusted at https:/);
      const tuned = await runCli([
        'tune',
        '--model',
        'loop',
        '-l',
        '5',
        '--repeat',
        '1',
        '--budget',
        '2',
        '-s',
        s.urls.LOCAL,
        '--ca',
        ca,
        '--json',
      ]);
      assert.equal(tuned.code, 0, tuned.stderr);
      assert.notEqual((JSON.parse(tuned.stdout) as { best: unknown }).best, null, 'tune measured over https');
      const plain = await runCli([...bench, '--ca', ca]);
      assert.equal(plain.code, 2);
      assert.match(plain.stderr, /^error: --ca is for an https:\/\/ server/);
      const both = await runCli([...args, '--ca', ca, '--insecure']);
      assert.equal(
        both.stderr,
        'error: --ca and --insecure contradict each other: trust the CA with --ca, or verify nothing\n',
      );
      const notPem = path.join(dir, 'not.pem');
      await writeFile(notPem, 'hello\n');
      const bad = await runCli([...args, '--ca', notPem]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^error: --ca '.*not\.pem' holds no PEM certificate/);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
      await rm(dir, { recursive: true, force: true });
    }
  },
);
