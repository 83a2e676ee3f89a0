import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, resolveOptions, resolveServer } from '../src/options.js';
import { UsageError } from '../src/errors.js';
import { evenShares, shareRanges } from '../src/models/shares.js';

const usageError = (fragment: string) => (err: unknown) => err instanceof UsageError && err.message.includes(fragment);

test('defaults: POP20, workers model, LOCAL, ./downloads, 100 in flight', () => {
  const o = resolveOptions([], {});
  assert.equal(o.codes.length, 20);
  assert.equal(o.model, 'workers');
  assert.equal(o.maxReq, 100);
  assert.equal(o.workers, DEFAULTS.workers);
  assert.equal(o.split, 'dynamic');
  assert.deepEqual(o.server, { label: 'LOCAL', url: 'http://localhost:8001/flags' });
  assert.equal(o.fetch.dest, './downloads');
  assert.equal(o.fetch.baseUrl, o.server.url);
  assert.equal(o.embedded, true);
});

test('labels are case-insensitive; URLs lose their trailing slash', () => {
  assert.equal(resolveServer('delay').url, 'http://localhost:8002/flags');
  assert.equal(resolveServer('Error').label, 'ERROR');
  assert.deepEqual(resolveServer('http://127.0.0.1:9000/flags/'), { label: 'URL', url: 'http://127.0.0.1:9000/flags' });
});

test('bad values are one-line usage errors naming the flag', () => {
  const cases: Array<[Record<string, string | boolean>, string]> = [
    [{ maxReq: '0' }, '--max-req'],
    [{ maxReq: '-3' }, '--max-req'],
    [{ maxReq: 'abc' }, '--max-req'],
    [{ maxReq: '1.5' }, '--max-req'],
    [{ workers: '0' }, '--workers'],
    [{ workers: '100000' }, '--workers'],
    [{ limit: '0' }, '--limit'],
    [{ repeat: '0' }, '--repeat'],
    [{ model: 'fibers' }, '--model'],
    [{ split: 'random' }, '--split'],
    [{ timeout: '0' }, '--timeout'],
    [{ server: 'PROD' }, 'unknown server'],
    [{ server: 'ftp://127.0.0.1/flags' }, 'not http'],
    [{ server: 'http://' }, 'has no host'],
    [{ server: 'http:///flags' }, 'has no host'],
    [{ server: 'http://[::1/flags' }, 'malformed'],
    [{ server: 'http://127.0.0.1:9000/flags?x=1' }, 'plain base URL'],
  ];
  for (const [raw, fragment] of cases) {
    assert.throws(() => resolveOptions([], raw), usageError(fragment), JSON.stringify(raw));
  }
  for (const [raw] of cases) {
    try {
      resolveOptions([], raw);
    } catch (err) {
      assert.ok(!(err as Error).message.includes('\n'), 'one line');
    }
  }
});

test('--no-save means no destination', () => {
  assert.equal(resolveOptions([], { save: false }).fetch.dest, null);
});

test('even shares add back up and differ by at most one', () => {
  for (const total of [0, 1, 7, 100, 194, 1001]) {
    for (const parts of [1, 2, 3, 7, 16]) {
      const shares = evenShares(total, parts);
      assert.equal(shares.length, parts);
      assert.equal(
        shares.reduce((a, b) => a + b, 0),
        total,
      );
      assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
      const ranges = shareRanges(total, parts);
      assert.equal(ranges[0]?.[0], 0);
      assert.equal(ranges.at(-1)?.[1], total);
      ranges.slice(1).forEach((r, i) => assert.equal(r[0], ranges[i]?.[1]));
    }
  }
});
