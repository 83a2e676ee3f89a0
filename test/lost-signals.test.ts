/**
 * Issue 22 §8: no signal is lost. A Ctrl-C during the last item's --work still stops the run
 * (exit 130); no --work step starts after a stop; SIGHUP (a closed terminal) stops a run as
 * SIGTERM does, with its report and no temp file left in --dest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';
import { withTempDir } from './helpers/temp-dir.js';
import type { FlagServer } from '../src/server/flag-server.js';

/**
 * Run the CLI; once the server has answered `answered` requests, wait `afterMs` (the run is then
 * inside an item's --work) and send `signal`. Resolves with the exit code and output.
 */
async function signalDuring(
  s: FlagServer,
  args: readonly string[],
  at: { answered: number; afterMs: number; signal: NodeJS.Signals },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const deadline = Date.now() + 30_000;
  while (s.stats.snapshot().requests < at.answered && Date.now() < deadline) await sleep(5);
  await sleep(at.afterMs);
  child.kill(at.signal);
  const [code] = (await exited) as [number | null];
  return { code, stdout, stderr };
}

test("a Ctrl-C during the last item's --work is not lost: exit 130 (sequential and loop)", async () => {
  for (const model of ['sequential', 'loop']) {
    await withServer({}, async (s) => {
      const args = ['BR', '-s', s.url, '--no-save', '--work', 'spin:2000', '--model', model];
      const r = await signalDuring(s, args, { answered: 1, afterMs: 700, signal: 'SIGINT' });
      assert.equal(r.code, 130, `${model}: ${r.stderr}`);
      assert.match(r.stderr, /SIGINT: stopping/);
    });
  }
});

test('no --work step starts after a stop: the next item is cancelled, not worked (sequential, loop -m 2, threads)', async () => {
  for (const model of [
    ['--model', 'sequential'],
    ['--model', 'loop', '-m', '2'],
    ['--model', 'threads', '-w', '1', '-m', '2'],
  ]) {
    await withServer({}, async (s) => {
      await withTempDir(async (dir) => {
        const report = path.join(dir, 'report.json');
        const args = [
          'BR',
          'DE',
          'US',
          '-s',
          s.url,
          '--no-save',
          '--work',
          'spin:2000',
          ...model,
          '--export-json',
          report,
        ];
        const r = await signalDuring(s, args, { answered: 1, afterMs: 700, signal: 'SIGINT' });
        assert.equal(r.code, 130, `${model.join(' ')}: ${r.stderr}`);
        const json = JSON.parse(await readFile(report, 'utf8')) as { ok: number; cancelled: number; total: number };
        assert.equal(json.ok, 1, `${model.join(' ')}: one item was worked, ${JSON.stringify(json)}`);
        assert.equal(json.ok + json.cancelled, 3, JSON.stringify(json));
      });
    });
  }
});

test('SIGHUP stops a run as SIGTERM does: its report, exit 130, no temp file left in --dest', async () => {
  await withServer({ delayMs: 300 }, async (s) => {
    await withTempDir(async (dest) => {
      const args = ['-e', '-s', s.url, '-o', dest, '-m', '20', '--model', 'loop'];
      const r = await signalDuring(s, args, { answered: 20, afterMs: 100, signal: 'SIGHUP' });
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /SIGHUP: stopping/);
      assert.match(r.stdout, /flags downloaded/);
      assert.deepEqual(
        (await readdir(dest)).filter((f) => f.endsWith('.tmp')),
        [],
      );
    });
  });
});
