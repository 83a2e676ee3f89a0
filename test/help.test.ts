import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, runCli } from './helpers/run-cli.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('--version and -V print the package version alone, as the full command line does with other flags', async () => {
  for (const args of [['--version'], ['-V'], ['--version', '--help'], ['-a', '--version']]) {
    const r = await runCli(args);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${VERSION}\n`, ''], args.join(' '));
  }
});

test('--version into a reader that has gone: exit 141, nothing on stderr', async () => {
  const child = spawn(process.execPath, [CLI, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.ok(code === 141 || code === 0, `exit ${String(code)}`);
});

test('flagfetch --help says download is the default command and shows its options', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Without a command, flagfetch runs download \(the default\)/);
  assert.match(r.stdout, /Usage: flagfetch download \[options\] \[CC\.\.\.\]/);
  assert.match(r.stdout, /-m, --max-req <N> +requests in flight in total, across all workers\s+\(default: 100\)/);
});

test("flagfetch -a -h shows download's help, not the program's", async () => {
  for (const args of [
    ['-a', '-h'],
    ['BR', '--help'],
    ['-e', '-s', 'DELAY', '-h'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^Usage: flagfetch download /, args.join(' '));
  }
  assert.match((await runCli(['-h'])).stdout, /^Usage: flagfetch \[options\] \[command\]/);
  assert.match((await runCli(['bench', '-h'])).stdout, /^Usage: flagfetch bench /);
});

test('every help shows defaults one way, (default: 100), with numbers and words unquoted', async () => {
  for (const command of ['download', 'serve', 'bench', 'tune', 'showcase']) {
    const r = await runCli([command, '--help']);
    assert.equal(r.code, 0, command);
    const text = r.stdout.replace(/\s+/g, ' ');
    assert.doesNotMatch(text, /\(default: "/, `${command}: a quoted default`);
    assert.doesNotMatch(text, /\(default [^:]/, `${command}: a default without its colon`);
    assert.match(text, /\(default: [^)"]+\)/, `${command}: defaults are shown`);
  }
});

test('every command the program lists takes -h as its own, and a near miss of it is suggested', async () => {
  const listing = (await runCli(['--help'])).stdout.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  const names = listing
    .split('\n')
    .filter((line) => /^ {2}\S/.test(line))
    .map((line) => line.trim().split(' ')[0] ?? '');
  assert.ok(names.includes('download') && names.includes('help') && names.length >= 6, names.join(' '));
  for (const name of names) {
    const own = await runCli([name, '-h']);
    const usage = name === 'help' ? 'Usage: flagfetch [options] [command]' : `Usage: flagfetch ${name} `;
    assert.equal(own.code, 0, name);
    assert.ok(own.stdout.startsWith(usage), `${name} -h: ${own.stdout.slice(0, 60)}`);
    const typo = await runCli([`${name}x`]);
    assert.equal(typo.code, 2, `${name}x`);
    assert.match(typo.stderr, new RegExp(`^error: unknown command '${name}x' \\(did you mean ${name}\\?\\)`), name);
  }
});
