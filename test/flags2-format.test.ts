/**
 * flagfetch prints what the original flags2 scripts printed (DESIGN.md, "The data"), held line by
 * line against the original's format for runs like LOCAL (no delay), DELAY and ERROR, with the
 * loop model (flags2_asyncio's), whose concurrency line is the original's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFlagServer, type FlagServerOptions } from '../src/server/index.js';
import { headerLines } from '../src/report/text.js';
import { runCli } from './helpers/run-cli.js';

/** The original's lines, in order; count lines padded to three places (`{:3}`), only when non-zero but the first. */
const ORIGINAL = {
  site: /^(LOCAL|DELAY|ERROR|REMOTE|URL) site: https?:\/\/\S+$/,
  searching: /^Searching for (1 flag: [A-Z]{2}|\d+ flags: (from [A-Z]{2} to [A-Z]{2}|[A-Z]{2}(, [A-Z]{2}){1,9}))$/,
  connections: /^\d+ concurrent connections? will be used\.$/,
  dashes: /^-{20}$/,
  downloaded: /^( {2}\d| \d{2}|\d{3,}) flags? downloaded\.$/,
  notFound: /^( {2}\d| \d{2}|\d{3,}) not found\.$/,
  errors: /^( {2}\d| \d{2}|\d{3,}) errors?\.$/,
  elapsed: /^Elapsed time: \d+\.\d{2}s$/,
  verbose: /^[A-Z]{2} (OK|not found: http:\/\/\S+\/([a-z]{2})\/\2\.gif|error: .+)$/,
};

/** Run flagfetch as flags2 would be run, and check every line it prints up to the elapsed time. */
async function holdsToOriginal(server: FlagServerOptions, args: readonly string[]): Promise<string[]> {
  const s = await startFlagServer(server);
  try {
    const r = await runCli([...args, '-s', s.url, '--no-save', '--model', 'loop']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const dashes = lines.indexOf('-'.repeat(20));
    const verbose = args.includes('-v');
    assert.match(lines[0] ?? '', ORIGINAL.site);
    assert.match(lines[1] ?? '', ORIGINAL.searching);
    assert.match(lines[2] ?? '', ORIGINAL.connections);
    for (const l of lines.slice(3, dashes)) assert.match(l, ORIGINAL.verbose, 'only verbose lines before the dashes');
    assert.equal(dashes - 3 > 0, verbose, 'verbose lines exactly with -v');
    const tail = lines.slice(dashes + 1);
    assert.match(tail[0] ?? '', ORIGINAL.downloaded);
    let i = 1;
    if (ORIGINAL.notFound.test(tail[i] ?? '')) i++;
    if (ORIGINAL.errors.test(tail[i] ?? '')) i++;
    assert.match(tail[i] ?? '', ORIGINAL.elapsed, tail.join('\n'));
    return lines;
  } finally {
    await s.close();
  }
}

test('flags2 format: a LOCAL-like run of every code (-e)', async () => {
  const lines = await holdsToOriginal({}, ['-e']);
  assert.equal(lines[1], 'Searching for 676 flags: from AA to ZZ');
  assert.equal(lines[2], '100 concurrent connections will be used.');
  assert.ok(lines.includes('194 flags downloaded.') && lines.includes('482 not found.'));
});

test('flags2 format: a DELAY-like run of three codes, verbose, with the codes listed and commas', async () => {
  const lines = await holdsToOriginal({ delayMs: 50 }, ['BR', 'CN', 'BK', '-v', '-m', '2']);
  assert.equal(lines[1], 'Searching for 3 flags: BK, BR, CN');
  assert.equal(lines[2], '2 concurrent connections will be used.');
  assert.ok(lines.some((l) => /^BK not found: http:\/\/127\.0\.0\.1:\d+\/flags\/bk\/bk\.gif$/.test(l)));
  assert.ok(lines.includes('  2 flags downloaded.') && lines.includes('  1 not found.'), lines.join('\n'));
});

test('flags2 format: an ERROR-like run of the 20 most populous, verbose: errors counted and told', async () => {
  const lines = await holdsToOriginal({ errorRate: 0.25, errorDelayMs: 20, seed: 11 }, ['-v']);
  assert.equal(lines[1], 'Searching for 20 flags: from BD to VN');
  assert.equal(lines[2], '20 concurrent connections will be used.');
  assert.ok(
    lines.some((l) => /^[A-Z]{2} error: HTTP 50[0-3]/.test(l)),
    lines.join('\n'),
  );
  assert.ok(lines.some((l) => ORIGINAL.errors.test(l)));
});

test('flags2 format: the original labels the site by its name', () => {
  assert.deepEqual(
    headerLines(
      { label: 'LOCAL', url: 'http://localhost:8001/flags' },
      ['BR'],
      1,
      '1 concurrent connection will be used.',
    ),
    ['LOCAL site: http://localhost:8001/flags', 'Searching for 1 flag: BR', '1 concurrent connection will be used.'],
  );
});
