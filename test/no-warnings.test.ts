import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFlagServer } from '../src/server/index.js';
import { runCli } from './helpers/run-cli.js';

/** Node prints a process warning as `(node:PID) SomethingWarning: …`; --trace-warnings adds its stack. */
const WARNING = /\(node:\d+\)|Warning:/;

test('no warnings from our own code: retries against a failing server, loop and workers, with --trace-warnings', async () => {
  // 90 % of requests fail and are retried: dozens wait out their backoff at once on one stop signal.
  const server = await startFlagServer({ errorRate: 0.9, errorDelayMs: 0, seed: 3 });
  try {
    for (const model of ['loop', 'workers']) {
      const args = [
        '-a',
        '-l',
        '120',
        '-s',
        server.url,
        '--retries',
        '3',
        '--no-save',
        '--model',
        model,
        '-m',
        '60',
        ...(model === 'workers' ? ['-w', '2'] : []),
      ];
      const r = await runCli(args, { env: { NODE_OPTIONS: '--trace-warnings --pending-deprecation' } });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, WARNING, `${model}: ${r.stderr.slice(0, 800)}`);
      assert.match(r.stdout, /errors?\.$/m, 'the server really failed requests');
    }
  } finally {
    await server.close();
  }
});
