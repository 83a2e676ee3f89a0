import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Deadline, Deadlines, type DeadlineExpired } from '../src/download/deadline.js';

// --timeout's clock: every attempt of a client on one queue and one timer (real timers).

test('deadlines expire in the order they opened, never before their time; closed ones never', async () => {
  const queue = new Deadlines(40);
  const expired: { name: string; afterMs: number; detail: string }[] = [];
  const opened = performance.now();
  const done = new Promise<void>((resolve) => {
    const open = (name: string): Deadline => {
      const d = new Deadline(queue);
      d.start((err: DeadlineExpired) => {
        expired.push({ name, afterMs: performance.now() - opened, detail: err.failure.detail });
        if (expired.length === 2) resolve();
      });
      return d;
    };
    open('a');
    open('b').pause();
    open('c');
  });
  await done;
  assert.deepEqual(
    expired.map((e) => e.name),
    ['a', 'c'],
  );
  for (const e of expired) assert.ok(e.afterMs >= 40, `${e.name} expired after ${e.afterMs} ms`);
  assert.equal(expired[0]?.detail, 'timeout after 40 ms');
  assert.equal(queue.waiting, false, 'nothing open: no timer left to hold the process');
});

test('a fresh attempt (arm) gets a fresh clock; a closed queue holds no timer', async () => {
  const queue = new Deadlines(30);
  const d = new Deadline(queue);
  let expiredAt = 0;
  const rearmed = performance.now();
  const done = new Promise<void>((resolve) => {
    d.start(() => {
      expiredAt = performance.now();
      resolve();
    });
  });
  d.arm();
  await done;
  assert.ok(expiredAt - rearmed >= 30);
  d.pause();
  assert.equal(queue.waiting, false);
  const e = new Deadline(queue);
  e.start(() => assert.fail('closed before its time'));
  assert.equal(queue.waiting, true);
  e.pause();
  assert.equal(queue.waiting, false);
});

test('a slow attempt ahead of thousands of quick ones keeps the queue small', () => {
  const queue = new Deadlines(60_000);
  const slow = new Deadline(queue);
  slow.start(() => undefined);
  for (let i = 0; i < 10_000; i += 1) {
    const quick = new Deadline(queue);
    quick.start(() => undefined);
    quick.pause();
  }
  assert.ok(queue.held <= 2 + 64, `held ${queue.held}`);
  slow.pause();
  assert.equal(queue.held, 0);
  assert.equal(queue.waiting, false);
});
