/**
 * Issue 9, input and time: contradictory options, an empty host, redirect targets named in
 * failures, output paths checked before the first run, and runs where nothing answers
 * (exit 1). Each runs the built CLI against real servers on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';

/** A port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('contradictory options are a usage error naming both; defaults never contradict', async () => {
  const cases: [string[], RegExp][] = [
    [['-a', '-e'], /^error: -a\/--all and -e\/--every contradict each other/],
    [['-m', '5', '--max_req', '10'], /^error: -m\/--max-req and --max_req are the same option given twice/],
    [['--split', 'static', '--model', 'loop'], /^error: --split applies to the workers model only, not --model loop/],
    [
      ['-w', '2', '--model', 'sequential'],
      /^error: -w\/--workers applies to the threads and workers models only, not --model sequential/,
    ],
    [
      ['--split', 'static', '--model', 'threads'],
      /^error: --split applies to the workers model only, not --model threads/,
    ],
    [['-w', '2', '--model', 'loop'], /^error: -w\/--workers .* not --model loop/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli([...args, '--no-save', '-s', 'http://127.0.0.1:9/flags']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  // --split's and --model's defaults do not contradict --model loop or -w.
  const port = await closedPort();
  for (const args of [
    ['--model', 'loop'],
    ['-w', '2'],
    ['-w', '2', '--model', 'threads'],
    ['--split', 'static'],
  ]) {
    const r = await runCli([...args, 'BR', '--no-save', '-s', `http://127.0.0.1:${port}/flags`]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('-s with an empty host is a usage error, at once', async () => {
  for (const url of ['http:///flags', 'http:/flags', 'https://']) {
    const r = await runCli(['BR', '--no-save', '-s', url], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, `${url}: ${r.stderr}`);
    assert.match(r.stderr, /^error: server URL '.*' has no host/);
  }
});

test('after a redirect, a failure names the redirect target, not the server that redirected', async () => {
  const port = await closedPort();
  const server = http.createServer((req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${port}/moved${req.url ?? ''}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;
  try {
    const base = `http://127.0.0.1:${own}/flags`;
    const r = await runCli(['BR', '-v', '--no-save', '--model', 'loop', '--follow-redirects', 'any', '-s', base]);
    assert.match(
      r.stdout,
      new RegExp(
        `^BR error: connection refused \\(ECONNREFUSED\\) at http://127\\.0\\.0\\.1:${port}/moved/flags/br/br\\.gif \\(after a redirect\\)$`,
        'm',
      ),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a redirect to another origin, whose first answer is a 503: followed and retried in a pool thread', async () => {
  const gif = Buffer.from('GIF89a-flag-bytes');
  let tries = 0;
  const other = http.createServer((req, res) => {
    tries += 1;
    if (tries === 1) res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'image/gif' }).end(gif);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port: otherPort } = other.address() as net.AddressInfo;
  const first = http.createServer((req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/elsewhere${req.url ?? ''}` }).end();
  });
  await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
  const { port } = first.address() as net.AddressInfo;
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-redirect-'));
  try {
    const base = `http://127.0.0.1:${port}/flags`;
    const r = await runCli(['BR', '-w', '1', '--retries', '1', '--follow-redirects', 'any', '-s', base, '-o', dest]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ *1 flag downloaded\.$/m);
    assert.equal(tries, 2, 'the 503 was retried at the other origin');
  } finally {
    await new Promise((resolve) => first.close(resolve));
    await new Promise((resolve) => other.close(resolve));
    await rm(dest, { recursive: true, force: true });
  }
});

test('a server that accepts but never answers: every request times out, "no server answered", exit 1', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const r = await runCli([
      'BR',
      'CN',
      '--no-save',
      '--model',
      'loop',
      '--timeout',
      '300',
      '-s',
      `http://127.0.0.1:${port}/flags`,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: no server answered at http:\/\/127\.0\.0\.1:\d+\/flags \(timeout\)/m);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('download, bench and showcase check their output paths before the first run: empty, a folder, unwritable', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-out-'));
  // bench's server is never asked: the check comes before any run.
  const bench = ['bench', '-s', 'http://127.0.0.1:9/flags'];
  try {
    const cases: [string[], RegExp][] = [
      [['showcase', '--export-html', ''], /^error: --export-html '' is empty/],
      [['showcase', '--export-html', dir], /^error: --export-html .* is a folder/],
      [
        [...bench, '--export-json', path.join(dir, 'missing', 'b.json')],
        /^error: --export-json .*folder .* does not exist/,
      ],
      [['BR', '--export-json', dir], /^error: --export-json .* is a folder/],
    ];
    if (existsSync('/proc/self')) {
      cases.push([
        [...bench, '--export-csv', '/proc/flagfetch.csv'],
        /^error: --export-csv \/proc\/flagfetch\.csv: cannot write in \/proc/,
      ]);
    }
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(
  'tune against a server that never answers ends with exit 1, not a silent "No recommendation"',
  { timeout: 60_000 },
  async () => {
    const port = await closedPort();
    const r = await runCli([
      'tune',
      '-s',
      `http://127.0.0.1:${port}/flags`,
      '--budget',
      '1',
      '-l',
      '3',
      '--repeat',
      '1',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /No recommendation/);
    assert.match(r.stderr, /^error: every run failed: no server answered at http:\/\/127\.0\.0\.1:\d+\/flags/m);
  },
);
