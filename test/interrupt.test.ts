import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { CLI } from './helpers/run-cli.js';

/** Child pids of `pid` that run a download (the child runs, not the embedded server), from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    const all = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return all.map(Number).filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('\0download\0'));
  } catch {
    return [];
  }
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The child of `pid` that runs `flagfetch download`, once there is one. */
function downloadChild(pid: number): number | undefined {
  return childrenOf(pid)[0];
}

/**
 * Start `flagfetch ARGS` against the embedded DELAY server answering after 10 minutes (a run
 * that cannot end by itself within the test), wait for its first download run, send SIGINT to
 * the command alone (not its process group, so the child hears nothing), and return what it did.
 */
async function interruptFirstRun(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string; child: number }> {
  const cmd = spawn(process.execPath, [CLI, ...args, '-s', 'DELAY', '--delay', '600000'], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  cmd.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  cmd.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(cmd, 'exit');
  const pid = cmd.pid ?? 0;
  await until(() => downloadChild(pid) !== undefined);
  const child = downloadChild(pid) ?? 0;
  cmd.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  await until(() => !existsSync(`/proc/${child}`) || readFileSync(`/proc/${child}/stat`, 'utf8').includes(') Z '));
  return { code, stdout, stderr, child };
}

const skip = process.platform === 'linux' ? false : 'reads child processes from /proc';

void test(
  'SIGINT to bench alone ends its child run at once, prints the partial report, exits 130',
  { skip, timeout: 60_000 },
  async () => {
    const r = await interruptFirstRun([
      'bench',
      '--models',
      'loop',
      '-m',
      '5',
      '-l',
      '5',
      '--repeat',
      '1',
      '--runs',
      '2',
      '--warmup',
      '0',
    ]);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: stopping: the run in progress is ended and left out/);
    assert.match(r.stdout, /Note: stopped early: 0 runs finished/);
    assert.match(r.stdout, /Left out: loop m5 run 1: interrupted: stopped by a signal/);
    assert.match(r.stdout, /Verdict: No verdict/);
  },
);

void test(
  'SIGINT to tune alone ends its child run at once, prints the partial report, exits 130',
  { skip, timeout: 60_000 },
  async () => {
    const r = await interruptFirstRun(['tune', '-l', '5', '--repeat', '1', '--budget', '120', '--max-workers', '2']);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: stopping: the run in progress is ended and left out/);
    assert.match(r.stderr, /tune: workers model on DELAY/);
    assert.match(r.stdout, /^1 runs? in \d+s of a 2m00s budget \(stopped by a signal\)/m);
    assert.match(r.stdout, /Left out: w\d m\d+: interrupted: stopped by a signal/);
    assert.match(r.stdout, /No recommendation/);
  },
);
