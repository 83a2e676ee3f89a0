import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProgressView, shouldShowProgress, type ProgressView } from '../src/report/progress.js';

const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';

/** A view on `stream` that is stopped when the test ends, even if an assertion failed first. */
function viewFor(t: TestContext, o: Parameters<typeof createProgressView>[0]): ProgressView {
  const view = createProgressView(o);
  t.after(() => view.stop());
  return view;
}

/** A fake 80-column terminal that keeps everything written to it. */
function fakeTty(): { stream: PassThrough; output: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, output: () => text };
}

/** Wait until the terminal shows every one of `parts` (bars redraw on a timer), or fail. */
async function waitFor(output: () => string, parts: readonly string[]): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!parts.every((p) => output().includes(p))) {
    if (Date.now() > deadline)
      assert.fail(
        `terminal never showed ${parts.filter((p) => !output().includes(p)).join(', ')}:\n${JSON.stringify(output().slice(-600))}`,
      );
    await sleep(20);
  }
}

test('shouldShowProgress: only on a terminal, never with -v or --json', () => {
  for (const isTTY of [true, false, undefined]) {
    for (const verbose of [true, false]) {
      for (const json of [true, false]) {
        assert.equal(
          shouldShowProgress({ verbose, json, isTTY }),
          isTTY === true && !verbose && !json,
          `tty ${String(isTTY)} -v ${verbose} --json ${json}`,
        );
      }
    }
  }
});

test('progress: one overall bar and one bar per worker with known totals; stop twice is fine and clears', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 194, perWorkerTotals: [100, 94], stream: tty.stream });
  view.update([10, 20]);
  await waitFor(tty.output, ['all', '30/194', 'worker 1', '10/100', 'worker 2', '20/94']);
  assert.ok(tty.output().includes(HIDE_CURSOR), 'the cursor is hidden while drawing');
  view.stop();
  const afterStop = tty.output();
  assert.ok(
    afterStop.slice(afterStop.lastIndexOf('20/94')).includes(SHOW_CURSOR),
    'the cursor is shown again after the bars',
  );
  assert.ok(afterStop.endsWith('\x1b[0J'), `the bars are cleared: ${JSON.stringify(afterStop.slice(-40))}`);
  view.stop();
  view.update([100, 94]);
  await sleep(150);
  assert.equal(tty.output(), afterStop, 'nothing is drawn after stop');
});

test('progress: a single lane has only the overall bar', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 50, perWorkerTotals: [50], stream: tty.stream });
  view.update([7]);
  await waitFor(tty.output, ['7/50']);
  view.stop();
  assert.ok(!tty.output().includes('worker'), 'no per-worker bar');
});

test('progress: unknown per-worker totals make bars on the first update, out of the overall total', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 60, perWorkerTotals: undefined, stream: tty.stream });
  view.update([1, 2, 3]);
  await waitFor(tty.output, ['6/60', 'worker 1', '1/60', 'worker 2', '2/60', 'worker 3', '3/60']);
  view.update([4, 5, 6, 7]);
  await waitFor(tty.output, ['22/60', '13/60']);
  view.stop();
  assert.ok(
    !tty.output().includes('worker 4'),
    'bars are made once, on the first update; a later lane counts in the last bar',
  );
});

test('progress: more than 8 workers show the first 7 and one bar for the others', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 90, perWorkerTotals: Array.from({ length: 9 }, () => 10), stream: tty.stream });
  view.update([1, 1, 1, 1, 1, 1, 1, 5, 6]);
  await waitFor(tty.output, ['18/90', 'worker 7', 'others', '11/20']);
  view.stop();
  assert.ok(!tty.output().includes('worker 8') && !tty.output().includes('worker 9'), 'at most 8 worker bars');
});

test('progress: stop before any update leaves the terminal clean', (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 5, stream: tty.stream });
  view.stop();
  view.stop();
  assert.ok(tty.output().endsWith('\x1b[0J'), JSON.stringify(tty.output()));
  assert.ok(tty.output().includes(SHOW_CURSOR));
});
