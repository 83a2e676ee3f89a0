import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFlagClient } from '../src/download/client.js';
import { runPlan } from '../src/models/index.js';
import { startFlagServer } from '../src/server/index.js';
import type { FetchSettings } from '../src/download/settings.js';
import { ALL_CODES } from '../src/countries.js';
import { planFor } from './helpers/plans.js';

/** A real server on 127.0.0.1 that counts TCP connections and requests, answering after `delayMs`. */
async function countingServer(
  delayMs = 0,
  port = 0,
): Promise<{ base: string; connections(): number; requests(): number; peak(): number; close(): Promise<void> }> {
  let connections = 0;
  let requests = 0;
  let inFlight = 0;
  let peak = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(200, { 'content-type': 'image/gif' }).end('GIF89a;');
    }, delayMs);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${bound}/flags`,
    connections: () => connections,
    requests: () => requests,
    peak: () => peak,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function settings(base: string): FetchSettings {
  return {
    baseUrl: base,
    timeoutMs: 2000,
    retries: 0,
    maxBytes: 1_000_000,
    followRedirects: 'same-origin',
    dest: null,
    names: false,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
}

test('connect(n) opens n connections before any request, and the requests that follow reuse them', async () => {
  const s = await countingServer();
  const client = createFlagClient(settings(s.base), 4);
  try {
    assert.equal(await client.connect(4), 4);
    await until(() => s.connections() === 4);
    assert.equal(s.connections(), 4);
    assert.equal(s.requests(), 0);
    const codes = ALL_CODES.slice(0, 40);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < codes.length) assert.equal((await client.fetchFlag(codes[next++] ?? 'BR')).kind, 'ok');
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    assert.equal(s.requests(), 40);
    assert.equal(s.connections(), 4, 'no connection beyond the four opened ahead');
  } finally {
    await client.close();
    await s.close();
  }
});

test('a client never has more requests in flight than connections: the others wait their turn', async () => {
  const s = await countingServer(30);
  const client = createFlagClient(settings(s.base), 2);
  try {
    const outcomes = await Promise.all(ALL_CODES.slice(0, 7).map((cc) => client.fetchFlag(cc)));
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      Array(7).fill('ok'),
    );
    assert.equal(s.peak(), 2);
    assert.equal(s.connections(), 2);
  } finally {
    await client.close();
    await s.close();
  }
});

test('connect(n) where nothing listens opens none, and the requests still report the refusal', async () => {
  const s = await countingServer();
  const base = s.base;
  await s.close();
  const client = createFlagClient(settings(base), 3);
  try {
    assert.equal(await client.connect(3), 0);
    const o = await client.fetchFlag('BR');
    assert.equal(o.kind, 'network');
    assert.equal(o.reason, 'refused');
  } finally {
    await client.close();
  }
});

test('when not one connection could open at start-up, requests fail at once with that error: the wait is not paid twice', async () => {
  const closed = await countingServer();
  const base = closed.base;
  await closed.close();
  const client = createFlagClient(settings(base), 3);
  try {
    assert.equal(await client.connect(3), 0);
    // A server appears on the port after start-up: the run does not connect again.
    const late = await countingServer(0, Number(new URL(base).port));
    try {
      const o = await client.fetchFlag('BR');
      assert.equal(o.reason, 'refused');
      assert.equal(late.connections(), 0);
    } finally {
      await late.close();
    }
  } finally {
    await client.close();
  }
});

test('loop and workers open their connections before the clock and report it as start-up', async () => {
  const server = await startFlagServer({});
  try {
    for (const model of ['loop', 'workers'] as const) {
      const r = await runPlan(planFor(model, ALL_CODES.slice(0, 20), server.url, { maxReq: 6, workers: 2 }));
      assert.equal(r.counters.ok, 20, model);
      assert.ok(r.startupMs > 0, `${model} start-up ${r.startupMs}`);
    }
  } finally {
    await server.close();
  }
});
