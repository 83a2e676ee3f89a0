import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunFailure, UsageError } from '../src/errors.js';

test('user errors are recognised across copies of errors.js (the CLI bundle has its own copy)', async () => {
  // A second instance of the module, as the bundle's copy is to the one the commands import.
  const copy = (await import(`../src/errors.js?copy=${Date.now()}`)) as typeof import('../src/errors.js');
  assert.notEqual(copy.UsageError, UsageError);
  assert.ok(new copy.UsageError('bad flag') instanceof UsageError);
  assert.ok(new copy.RunFailure('no server') instanceof RunFailure);
  assert.ok(!(new copy.UsageError('bad flag') instanceof RunFailure));
  assert.ok(!(new Error('bug') instanceof UsageError));
  assert.ok(!((null as unknown as object) instanceof UsageError));
  assert.equal(new copy.UsageError('x').exitCode, 2);
});
