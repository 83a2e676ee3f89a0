/**
 * Issue 9 items 7–9: a 200 that is not a GIF is never saved; every error reason comes from the
 * one vocabulary of src/download/reasons.ts, which the README's table lists; --names cuts a
 * long name on a grapheme boundary. Raw servers on 127.0.0.1 answer exactly the bytes given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createFlagClient } from '../src/download/client.js';
import { REASONS, isKnownReason, saveFailedReason } from '../src/download/reasons.js';
import { flagFileName, sanitiseName } from '../src/download/save.js';
import type { FetchSettings } from '../src/download/settings.js';
import { REPO_ROOT } from './helpers/shared-flags.js';
import { settingsFor } from './helpers/plans.js';

const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(300, 7), Buffer.from([0x3b])]);

/** An answer of a raw server: the exact bytes to send for a path (then the connection closes). */
type Raw = Buffer | string;

function http200(body: Buffer | string, headers: Record<string, string> = {}): Buffer {
  const b = Buffer.from(body);
  const lines = Object.entries({ ...headers, 'content-length': String(b.length), connection: 'close' });
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`), b]);
}

/** A TCP server on 127.0.0.1 answering each request by its path from `answers` (404 otherwise). */
async function rawServer(answers: Record<string, Raw>): Promise<{ base: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const target = /^GET (\S+) /.exec(head)?.[1] ?? '';
      head = '';
      socket.end(answers[target] ?? 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/flags`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function fetchAll(
  settings: FetchSettings,
  codes: string[],
): Promise<Map<string, { reason: string; detail: string; kind: string }>> {
  const client = createFlagClient(settings, 2);
  try {
    const out = new Map<string, { reason: string; detail: string; kind: string }>();
    for (const cc of codes) {
      const o = await client.fetchFlag(cc);
      out.set(cc, { reason: o.reason, detail: o.detail, kind: o.kind });
    }
    return out;
  } finally {
    await client.close();
  }
}

test('a 200 that is not a GIF is an error "not a GIF" and never saved; GIF87a/GIF89a with image/gif or no type are flags', async () => {
  const s = await rawServer({
    '/flags/aa/aa.gif': http200('<html>hello</html>', { 'content-type': 'text/html' }),
    '/flags/bb/bb.gif': http200(''),
    '/flags/cc/cc.gif': http200(gzipSync(GIF)),
    '/flags/dd/dd.gif': http200(GIF, { 'content-type': 'application/octet-stream' }),
    '/flags/ee/ee.gif': http200('<html>no type</html>'),
    '/flags/ff/ff.gif': http200('GIF8'),
    '/flags/gg/gg.gif': http200(GIF, { 'content-type': 'image/gif' }),
    '/flags/hh/hh.gif': http200(Buffer.concat([Buffer.from('GIF87a'), Buffer.alloc(10)])),
  });
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-gif-'));
  try {
    const codes = ['AA', 'BB', 'CC', 'DD', 'EE', 'FF', 'GG', 'HH'];
    for (const over of [{ dest }, { dest: null }]) {
      const got = await fetchAll(settingsFor(s.base, over), codes);
      for (const cc of ['AA', 'BB', 'CC', 'DD', 'EE', 'FF']) {
        assert.equal(got.get(cc)?.reason, 'not a GIF', `${cc}: ${JSON.stringify(got.get(cc))}`);
        assert.match(got.get(cc)?.detail ?? '', /^not a GIF: /);
      }
      assert.equal(got.get('GG')?.kind, 'ok');
      assert.equal(got.get('HH')?.kind, 'ok');
    }
    assert.deepEqual((await readdir(dest)).sort(), ['gg.gif', 'hh.gif']);
    // Downloads that are not flags turn the check off through the setting.
    const any = await fetchAll(settingsFor(s.base, { dest, gifOnly: false }), ['AA']);
    assert.equal(any.get('AA')?.kind, 'ok');
    assert.equal(await readFile(path.join(dest, 'aa.gif'), 'utf8'), '<html>hello</html>');
  } finally {
    await s.close();
    await rm(dest, { recursive: true, force: true });
  }
});

test('a GIF signature split across the first chunks is still read whole: a GIF is a flag, anything else is not', async () => {
  const bodies: Record<string, [Buffer, Buffer]> = {
    '/flags/aa/aa.gif': [Buffer.from('GI'), GIF.subarray(2)],
    '/flags/bb/bb.gif': [Buffer.from('GI'), Buffer.from('Fxxa and the rest')],
  };
  const server = net.createServer((socket) => {
    socket.once('data', (d: Buffer) => {
      const parts = bodies[/^GET (\S+) /.exec(d.toString('latin1'))?.[1] ?? ''];
      if (parts === undefined) return socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
      const length = parts[0].length + parts[1].length;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`);
      socket.write(parts[0]);
      // The rest a moment later, so that it reaches the client as a chunk of its own.
      setTimeout(() => socket.end(parts[1]), 30);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    const got = await fetchAll(settingsFor(`http://127.0.0.1:${port}/flags`), ['AA', 'BB']);
    assert.equal(got.get('AA')?.kind, 'ok', JSON.stringify(got.get('AA')));
    assert.equal(got.get('BB')?.reason, 'not a GIF');
    assert.match(got.get('BB')?.detail ?? '', /body starts with "GIFxxa"/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('reasons come from the vocabulary: null or invalid metadata, headers too large, 100 Continue before the 200', async () => {
  const huge = `x-big: ${'a'.repeat(70_000)}\r\n`;
  const s = await rawServer({
    '/flags/aa/metadata.json': http200('null', { 'content-type': 'application/json' }),
    '/flags/bb/metadata.json': http200('{"country": "Bra', { 'content-type': 'application/json' }),
    '/flags/cc/metadata.json': http200('{"iso_cc": "CC"}'),
    '/flags/dd/dd.gif': `HTTP/1.1 200 OK\r\n${huge}content-length: 0\r\n\r\n`,
    '/flags/ee/ee.gif': Buffer.concat([Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'), http200(GIF)]),
    '/flags/ff/ff.gif': 'HTTP/1.1 2OO OK\r\n\r\n',
  });
  try {
    const names = await fetchAll(settingsFor(s.base, { names: true }), ['AA', 'BB', 'CC']);
    for (const cc of ['AA', 'BB', 'CC']) assert.equal(names.get(cc)?.reason, 'bad metadata', cc);
    assert.equal(names.get('AA')?.detail, 'metadata.json has no country name');
    assert.equal(names.get('BB')?.detail, 'metadata.json is not valid JSON');
    const flags = await fetchAll(settingsFor(s.base), ['DD', 'EE', 'FF']);
    assert.equal(flags.get('DD')?.reason, 'bad response', JSON.stringify(flags.get('DD')));
    assert.equal(flags.get('EE')?.reason, 'bad response', JSON.stringify(flags.get('EE')));
    assert.equal(flags.get('FF')?.reason, 'bad response', JSON.stringify(flags.get('FF')));
    for (const o of [...names.values(), ...flags.values()]) {
      assert.ok(isKnownReason(o.reason), o.reason);
      assert.doesNotMatch(o.detail, /Cannot read|undefined|null \(/);
    }
  } finally {
    await s.close();
  }
});

test('the vocabulary: values filled in belong to it, anything else does not; save failures name their cause', () => {
  for (const r of ['http 503', 'timeout', 'not a GIF', 'save failed: no space left on device (ENOSPC)']) {
    assert.ok(isKnownReason(r), r);
  }
  for (const r of ['und_err_headers_overflow', 'http NNN', 'save failed: CAUSE (CODE)', 'Cannot read properties']) {
    assert.ok(!isKnownReason(r), r);
  }
  const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/x'"), { code: 'ENOSPC' });
  assert.equal(saveFailedReason(enospc), 'save failed: no space left on device (ENOSPC)');
  assert.equal(saveFailedReason(new Error('odd')), 'save failed: i/o error (EIO)');
});

test("the README's table of error reasons lists exactly the vocabulary", async () => {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### Error reasons$/m)[1]?.split(/^#/m)[0] ?? '';
  const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), Object.keys(REASONS).sort());
});

test('--names: a long name is cut on a grapheme boundary, never inside a character', () => {
  const astral = 'a'.repeat(79) + '𝔸𝔹';
  const cut = sanitiseName(astral);
  assert.ok(wellFormed(cut), 'no lone surrogate');
  assert.equal(cut, 'a'.repeat(79));
  const name = flagFileName('BR', '𝔸'.repeat(60));
  assert.ok(wellFormed(name));
  assert.equal(name, `${'𝔸'.repeat(40)}-BR.gif`);
  assert.ok(!name.includes('\uFFFD'));
});

/** No lone surrogate (String.prototype.isWellFormed, without the es2024 lib). */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

test('--timeout bounds the whole attempt, connect to last byte: a server dribbling its body is cut off', async () => {
  const written: number[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      const body = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(54, 1)]);
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: image/gif\r\ncontent-length: ${body.length}\r\n\r\n`);
      let sent = 0;
      // One byte every 50 ms: each wait is short (undici's own timeouts never fire), the whole is 3 s.
      const dribble = setInterval(() => {
        if (sent === body.length) return clearInterval(dribble);
        socket.write(body.subarray(sent, sent + 1));
        sent += 1;
      }, 50);
      socket.once('close', () => {
        clearInterval(dribble);
        written.push(sent);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const client = createFlagClient(settingsFor(`http://127.0.0.1:${port}/flags`, { timeoutMs: 400 }), 1);
  try {
    const o = await client.fetchFlag('BR');
    assert.equal(o.kind, 'timeout', `${o.reason} ${o.detail}`);
    assert.equal(o.detail, 'timeout after 400 ms');
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(written.length, 1);
  assert.ok((written[0] ?? 60) < 60, `the client hung up before the body was whole (${written[0]} of 60 bytes sent)`);
});
