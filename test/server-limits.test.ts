import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { defaultLimits } from '../src/server/limits.js';
import { withServer } from './helpers/flag-server.js';

/** A raw socket: what it received, and a promise of its close. */
function rawSocket(
  port: number,
  send = '',
): { socket: net.Socket; received: () => string; closed: Promise<void>; connected: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (send !== '') void connected.then(() => socket.write(send));
  return {
    socket,
    received: () => text,
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
    connected,
  };
}

/** GET over a keep-alive agent; resolves with the status. */
function getWith(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

test(
  'a silent socket and one sending its headers a byte at a time get 408 at the headers deadline; a body dribbled past the request deadline is cut',
  { timeout: 20_000 },
  async () => {
    await withServer({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } }, async (s) => {
      const silent = rawSocket(s.port);
      const slow = rawSocket(s.port);
      const body = rawSocket(s.port, 'POST /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
      await Promise.all([slow.connected, body.connected]);
      const request = 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nX-Pad: ' + 'a'.repeat(500);
      let i = 0;
      const dribble = setInterval(() => {
        slow.socket.write(request[i++ % request.length] ?? 'a');
        body.socket.write('a');
      }, 20);
      try {
        await Promise.all([silent.closed, slow.closed, body.closed]);
      } finally {
        clearInterval(dribble);
      }
      assert.match(silent.received(), /^HTTP\/1\.1 408 /);
      assert.match(slow.received(), /^HTTP\/1\.1 408 /);
      assert.match(
        body.received(),
        /^HTTP\/1\.1 405 /,
        'answered at its headers, then cut while its body still dribbled',
      );
      // The server counts a connection closed when its own socket closes, a moment after the client's.
      while (s.stats.openConnections > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    });
  },
);

test('an idle keep-alive connection is closed after the idle timeout', { timeout: 20_000 }, async () => {
  await withServer({ limits: { idleTimeoutMs: 200 } }, async (s) => {
    const c = rawSocket(s.port, 'GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 200 /);
  });
});

test(
  'with the connection cap reached, new connections are refused and the open ones keep working',
  { timeout: 20_000 },
  async () => {
    await withServer({ limits: { maxConnections: 3 } }, async (s) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        assert.equal(await getWith(agent, `${s.url}/br/br.gif`), 200);
        const silent = [rawSocket(s.port), rawSocket(s.port)];
        await Promise.all(silent.map((x) => x.connected));
        const refused = rawSocket(s.port, 'GET /flags/cn/cn.gif HTTP/1.1\r\nHost: x\r\n\r\n');
        await refused.closed;
        assert.equal(refused.received(), '', 'a refused connection gets no answer');
        assert.equal(s.stats.refusedConnections, 1);
        assert.equal(await getWith(agent, `${s.url}/cn/cn.gif`), 200, 'the client already connected is still served');
        for (const x of silent) x.socket.destroy();
        await Promise.all(silent.map((x) => x.closed));
        while (s.stats.openConnections > 1) await new Promise((resolve) => setTimeout(resolve, 10));
        const after = rawSocket(s.port, 'GET /flags/in/in.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        await after.closed;
        assert.match(after.received(), /^HTTP\/1\.1 200 /, 'once connections close, new ones are served again');
        assert.equal(s.stats.peakOpenConnections, 3);
      } finally {
        agent.destroy();
      }
    });
  },
);

test('the listen backlog is 4096, capped by the kernel (ss shows it)', async (t) => {
  let ss: string;
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
  } catch {
    t.skip('ss (iproute2) is not installed');
    return;
  }
  assert.equal(defaultLimits().backlog, 4096);
  await withServer({}, (s) => {
    ss = execFileSync('ss', ['-ltnH', `sport = :${s.port}`], { encoding: 'utf8' });
    const backlog = Number(ss.trim().split(/\s+/)[2]);
    const somaxconn = Number(execFileSync('cat', ['/proc/sys/net/core/somaxconn'], { encoding: 'utf8' }).trim());
    assert.equal(backlog, Math.min(4096, somaxconn), ss);
    return Promise.resolve();
  });
});

test('the default connection cap fits the descriptors this process may open', () => {
  const cap = defaultLimits().maxConnections;
  assert.ok(cap >= 16 && cap <= 10_000, String(cap));
});
