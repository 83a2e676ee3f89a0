/**
 * bench and tune on a user's own files, as the README's recipe does: a folder of files that
 * are no flags (several sizes, not GIFs) served by nginx, fetched by --urls and by a {cc}
 * template; every run must download every file. And failures are never a result: a template
 * that points at 404s has no winner, exit 1, one line naming the outcome, the report written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, hasCommand, startNginx } from '../bench/lib/external.js';
import { runCli } from './helpers/run-cli.js';
import type { BenchResult } from '../src/compare/types.js';
import type { TuneReport } from '../src/compare/tune-run.js';

const NO_NGINX = hasCommand('nginx')
  ? false
  : 'nginx is not installed: bench and tune on your own server are not tested';
if (NO_NGINX !== false) process.stderr.write(`note: ${NO_NGINX}\n`);

/** Files of several sizes and kinds, none a GIF; the codes' files for the template. */
const FILES: readonly [name: string, bytes: number][] = [
  ['notes.txt', 300],
  ['data.json', 4_000],
  ['photo.jpg', 21_000],
  ['archive.bin', 90_000],
  ['style.css', 1_500],
  ['report.pdf', 250_000],
];
const CODES = ['BR', 'CN', 'IN', 'JP', 'US'];
const SIZES = [700, 5_000, 33_000, 12_000, 150_000];

/** A folder of the files, served by nginx under /flags/, a --urls file listing them; removed after. */
async function withOwnServer(body: (s: { url: string; list: string; dir: string }) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-own-'));
  const www = path.join(dir, 'www');
  await mkdir(path.join(www, 'by-code'), { recursive: true });
  const fill = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) % 251));
  for (const [i, [name, bytes]] of FILES.entries()) await writeFile(path.join(www, name), fill(bytes, i + 7));
  for (const [i, cc] of CODES.entries())
    await writeFile(path.join(www, 'by-code', `${cc.toLowerCase()}.dat`), fill(SIZES[i] ?? 1, i + 3));
  const nginx = await startNginx({ root: www, port: await freePort() });
  try {
    const list = path.join(dir, 'urls.txt');
    await writeFile(list, `# my files\n${FILES.map(([name]) => `${nginx.url}/${name}`).join('\n')}\n`);
    await body({ url: nginx.url, list, dir });
  } finally {
    await nginx.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const QUICK = ['--runs', '2', '--warmup', '0', '--repeat', '2', '-w', '2', '-m', '4', '--json'];

/** Every measured and warm-up run of the bench downloaded all `files` × repeat, nothing failed. */
function assertEveryRunGotEverything(r: BenchResult, files: number): void {
  assert.ok(r.records.length >= 4, `runs: ${r.records.length}`);
  for (const rec of r.records) {
    assert.deepEqual(rec.flags, [], `${rec.configKey} run ${rec.run}`);
    const rep = rec.report;
    assert.ok(rep !== null);
    assert.deepEqual([rep.total, rep.ok, rep.notFound, rep.errors], [files * 2, files * 2, 0, 0], rec.configKey);
  }
  assert.ok(r.configs.every((c) => c.failed === undefined && c.goodRuns === 2));
  assert.equal(r.ranking.groups.length, 1, 'every configuration ranked');
}

void test(
  'bench on your own files by --urls and by a {cc} template: every run downloads every file',
  {
    skip: NO_NGINX,
    timeout: 180_000,
  },
  async () => {
    await withOwnServer(async ({ url, list }) => {
      const byList = await runCli(['bench', '--urls', list, ...QUICK]);
      assert.equal(byList.code, 0, byList.stderr);
      const listed = JSON.parse(byList.stdout) as BenchResult;
      assert.equal(listed.target.kind, 'list');
      assertEveryRunGotEverything(listed, FILES.length);
      const byTemplate = await runCli(['bench', '-s', `${url}/by-code/{cc}.dat`, ...CODES, ...QUICK]);
      assert.equal(byTemplate.code, 0, byTemplate.stderr);
      const templated = JSON.parse(byTemplate.stdout) as BenchResult;
      assert.equal(templated.target.baseUrl, `${url}/by-code/{cc}.dat`, 'the braces reach the runs as typed');
      assertEveryRunGotEverything(templated, CODES.length);
    });
  },
);

void test(
  'tune on your own files by --urls and by a template: no run left out, a recommendation',
  {
    skip: NO_NGINX,
    timeout: 180_000,
  },
  async () => {
    await withOwnServer(async ({ url, list }) => {
      for (const target of [
        ['--urls', list],
        ['-s', `${url}/by-code/{cc}.dat`, ...CODES],
      ]) {
        const r = await runCli(['tune', ...target, '--budget', '3', '--repeat', '2', '--max-workers', '2', '--json']);
        assert.equal(r.code, 0, r.stderr);
        const t = JSON.parse(r.stdout) as TuneReport;
        assert.deepEqual(t.failures, [], 'every run downloaded every file (--max-failed is 0 for lists and templates)');
        assert.ok(t.best !== null && t.trials.every((x) => x.failed === undefined));
      }
    });
  },
);

void test(
  'a template pointing at 404s: every configuration failed, no winner, exit 1, the report written',
  {
    skip: NO_NGINX,
    timeout: 120_000,
  },
  async () => {
    await withOwnServer(async ({ url, dir }) => {
      const json = path.join(dir, 'bench.json');
      const html = path.join(dir, 'bench.html');
      const template = `${url}/nowhere/{cc}.dat`;
      const args = [
        'bench',
        '-s',
        template,
        ...CODES,
        ...QUICK.slice(0, -1),
        '--export-json',
        json,
        '--export-html',
        html,
      ];
      const r = await runCli(args);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(
        lines[0] ?? '',
        /^error: every run failed: 10 of 10 not found, e\.g\. http:\/\/127\.0\.0\.1:\d+\/flags\/nowhere\/[a-z]{2}\.dat — check the -s template$/,
      );
      assert.doesNotMatch(r.stdout, /^\*/m, 'no winner marked');
      assert.match(r.stdout, /^! +loop m4 +failed/m);
      const written = JSON.parse(await readFile(json, 'utf8')) as BenchResult;
      assert.equal(written.bestKey, null);
      assert.deepEqual(written.ranking.groups, [], 'a failed configuration is never ranked');
      assert.ok(written.configs.every((c) => c.failed?.reason === '10 of 10 not found' && c.ratioToLoop === null));
      assert.match(await readFile(html, 'utf8'), /failed: 10 of 10 not found/);
      const tune = await runCli([
        'tune',
        '-s',
        template,
        ...CODES,
        '--budget',
        '2',
        '--repeat',
        '1',
        '--max-workers',
        '2',
      ]);
      assert.equal(tune.code, 1, tune.stderr);
      assert.match(tune.stderr, /^error: every run failed: 5 of 5 not found, e\.g\. \S+\/nowhere\/[a-z]{2}\.dat — /m);
      assert.doesNotMatch(tune.stdout, /^Recommended:/m);
    });
  },
);

void test(
  '--max-failed: one missing file of 7 fails every configuration by default, and counts with 20%',
  {
    skip: NO_NGINX,
    timeout: 120_000,
  },
  async () => {
    await withOwnServer(async ({ url, list, dir }) => {
      const withMissing = path.join(dir, 'missing.txt');
      await writeFile(withMissing, `${await readFile(list, 'utf8')}${url}/gone.txt\n`);
      const strict = await runCli(['bench', '--urls', withMissing, ...QUICK]);
      assert.equal(strict.code, 1, strict.stderr);
      const s = JSON.parse(strict.stdout) as BenchResult;
      assert.ok(
        s.configs.every((c) => c.failed !== undefined),
        'the default for a list is 0',
      );
      assert.match(
        s.configs[0]?.failed?.reason ?? '',
        /^2 of 14 not found or failed \(commonest: 2 of 14 not found\), more than --max-failed 0 allows$/,
      );
      assert.match(s.configs[0]?.failed?.exampleUrl ?? '', /\/flags\/gone\.txt$/);
      assert.match(
        strict.stderr,
        /^error: every run failed: 2 of 14 not found or failed .* check the URLs in --urls$/m,
      );
      const lenient = await runCli(['bench', '--urls', withMissing, '--max-failed', '20%', ...QUICK]);
      assert.equal(lenient.code, 0, lenient.stderr);
      const l = JSON.parse(lenient.stdout) as BenchResult;
      assert.ok(l.configs.every((c) => c.failed === undefined));
      assert.equal(l.ranking.groups.length, 1);
    });
  },
);
