/**
 * node:http's maxHeaderSize without loading node:http (src/download/max-header-size.ts, what
 * undici's client gets in the worker bundles): Node's default as node:http has it, and
 * node:http's own value when an option sets it on the command line or in NODE_OPTIONS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { maxHeaderSize, NODE_DEFAULT_MAX_HEADER_SIZE } from '../src/download/max-header-size.js';

/** maxHeaderSize() in a fresh process started with `args` and `nodeOptions`. */
function inProcess(args: readonly string[], nodeOptions: string): number {
  const url = new URL('../src/download/max-header-size.js', import.meta.url).href;
  const code = `import { maxHeaderSize } from ${JSON.stringify(url)}; console.log(maxHeaderSize());`;
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  return Number(
    execFileSync(process.execPath, [...args, '--input-type=module', '-e', code], { env, encoding: 'utf8' }),
  );
}

test("no option: Node's default, the value node:http has", () => {
  assert.equal(maxHeaderSize([], undefined), NODE_DEFAULT_MAX_HEADER_SIZE);
  assert.equal(maxHeaderSize([], undefined), http.maxHeaderSize);
  assert.equal(inProcess([], ''), http.maxHeaderSize);
});

test('--max-http-header-size on the command line or in NODE_OPTIONS (- or _): node:http says', () => {
  assert.equal(inProcess(['--max-http-header-size=32768'], ''), 32768);
  assert.equal(inProcess([], '--max_http_header_size=65536'), 65536);
  assert.equal(maxHeaderSize(['--max-http-header-size', '8192'], undefined), http.maxHeaderSize, 'asks node:http');
});
