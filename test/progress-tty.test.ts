import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { CLI } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';

/** Child pids of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The flagfetch process under `script` (script → sh → node, or script → node): node running the CLI. */
function flagfetchUnder(pid: number): number | undefined {
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    try {
      const [exe, script] = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (exe === process.execPath && script === CLI) return p;
    } catch {
      // gone
    }
    queue.push(...childrenOf(p));
  }
  return undefined;
}

const skip =
  process.platform === 'linux' && existsSync('/usr/bin/script') ? false : 'needs script(1) for a pseudo-terminal';

void test(
  'on a terminal: the threads model counts per thread, and Ctrl-C twice leaves no stale bar; each signal line is its own',
  { skip, timeout: 90_000 },
  async () => {
    await withServer({ delayMs: 200 }, async (s) => {
      const cmd = `${process.execPath} ${CLI} -e -s ${s.url} --no-save -m 4 --model threads -w 2`;
      const term = spawn('script', ['-qfec', cmd, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, COLUMNS: '120', LINES: '40' },
      });
      let out = '';
      term.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = once(term, 'exit');
      // Both threads' bars have counted something: worker 1 and worker 2 are past 0.
      await until(
        () => /worker 1 +[1-9]\d* done/.test(out) && /worker 2 +[1-9]\d* done/.test(out),
        'both bars to count',
      );
      const pid = flagfetchUnder(term.pid ?? 0);
      assert.ok(pid !== undefined, 'flagfetch runs under script');
      process.kill(pid, 'SIGINT');
      await until(() => out.includes('SIGINT: stopping'), 'the first signal line');
      process.kill(pid, 'SIGINT');
      await exited;
      const first = out.indexOf('SIGINT: stopping');
      const after = out.slice(first);
      assert.doesNotMatch(after, /worker \d|\ball +\d/, 'no bar is drawn again after the first Ctrl-C');
      // The bars are cleared (erase below the cursor) right before the first line, and every line is its own.
      const before = out.slice(0, first);
      assert.ok(before.endsWith('\x1b[0J') || before.endsWith('\n'), JSON.stringify(before.slice(-24)));
      assert.match(after, /\nSIGINT again: exiting now/);
      assert.ok(out.includes('\x1b[?25l'), 'the cursor was hidden while bars were drawn');
      assert.ok(out.lastIndexOf('\x1b[?25h') > out.lastIndexOf('\x1b[?25l'), 'and shown again');
    });
  },
);
