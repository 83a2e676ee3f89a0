/**
 * Child process of bench/startup.ts: how fast a fresh fetch-loop thread's first requests go
 * next to its own warm rate later in the same run, so that the machine's load falls on both.
 * One thread of the workers model's pool (connections opened during start-up, as a run
 * does) runs `total` requests on `lanes` lanes; the main thread watches the thread's count
 * on the shared board and notes when it passes each mark.
 *   node dist/bench/lib/cold-rate.js URL [total] [lanes] [DIST_SRC]   (DIST_SRC: another build's dist/src)
 * prints {"firstMs": …, "coldRate": …, "warmRate": …, "ratio": …} (rates in requests/s).
 */
import { MessageChannel } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { resolveOptions } from '../../src/options.js';
import { ALL_CODES } from '../../src/countries.js';
import { Board, createBoard } from '../../workers/shared-memory.js';
import type { LoopTask } from '../../workers/protocol.js';
import { fetchLoopPool } from './pool-of.js';

/** The first requests, and where the warm stretch starts. */
const FIRST = 1_000;
const WARM_FROM = 5_000;

const [url, totalArg, lanesArg, distSrc] = process.argv.slice(2);
const total = Number(totalArg ?? 194 * 55);
const lanes = Number(lanesArg ?? 100);
const { fetch } = resolveOptions([], { server: url ?? 'http://127.0.0.1:8001/flags', save: false });
const ready = await (await fetchLoopPool(distSrc))(1, fetch, lanes);
const board = new Board(createBoard(2, lanes));
const { port1, port2 } = new MessageChannel();
port1.on('message', () => undefined);
const task: LoopTask = {
  id: 1,
  slot: 0,
  codes: ALL_CODES,
  total,
  source: { kind: 'dynamic' },
  lanes,
  board: board.buffers,
  verbose: false,
  port: port2,
};
const passed = new Map<number, number>();
const t0 = performance.now();
const watch = setInterval(() => {
  const done = board.done(0);
  for (const mark of [FIRST, WARM_FROM]) if (done >= mark && !passed.has(mark)) passed.set(mark, performance.now());
}, 1);
await ready.pool.run(task, { transferList: [port2] });
const end = performance.now();
clearInterval(watch);
port1.close();
await ready.close();
const firstMs = (passed.get(FIRST) ?? end) - t0;
const coldRate = (FIRST / firstMs) * 1000;
const warmRate = ((total - WARM_FROM) / (end - (passed.get(WARM_FROM) ?? end))) * 1000;
process.stdout.write(`${JSON.stringify({ firstMs, coldRate, warmRate, ratio: coldRate / warmRate })}\n`);
