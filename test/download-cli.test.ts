import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFlagDirectory } from '../src/server/index.js';
import { CLI, runCli } from './helpers/run-cli.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';
import { withServer } from './helpers/flag-server.js';

test('the original output: header, counts, elapsed time, and the per-worker table', async () => {
  await withServer({}, async (s) => {
    const r = await runCli(['-e', '-s', s.url, '--no-save', '-w', '2', '-m', '20']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `URL site: ${s.url}`);
    assert.equal(lines[1], 'Searching for 676 flags: from AA to ZZ');
    assert.equal(lines[2], '2 workers × 10 concurrent requests will be used.');
    assert.ok(lines.includes('-'.repeat(20)));
    assert.ok(lines.includes('194 flags downloaded.'));
    assert.ok(lines.includes('482 not found.'));
    assert.ok(!lines.some((l) => / errors?\.$/.test(l)), 'no error line when there are none');
    assert.match(r.stdout, /^Elapsed time: \d+\.\d\ds$/m);
    assert.equal(r.stderr, '');
  });
});

test('-v prints one line per code as the original, and errors with their reason', async () => {
  await withServer({ errorRate: 1, seed: 1 }, async (errors) => {
    await withServer({}, async (s) => {
      const ok = await runCli(['BR', 'zz', '-v', '-s', s.url, '--no-save', '--model', 'loop']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^BR OK$/m);
      assert.match(ok.stdout, /^ZZ not found: http:\/\/127\.0\.0\.1:\d+\/flags\/zz\/zz\.gif$/m);
      const bad = await runCli(['BR', '-v', '-s', errors.url, '--no-save', '--model', 'sequential']);
      assert.match(bad.stdout, /^BR error: HTTP 50[0-3] - /m);
      assert.match(bad.stdout, /^ {2}1 error\.$/m);
    });
  });
});

test('--json prints one JSON object with every documented field, and nothing else on stdout', async () => {
  await withServer({}, async (s) => {
    for (const model of ['sequential', 'loop', 'threads', 'workers']) {
      const workers = model === 'workers' ? ['-w', '2'] : [];
      const r = await runCli(['-a', '-s', s.url, '--no-save', '--json', '--model', model, ...workers, '-m', '8']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const key of [
        'model',
        'server',
        'workers',
        'maxReq',
        'split',
        'total',
        'ok',
        'notFound',
        'errors',
        'cancelled',
        'bytes',
        'elapsedMs',
        'startupMs',
        'requestsPerSec',
        'latencyMs',
        'errorsByReason',
        'perWorker',
      ]) {
        assert.ok(key in j, `${model}: ${key} missing`);
      }
      assert.equal(j['model'], model);
      assert.equal(j['ok'], 194);
      assert.equal(j['total'], 194);
      const perWorker = j['perWorker'] as { total: number; eventLoopUtilization: number }[];
      assert.equal(
        perWorker.reduce((a, w) => a + w.total, 0),
        194,
        model,
      );
    }
  });
});

test(
  'files in --dest are byte-identical to the real flags, no temp file remains, --names saves the original names',
  { skip: skipWithoutSharedFlags },
  async () => {
    const content = await loadFlagDirectory(SHARED_FLAGS ?? '');
    const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-dest-'));
    try {
      await withServer({ content }, async (s) => {
        const r = await runCli(['-a', '-s', s.url, '-o', dest, '-m', '20']);
        assert.equal(r.code, 0, r.stderr);
        const files = await readdir(dest);
        assert.equal(files.length, 194);
        for (const f of files)
          assert.deepEqual(
            await readFile(path.join(dest, f)),
            await readFile(path.join(SHARED_FLAGS ?? '', f.slice(0, 2), f)),
            f,
          );
        const named = path.join(dest, 'named');
        const n = await runCli(['BR', 'CI', 'US', '--names', '-s', s.url, '-o', named]);
        assert.equal(n.code, 0, n.stderr);
        assert.deepEqual(
          (await readdir(named)).sort(),
          ['Brazil-BR.gif', "Côte_d'Ivoire-CI.gif", 'United_States_of_America-US.gif'].sort(),
        );
      });
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  },
);

const BAD_INPUTS: readonly (readonly string[])[] = [
  ['12'],
  ['ABC'],
  ['../x'],
  ['b@'],
  ['-m', '0'],
  ['-m', '-3'],
  ['-m', 'abc'],
  ['-w', '0'],
  ['-w', '100000'],
  ['--limit', '0'],
  ['--repeat', '0'],
  ['-s', 'NOWHERE'],
  ['-s', 'http://exa mple/flags'],
  ['-s', 'ftp://127.0.0.1/flags'],
  ['--model', 'fibers'],
  ['--bogus'],
];

test('bad input: one line on stderr starting with "error:", exit code 2, no stack trace', async () => {
  for (const args of BAD_INPUTS) {
    const r = await runCli([...args, '--no-save', '--no-embedded']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^error: .+\n$/, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('--dest that is a file or not writable: exit 2', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-bad-dest-'));
  try {
    const file = path.join(dir, 'file');
    await writeFile(file, 'x');
    const r = await runCli(['BR', '-o', file, '-s', 'http://127.0.0.1:1/flags']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --dest .* is a file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a server that cannot be reached is one clear line and exit 1', async () => {
  const r = await runCli(['-e', '-s', 'http://127.0.0.1:1/flags', '--no-save']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: no server answered at http:\/\/127\.0\.0\.1:1\/flags/m);
  assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1, r.stderr);
});

test('a worker that dies: the run ends with a clear message and exit 1, all counted', async () => {
  await withServer({ delayMs: 5 }, async (s) => {
    const r = await runCli(['-a', '-s', s.url, '--no-save', '-w', '3', '-m', '9', '--json'], {
      env: { FLAGFETCH_CRASH_WORKER: '1:5' },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: .*worker 1 died/m);
    const j = JSON.parse(r.stdout) as { total: number; ok: number };
    assert.equal(j.total, 194);
    assert.equal(j.ok, 194);
  });
});

test('SIGINT: stop, print the partial report with cancelled, exit 130, no partial file', async () => {
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-int-'));
  try {
    await withServer({ delayMs: 100 }, async (s) => {
      const child = spawn(process.execPath, [CLI, '-e', '-s', s.url, '-o', dest, '-m', '4', '-w', '2'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Interrupt on an event, not a guess: once the server has answered a few requests.
      const poll = setInterval(() => {
        if (s.stats.byStatus['200'] !== undefined && s.stats.byStatus['200'] >= 8) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 10);
      child.on('exit', () => clearInterval(poll));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      assert.equal(code, 130, stderr);
      assert.match(stdout, /^ *\d+ cancelled\.$/m);
      assert.match(stderr, /SIGINT/);
      const files = await readdir(dest);
      assert.ok(
        files.every((f) => /^[a-z]{2}\.gif$/.test(f)),
        files.join(' '),
      );
    });
  } finally {
    await rm(dest, { recursive: true, force: true });
  }
});
