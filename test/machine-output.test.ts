import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFlagServer } from '../src/server/index.js';
import { runCli } from './helpers/run-cli.js';
import { benchJson } from '../src/commands/bench-outputs.js';
import { sampleBench } from './helpers/bench-fixtures.js';

/** Node prints a process warning as `(node:PID) SomethingWarning: …`. */
const WARNING = /\(node:\d+\)|Warning:/;
const STRICT = { NODE_OPTIONS: '--trace-warnings --pending-deprecation' };

/** stdout must be exactly one JSON document with a schema: parse it, or fail saying what was there. */
function oneDocument(stdout: string, what: string): Record<string, unknown> {
  let doc: unknown;
  assert.doesNotThrow(
    () => (doc = JSON.parse(stdout)),
    `${what}: stdout is not one JSON document: ${stdout.slice(0, 300)}`,
  );
  assert.ok(typeof doc === 'object' && doc !== null && !Array.isArray(doc), what);
  const record = doc as Record<string, unknown>;
  assert.equal(record['schema'], 1, `${what}: schema`);
  return record;
}

test('--json on every command: stdout holds exactly one JSON document, -v and progress go to stderr, no warning', async () => {
  const server = await startFlagServer({});
  try {
    const s = server.url;
    const runs: [string, string[]][] = [
      ['download -v', ['BR', 'ZZ', 'CN', '-s', s, '--no-save', '-v', '--json']],
      ['download workers -v', ['-a', '-s', s, '--no-save', '-v', '--json', '-w', '2', '-m', '20']],
      [
        'bench',
        [
          'bench',
          'BR',
          'CN',
          '-s',
          s,
          '--models',
          'loop',
          '-m',
          '2',
          '--runs',
          '1',
          '--warmup',
          '0',
          '--repeat',
          '1',
          '--json',
        ],
      ],
      ['tune', ['tune', 'BR', '-s', s, '--model', 'loop', '--budget', '1', '--repeat', '1', '--json']],
    ];
    for (const [what, args] of runs) {
      const r = await runCli(args, { env: STRICT });
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      const doc = oneDocument(r.stdout, what);
      assert.doesNotMatch(r.stderr, WARNING, `${what}: ${r.stderr.slice(0, 500)}`);
      if (what.startsWith('download')) {
        assert.match(r.stderr, /^BR OK$/m, `${what}: the -v lines are on stderr`);
        assert.equal((doc['perWorker'] as { id: number }[])[0]?.id, 1, 'perWorker ids start at 1');
      }
      if (what === 'download -v')
        assert.match(r.stderr, /^ZZ not found: http:\/\/127\.0\.0\.1:\d+\/flags\/zz\/zz\.gif$/m);
      if (what !== 'download -v' && what !== 'download workers -v')
        assert.match(r.stderr, /\S/, `${what}: progress on stderr`);
    }
  } finally {
    await server.close();
  }
});

test('a run no server answered: exit 1, one error line, and the JSON says why in failure', async () => {
  const r = await runCli(['BR', '-s', 'http://127.0.0.1:1/flags', '--no-save', '--json']);
  assert.equal(r.code, 1);
  const doc = oneDocument(r.stdout, 'download');
  assert.match(String(doc['failure']), /^no server answered at http:\/\/127\.0\.0\.1:1\/flags \(refused\)/);
  assert.match(r.stderr, /^error: no server answered/);
});

test('--export-json writes the file while the text report stays on stdout; --quiet leaves only the result', async () => {
  const server = await startFlagServer({});
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-export-'));
  try {
    const file = path.join(dir, 'run.json');
    const r = await runCli(['BR', 'CN', '-s', server.url, '--no-save', '--export-json', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}2 flags downloaded\.$/m);
    assert.equal(oneDocument(await readFile(file, 'utf8'), 'export')['ok'], 2);
    const quiet = await runCli(['BR', '-s', server.url, '--no-save', '--quiet', '--export-json', file]);
    assert.equal(quiet.stderr, '', 'nothing but errors on stderr with --quiet');
    const md = path.join(dir, 'tune.md');
    const args = ['tune', 'BR', '-s', server.url, '--model', 'loop', '--budget', '1', '--repeat', '1'];
    const tune = await runCli([...args, '--no-progress', '--export-markdown', md]);
    assert.equal(tune.code, 0, tune.stderr);
    assert.equal(tune.stderr, `wrote ${md}\n`, 'no progress lines, the note of the file written');
    assert.match(await readFile(md, 'utf8'), /^# flagfetch tune/);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('bench and showcase documents: schema and kind, floats rounded to 3 decimals', async () => {
  const suite = await sampleBench('flagfetch bench');
  for (const [kind, doc] of [
    ['bench', benchJson([suite], 'bench')],
    ['showcase', benchJson([suite, suite], 'showcase')],
  ] as const) {
    const text = (await import('../src/commands/write-output.js')).jsonText(doc);
    const parsed = oneDocument(text, kind);
    if (kind === 'showcase') assert.equal(parsed['kind'], 'showcase');
    assert.doesNotMatch(text, /\d\.\d{4,}/, `${kind}: floats are rounded`);
  }
});
