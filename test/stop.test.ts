import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { watchStop } from '../src/download/stop.js';

// The grace timer is unref'd (it never holds a process open): hold this one open while waiting.
async function aborted(signal: AbortSignal): Promise<void> {
  const hold = setInterval(() => undefined, 1000);
  try {
    await once(signal, 'abort');
  } finally {
    clearInterval(hold);
  }
}

test('watchStop: soft at once, hard (signal and callback) after the grace period, in that order', async () => {
  const soft = new AbortController();
  const seen: string[] = [];
  const stop = watchStop(soft.signal, {
    onSoft: () => seen.push('soft'),
    onHard: () => seen.push('hard'),
    graceMs: 20,
  });
  assert.deepEqual(seen, []);
  soft.abort();
  assert.deepEqual(seen, ['soft']);
  assert.equal(stop.hard.aborted, false);
  await aborted(stop.hard);
  assert.deepEqual(seen, ['soft', 'hard']);
  stop.dispose();
});

test('watchStop: an already aborted signal starts the grace at once; dispose() cancels the hard stop', async () => {
  const soft = new AbortController();
  soft.abort();
  let hard = 0;
  const stop = watchStop(soft.signal, { onHard: () => (hard += 1), graceMs: 10 });
  stop.dispose();
  // A later stop watch with the same grace fires; the disposed one never does.
  const later = watchStop(soft.signal, { graceMs: 30 });
  await aborted(later.hard);
  assert.equal(hard, 0);
  assert.equal(stop.hard.aborted, false);
  later.dispose();
});

test('watchStop: no signal, nothing ever happens', () => {
  const stop = watchStop(undefined, { onSoft: () => assert.fail('soft'), onHard: () => assert.fail('hard') });
  assert.equal(stop.hard.aborted, false);
  stop.dispose();
});
