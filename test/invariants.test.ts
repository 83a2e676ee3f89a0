import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_CODES } from '../src/countries.js';
import { runPlan } from '../src/models/index.js';
import { MODEL_NAMES } from '../src/models/types.js';
import { FAULT_KINDS, startFlagServer, syntheticContent } from '../src/server/index.js';
import { countsAddUp } from '../src/stats/counters.js';
import { planFor, settingsFor } from './helpers/plans.js';

test('under every fault at once, with retries: counts add up, saved files are whole and identical, no temp file', async () => {
  const content = syntheticContent();
  const server = await startFlagServer({
    seed: 11,
    faults: FAULT_KINDS.map((kind) => ({ kind, rate: kind === 'jitter' ? 0.2 : 0.04 })),
  });
  try {
    for (const model of MODEL_NAMES) {
      const dest = await mkdtemp(path.join(tmpdir(), `flagfetch-faults-${model}-`));
      try {
        const codes = model === 'sequential' ? ALL_CODES.slice(0, 30) : ALL_CODES;
        const fetch = settingsFor(server.url, { dest, retries: 2, timeoutMs: 400 });
        const r = await runPlan({ ...planFor(model, codes, server.url, { maxReq: 16, workers: 2 }), fetch });
        assert.ok(countsAddUp(r.counters), `${model}: ${JSON.stringify(r.counters)}`);
        assert.equal(r.counters.total, codes.length, model);
        for (const w of r.perWorker) assert.ok(countsAddUp(w.counters), model);
        assert.ok(
          r.counters.ok > codes.length * 0.8,
          `${model}: retries should recover most faults: ${JSON.stringify(r.counters)}`,
        );
        const files = await readdir(dest);
        assert.equal(files.length, r.counters.ok, `${model}: one file per flag downloaded`);
        for (const f of files) {
          assert.match(f, /^[a-z]{2}\.gif$/, model);
          assert.deepEqual(
            await readFile(path.join(dest, f)),
            content.get(`/flags/${f.slice(0, 2)}/${f}`)?.body,
            `${model} ${f}`,
          );
        }
        for (const reason of Object.keys(r.counters.errorsByReason))
          assert.match(reason, /^(http 5\d\d|http 429|timeout|reset|truncated)$/, model);
      } finally {
        await rm(dest, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
});

test('without retries every fault shows up as an error with its reason, never as a saved file', async () => {
  const server = await startFlagServer({
    seed: 5,
    faults: [
      { kind: 'reset', rate: 0.2 },
      { kind: 'truncate', rate: 0.2 },
      { kind: 'stall', rate: 0.1 },
      { kind: 'status', rate: 0.2 },
    ],
  });
  const refusing = await startFlagServer({ errorRate: 1, seed: 1 });
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-faults-'));
  try {
    const fetch = settingsFor(server.url, { dest, timeoutMs: 300 });
    const r = await runPlan({ ...planFor('workers', ALL_CODES, server.url, { maxReq: 40, workers: 2 }), fetch });
    assert.ok(countsAddUp(r.counters));
    const reasons = Object.keys(r.counters.errorsByReason);
    // A reset mid-body and a close mid-body look the same to the client: a body shorter than its Content-Length.
    for (const expected of ['truncated', 'timeout'])
      assert.ok(reasons.includes(expected), `${expected} missing from ${reasons.join(', ')}`);
    assert.ok(
      reasons.some((x) => /^http (5\d\d|429)$/.test(x)),
      reasons.join(', '),
    );
    assert.equal((await readdir(dest)).length, r.counters.ok);
    const closed = await runPlan({
      ...planFor('loop', ALL_CODES.slice(0, 5), refusing.url),
      fetch: settingsFor(refusing.url, { dest }),
    });
    assert.equal(closed.counters.errors, 5);
  } finally {
    await refusing.close();
    await server.close();
    await rm(dest, { recursive: true, force: true });
  }
});
