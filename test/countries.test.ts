import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CODES, POP20, everyCode, expandCodeArgs, selectCodes } from '../src/countries.js';
import { UsageError } from '../src/errors.js';

test('the code lists of the original', () => {
  assert.equal(ALL_CODES.length, 194);
  assert.deepEqual([ALL_CODES[0], ALL_CODES.at(-1)], ['AD', 'ZW']);
  assert.deepEqual([...ALL_CODES].sort(), ALL_CODES);
  assert.equal(POP20.length, 20);
  assert.ok(POP20.every((cc) => ALL_CODES.includes(cc)));
  const every = everyCode();
  assert.equal(every.length, 676);
  assert.equal(new Set(every).size, 676);
  assert.deepEqual([every[0], every[1], every.at(-1)], ['AA', 'AB', 'ZZ']);
});

test('CC arguments: case-insensitive, one letter expands to 26, de-duplicated and sorted', () => {
  assert.deepEqual(expandCodeArgs(['br', 'CN', 'Br']), ['BR', 'CN']);
  const b = expandCodeArgs(['b', 'BR', 'ar']);
  assert.equal(b.length, 27);
  assert.deepEqual(b.slice(0, 3), ['AR', 'BA', 'BB']);
});

test('bad CC arguments are usage errors naming the argument', () => {
  for (const bad of ['12', 'ABC', '../x', 'b@', '', 'é']) {
    assert.throws(
      () => expandCodeArgs([bad]),
      (err: unknown) => err instanceof UsageError && err.message.includes('invalid country code'),
      bad,
    );
  }
});

test('selection: every > all > args > POP20, then the limit', () => {
  assert.deepEqual(selectCodes({ args: [], all: false, every: false }), [...POP20].sort());
  assert.equal(selectCodes({ args: [], all: true, every: false }).length, 194);
  assert.equal(selectCodes({ args: ['br'], all: false, every: true }).length, 676);
  assert.deepEqual(selectCodes({ args: [], all: true, every: false, limit: 3 }), ['AD', 'AE', 'AF']);
  assert.deepEqual(selectCodes({ args: ['zz', 'aa'], all: false, every: false }), ['AA', 'ZZ']);
});
