/** The README's "What it prints" is what a run prints: same lines, same words, numbers free to differ. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startFlagServer } from '../src/server/index.js';
import { runCli } from './helpers/run-cli.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

/** The fenced block after the `<!-- what-it-prints -->` marker. */
async function readmeSample(): Promise<string[]> {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- what-it-prints -->');
  assert.ok(at >= 0, 'the README marks its sample');
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block?.[1] !== undefined);
  return block[1].trimEnd().split('\n');
}

/** A README line as a pattern: timings and per-worker figures are free, the words and fixed counts are not. */
function shapeOf(line: string, index: number): RegExp {
  if (index === 0) return /^(LOCAL|URL) site: http:\/\/\S+\/flags$/;
  const fixed = /^(Searching|\d+ workers|\s*\d+ (flags downloaded|not found)\.|-+$)/.test(line);
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const free = fixed ? escaped : escaped.replace(/\d+(\\\.\d+)?/g, '\\d+(\\.\\d+)?');
  return new RegExp(`^${free.replace(/ {2,}/g, ' +')}$`);
}

test("README: 'What it prints' is what `flagfetch -e -w 2 --no-save` prints", async () => {
  const sample = await readmeSample();
  const server = await startFlagServer({});
  try {
    const r = await runCli(['-e', '-w', '2', '--no-save', '-s', server.url]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, sample.length, `README has ${sample.length} lines, the run printed:\n${r.stdout}`);
    sample.forEach((line, i) => assert.match(lines[i] ?? '', shapeOf(line, i), `line ${i + 1}`));
  } finally {
    await server.close();
  }
});
