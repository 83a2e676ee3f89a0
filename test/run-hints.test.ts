/**
 * What a user reads when a run goes wrong: a download that got nothing ends with one line
 * naming the commonest outcome and a URL (exit 1); a server that cannot keep up with -m is
 * said so; a mistyped command or option gets commander's "did you mean"; files are files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withServer } from './helpers/flag-server.js';
import { runCli } from './helpers/run-cli.js';
import { nothingDownloaded, overloadHint } from '../src/report/hints.js';
import { commonestFailure } from '../src/stats/failures.js';
import { emptyCounters, type Counters } from '../src/stats/counters.js';

function counters(part: Partial<Counters>): Counters {
  return { ...emptyCounters(), ...part };
}

test('commonestFailure names the largest of not found and each error reason', () => {
  assert.equal(commonestFailure(counters({ total: 194, notFound: 194 })), '194 of 194 not found');
  const c = counters({ total: 20, notFound: 3, errors: 17, errorsByReason: { 'http 503': 12, reset: 5 } });
  assert.equal(commonestFailure(c), '12 of 20 failed (http 503)');
});

test('nothingDownloaded: only when requests were made and none was ok', () => {
  assert.equal(nothingDownloaded(counters({ total: 5, ok: 1, notFound: 4 }), undefined, 'check -s'), undefined);
  assert.equal(nothingDownloaded(counters({ total: 3, cancelled: 3 }), undefined, 'check -s'), undefined);
  assert.equal(
    nothingDownloaded(counters({ total: 2, notFound: 2 }), 'http://h/zz/zz.gif', 'check -s'),
    'nothing downloaded: 2 of 2 not found, e.g. http://h/zz/zz.gif — check -s',
  );
});

test('overloadHint: from 5 % of requests timed out or reset, with more than one in flight', () => {
  const c = counters({ total: 100, ok: 94, errors: 6, errorsByReason: { timeout: 4, reset: 2 } });
  assert.match(overloadHint(c, 500) ?? '', /^hint: 6% of requests timed out or were reset: .* with -m 500 \(try/);
  assert.equal(overloadHint(c, 1), undefined, 'with -m 1 a lower -m is no remedy');
  assert.equal(overloadHint({ ...c, errorsByReason: { timeout: 4 } }, 500), undefined, '4 % is under the threshold');
});

test('download: nothing downloaded is exit 1 with one line naming the outcome and a URL; -e with its 482 is 0', async () => {
  await withServer({}, async (s) => {
    const none = await runCli(['ZZ', 'XX', '-s', s.url, '--no-save', '-q', '--model', 'loop']);
    assert.equal(none.code, 1, none.stderr);
    assert.match(
      none.stderr,
      /^error: nothing downloaded: 2 of 2 not found, e\.g\. http:\/\/127\.0\.0\.1:\d+\/flags\/(xx\/xx|zz\/zz)\.gif — check -s/,
    );
    assert.equal(none.stderr.split('\n').filter((l) => l !== '').length, 1, none.stderr);
    const every = await runCli(['-e', '-s', s.url, '--no-save', '-q', '-w', '2', '--json']);
    assert.equal(every.code, 0, every.stderr);
    const j = JSON.parse(every.stdout) as { ok: number; notFound: number; failedUrl?: string };
    assert.deepEqual([j.ok, j.notFound], [194, 482]);
    assert.match(j.failedUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/flags\/[a-z]{2}\/[a-z]{2}\.gif$/);
    const template = await runCli(['BR', '-s', `${s.url}/nothing/{cc}.png`, '--no-save', '-q', '--model', 'loop']);
    assert.equal(template.code, 1, template.stderr);
    assert.match(
      template.stderr,
      /^error: nothing downloaded: 1 of 1 not found, e\.g\. \S+\/nothing\/br\.png — check the -s template/,
    );
  });
});

test('download: a URL list speaks of files, and a server that resets at high -m gets a hint', async () => {
  await withServer({ faults: [{ kind: 'reset', rate: 0.5 }], seed: 3 }, async (s) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-hints-'));
    try {
      const list = path.join(dir, 'urls.txt');
      const urls = ['br', 'cn', 'in', 'us', 'id', 'pk', 'ng', 'bd', 'ru', 'jp', 'mx', 'ph'];
      await writeFile(list, urls.map((cc) => `${s.url}/${cc}/${cc}.gif`).join('\n'));
      const r = await runCli(['--urls', list, '--no-save', '-q', '--model', 'loop', '-m', '12']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Searching for 12 files: /m);
      assert.match(r.stdout, /^ {1,2}\d+ files? downloaded\.$/m);
      assert.match(
        r.stdout.trimEnd().split('\n').pop() ?? '',
        /^hint: \d+% of requests timed out or were reset: .*-m 12/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('a mistyped command or option: did you mean …, and where the options are listed', async () => {
  const serv = await runCli(['serv']);
  assert.equal(serv.code, 2);
  assert.equal(serv.stderr, "error: unknown command 'serv' (did you mean serve?): see 'flagfetch --help'\n");
  const opt = await runCli(['bench', '--wrokers', '2']);
  assert.equal(opt.code, 2);
  assert.equal(
    opt.stderr,
    "error: unknown option '--wrokers' (did you mean --workers?): see 'flagfetch bench --help'\n",
  );
  const code = await runCli(['BRA']);
  assert.match(code.stderr, /^error: invalid country code 'BRA'/, 'three letters are still a country code');
});

test('bench and tune spell the model dimension --models (and still take --model)', async () => {
  const both = await runCli(['tune', '--model', 'loop', '--models', 'loop']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^error: --model is the old spelling of --models/);
  const bad = await runCli(['bench', '--model', 'nope']);
  assert.match(bad.stderr, /^error: --models /);
  const tuneBad = await runCli(['tune', '--models', 'nope']);
  assert.match(tuneBad.stderr, /^error: --models /);
});
