import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ensureServer } from '../src/server/ensure-server.js';
import { startFlagServer } from '../src/server/index.js';
import { runPlan } from '../src/models/index.js';
import { POP20 } from '../src/countries.js';
import { UsageError } from '../src/errors.js';
import { planFor, settingsFor } from './helpers/plans.js';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('--tls with an embedded label: the servers start over HTTPS and the client trusts their CA, h1 and h2', async () => {
  const port = await freePort();
  const url = `https://localhost:${port}/flags`;
  const said: string[] = [];
  const server = await ensureServer({ label: 'LOCAL', url }, true, (l) => said.push(l), true);
  try {
    assert.match(said.join('\n'), /started the embedded LOCAL server over HTTPS/);
    assert.match(server.caPem ?? '', /-----BEGIN CERTIFICATE-----/);
    for (const protocol of ['h1', 'h2'] as const) {
      const fetch = settingsFor(url, { caPem: server.caPem, protocol });
      const r = await runPlan(planFor('workers', POP20, url, { maxReq: 10, workers: 2, fetch }));
      assert.deepEqual([r.counters.ok, r.counters.errors, r.protocol], [20, 0, protocol], protocol);
    }
  } finally {
    await server.stop();
  }
});

test('--tls when a plain server already listens on the port: a usage error saying so', async () => {
  const plain = await startFlagServer({});
  try {
    const url = `https://127.0.0.1:${plain.port}/flags`;
    await assert.rejects(
      ensureServer({ label: 'DELAY', url }, true, () => undefined, true),
      (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /^something listens on 127\.0\.0\.1:\d+ without TLS \(DELAY\): stop it/);
        return true;
      },
    );
  } finally {
    await plain.close();
  }
});
