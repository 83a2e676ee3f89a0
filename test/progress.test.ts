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

test('progress: one overall bar and, static split, one bar per worker out of its share; stop twice is fine and clears', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 194, workers: 2, perWorkerTotals: [100, 94], stream: tty.stream });
  view.update([10, 20]);
  await waitFor(tty.output, ['all', '30/194', 'worker 1', '10/100', 'worker 2', '20/94']);
  assert.ok(tty.output().includes(HIDE_CURSOR), 'the cursor is hidden while drawing');
  view.update([100, 94]);
  await waitFor(tty.output, ['194/194 100%', '100/100 100%', '94/94 100%']);
  view.stop();
  const afterStop = tty.output();
  assert.ok(
    afterStop.slice(afterStop.lastIndexOf('94/94')).includes(SHOW_CURSOR),
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
  const view = viewFor(t, { total: 50, workers: 1, perWorkerTotals: [50], stream: tty.stream });
  view.update([7]);
  await waitFor(tty.output, ['7/50']);
  view.stop();
  assert.ok(!tty.output().includes('worker'), 'no per-worker bar');
});

test('progress: dynamic split: each worker shows its count and rate, with no total it cannot know', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 60, workers: 3, perWorkerTotals: null, stream: tty.stream });
  view.update([1, 2, 3]);
  await waitFor(tty.output, ['6/60', 'worker 1 1 done', 'worker 2 2 done', 'worker 3 3 done']);
  view.update([4, 5, 6]);
  await waitFor(tty.output, ['15/60', 'worker 3 6 done']);
  view.stop();
  const segments = tty.output().split('\x1b');
  assert.ok(!segments.some((seg) => /worker \d.*\/60/.test(seg)), 'a worker bar never counts against the whole list');
  assert.match(tty.output(), /worker 1 4 done · \d+\/s/, 'the rate is shown');
});

test('progress: never NF, and no ETA before there is a rate', async (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 40, workers: 2, perWorkerTotals: [20, 20], stream: tty.stream });
  view.update([0, 0]);
  await waitFor(tty.output, ['0/40', '0/20']);
  assert.ok(!tty.output().includes('ETA'), 'no ETA at 0 done');
  await sleep(30);
  view.update([5, 3]);
  await waitFor(tty.output, ['8/40', '5/20', 'ETA']);
  view.stop();
  assert.doesNotMatch(tty.output(), /NF|NaN|Infinity/);
});

test('progress: more than 8 workers show the first 7 and one bar for the others', async (t) => {
  const tty = fakeTty();
  const totals = Array.from({ length: 9 }, () => 10);
  const view = viewFor(t, { total: 90, workers: 9, perWorkerTotals: totals, stream: tty.stream });
  view.update([1, 1, 1, 1, 1, 1, 1, 5, 6]);
  await waitFor(tty.output, ['18/90', 'worker 7', 'others', '11/20']);
  view.stop();
  assert.ok(!tty.output().includes('worker 8') && !tty.output().includes('worker 9'), 'at most 8 worker bars');
});

test('progress: stop before any update leaves the terminal clean', (t) => {
  const tty = fakeTty();
  const view = viewFor(t, { total: 5, workers: 1, perWorkerTotals: [5], stream: tty.stream });
  view.stop();
  view.stop();
  assert.ok(tty.output().endsWith('\x1b[0J'), JSON.stringify(tty.output()));
  assert.ok(tty.output().includes(SHOW_CURSOR));
});
