/**
 * The showcase's third scenario in plain words (pure): CPU work per download on a server
 * that answers after a short delay, where worker threads pay — and why, from the loop's and
 * each worker's event-loop utilization.
 */
import { beatLoop, byModel, compareWords } from './showcase-words.js';
import type { BenchResult, ConfigSummary } from './types.js';

const pct = (v: number): number => Math.round(v * 100);

/** Milliseconds of the --work step per download, from a configuration's medians. */
function workPerFlagMs(c: ConfigSummary): number | null {
  const total = c.counts?.total ?? 0;
  return total > 0 && c.workMs > 0 ? c.workMs / total : null;
}

/** What the CPU-work scenario shows on this machine. */
export function explainCpu(r: BenchResult): string[] {
  const loop = byModel(r, 'loop');
  const workers = byModel(r, 'workers');
  if (loop === undefined || workers === undefined || workers.ratioToLoop === null)
    return ['CPU work per download: not enough good runs to compare.'];
  const lines = [loopLine(r, loop), workersLine(r, loop, workers)];
  const threads = byModel(r, 'threads');
  if (threads !== undefined && threads.ratioToLoop !== null) lines.push(threadsLine(threads, workers));
  return lines;
}

function loopLine(r: BenchResult, loop: ConfigSummary): string {
  const work = loop.config.work ?? 'none';
  const perFlag = workPerFlagMs(loop);
  const cost = perFlag === null ? '' : `, about ${perFlag.toFixed(1)} ms of CPU a flag`;
  const delay = r.delayMs === null ? 'a short delay' : `${r.delayMs} ms`;
  const busy = pct(loop.eluMean);
  const ceiling =
    perFlag === null
      ? ''
      : `one thread that spends ${perFlag.toFixed(1)} ms on each flag cannot pass ${Math.round(1000 / perFlag)} flags/s, so `;
  return (
    `With CPU work after every download (--work ${work}${cost}, on the thread that downloaded it) ` +
    `and only ${delay} of waiting per response, the single loop did ${Math.round(loop.requestsPerSec.median)} ` +
    `req/s and was busy ${busy} % of the time (its event-loop utilization, ELU): ` +
    (busy >= 85 ? `${ceiling}its own CPU, not the server, set the pace.` : 'the work and the waiting shared its time.')
  );
}

function threadsLine(threads: ConfigSummary, workers: ConfigSummary): string {
  const n = threads.threads ?? threads.config.workers;
  const ratio = threads.ratioToLoop ?? 0;
  const trails = ratio < (workers.ratioToLoop ?? 0) * 0.95;
  const why = !beatLoop(threads)
    ? 'the main thread hands out every flag and gathers every result, and here it competed with the ' +
      'decoding threads and the server for the same cores'
    : trails
      ? 'the work ran on every core, as in the workers model; what it trails them by is a message round ' +
        'trip through the main thread for every flag'
      : "the work ran on every core, as in the workers model, and the main thread's message round trip " +
        'for every flag cost little beside the work';
  return (
    `The threads model works on ${n} downloading threads too, the main thread handing them one flag per task: ` +
    `${ratio.toFixed(2)}× the loop — ${why}.`
  );
}

function workersLine(r: BenchResult, loop: ConfigSummary, workers: ConfigSummary): string {
  const n = workers.config.workers;
  const each = workers.eluPerWorker.map((e) => `${pct(e)} %`).join(', ');
  const cores = r.machine.cores;
  if (beatLoop(workers)) {
    const spare = Math.max(...workers.eluPerWorker) < loop.eluMean - 0.05;
    return (
      `${n} worker threads ${compareWords(workers)}, each busy ${each} of the time` +
      (spare ? `, less than the loop's ${pct(loop.eluMean)} %` : '') +
      `: each decoded its share of the flags, on ${Math.min(n, cores)} cores at once. The server needs ` +
      `almost no CPU to answer (it waits, then sends a small file from memory), so a core was free for ` +
      `a second client thread: this is where worker threads pay.`
    );
  }
  const why =
    cores < 2
      ? 'this machine has one core, so a second thread has nowhere to run'
      : 'no core was free for a second thread here (other programs, or the server, were using it); ' +
        'with a core to spare they pay in this scenario';
  return `${n} worker threads ${compareWords(workers)}, each busy ${each} of the time: ${why}.`;
}
