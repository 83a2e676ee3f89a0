import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileNamesFor, fillTemplate, isTemplate, templateWork, urlListWork } from '../src/targets/url-list.js';
import { UsageError } from '../src/errors.js';
import { resolveOptions } from '../src/options.js';

test('a URL list: one URL a line, blank lines and # comments skipped, the same URL once, order kept', () => {
  const w = urlListWork(
    '# flags\nhttp://a:1/x/br.gif\n\n  https://b:2/y/BR.GIF  \nhttp://a:1/x/br.gif\n# end\n',
    'list.txt',
  );
  assert.deepEqual(w.keys, ['http://a:1/x/br.gif', 'https://b:2/y/BR.GIF']);
  assert.deepEqual(w.targets['https://b:2/y/BR.GIF'], { url: 'https://b:2/y/BR.GIF', file: 'BR-2.GIF' });
});

test('a bad URL list line is a usage error naming the file and the line', () => {
  assert.throws(
    () => urlListWork('http://a/x.gif\nftp://a/y.gif\n', 'l.txt'),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^--urls l\.txt line 2: 'ftp:\/\/a\/y\.gif' is not http or https/);
      return true;
    },
  );
  assert.throws(() => urlListWork('br.gif\n', 'l.txt'), /line 1: 'br\.gif' is not a URL/);
  assert.throws(() => urlListWork('http://u:p@a/x\n', 'l.txt'), /holds credentials/);
  assert.throws(() => urlListWork('# nothing\n\n', 'l.txt'), /lists no URL/);
});

test('file names from URL paths: sanitised, never a separator or .., de-duplicated case-insensitively', () => {
  const names = fileNamesFor([
    'http://h/a/br.gif',
    'http://h/b/br.gif',
    'http://h/c/BR.gif',
    'http://h/..%2F..%2Fetc%2Fpasswd',
    'http://h/%2e%2e',
    'http://h/',
    'http://h/dir/',
    'http://h/a%00b%5Cc.png?size=2',
    'http://h/.hidden',
    `http://h/${'x'.repeat(300)}.png`,
  ]);
  assert.deepEqual(names.slice(0, 8), [
    'br.gif',
    'br-2.gif',
    'BR-3.gif',
    'etcpasswd',
    'index',
    'index-2',
    'dir',
    'abc.png',
  ]);
  assert.equal(names[8], 'hidden');
  assert.equal(names[9]?.length, 120);
  assert.ok(names[9]?.endsWith('.png'));
  for (const n of names) assert.ok(!n.includes('/') && !n.includes('\\') && n !== '..' && !n.startsWith('.'), n);
});

test('a template: {cc} lower case, {CC} upper case; keys are the codes, names from the path', () => {
  assert.ok(isTemplate('http://h/{cc}.png'));
  assert.ok(!isTemplate('http://h/flags'));
  assert.equal(fillTemplate('http://h/{cc}/{CC}.png', 'br'), 'http://h/br/BR.png');
  const w = templateWork('http://h/img/{cc}/flag.png', ['BR', 'FR']);
  assert.deepEqual(w.keys, ['BR', 'FR']);
  assert.deepEqual(w.targets['FR'], { url: 'http://h/img/fr/flag.png', file: 'flag-2.png' });
});

test('options: --urls replaces codes; templates; --http2 needs https; --tls for labels; --ca and --insecure', () => {
  const text = 'http://127.0.0.1:1/a.gif\nhttp://127.0.0.1:2/b.gif\n';
  const o = resolveOptions([], { urls: 'l.txt', limit: '1' }, { urlsText: text });
  assert.deepEqual(o.codes, ['http://127.0.0.1:1/a.gif']);
  assert.deepEqual(Object.keys(o.fetch.targets ?? {}), ['http://127.0.0.1:1/a.gif']);
  assert.deepEqual(o.server, { label: 'URL', url: 'http://127.0.0.1:1' });
  assert.throws(() => resolveOptions(['BR'], { urls: 'l.txt' }, { urlsText: text }), /--urls replaces country codes/);
  assert.throws(() => resolveOptions([], { urls: 'l.txt', names: true }, { urlsText: text }), /--names/);
  assert.equal(o.fetch.gifOnly, false, 'a URL list is not flags: no GIF check');
  assert.equal(resolveOptions([], {}).fetch.gifOnly, undefined);
  const t = resolveOptions(['br'], { server: 'http://h:1/{CC}.png' });
  assert.deepEqual(t.fetch.targets, { BR: { url: 'http://h:1/BR.png', file: 'BR.png' } });
  assert.throws(() => resolveOptions([], { http2: true }), /--http2 needs HTTPS .* add --tls/);
  const h2 = resolveOptions([], { http2: true, tls: true, server: 'delay', connections: '4' });
  assert.deepEqual(
    [h2.fetch.protocol, h2.server.url, h2.connections, h2.tls],
    ['h2', 'https://localhost:8002/flags', 4, true],
  );
  assert.throws(
    () => resolveOptions([], { tls: true, server: 'http://h/flags' }),
    /--tls is for LOCAL, DELAY and ERROR/,
  );
  assert.throws(
    () => resolveOptions([], { ca: 'x.pem' }, { caPem: 'hello' }),
    /--ca 'x\.pem' holds no PEM certificate/,
  );
  assert.throws(() => resolveOptions([], { ca: 'x.pem', insecure: true }, { caPem: '' }), /contradict/);
  assert.throws(() => resolveOptions([], { connections: '0' }), /--connections must be a whole number from 1/);
});
