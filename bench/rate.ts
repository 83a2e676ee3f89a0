/**
 * The open model's accuracy (issue 20): for each model, `--rate R --duration 2s` against a
 * DELAY server (every answer after DELAY_MS) with enough -m for R × DELAY_MS in flight — the
 * rate achieved against R, and when requests start against their slots (start delay p50/p99,
 * late requests), at 100, 1,000 and 10,000 requests a second and at the highest rate this
 * machine allows. That rate is measured first: each model's closed-model maximum (no --rate,
 * -m 1000) against the same server; the open-model runs go up to HEADROOM of the lowest. A
 * rate above HEADROOM of a model's own maximum is still run and shown, but its targets say n/a:
 * there every slot is late by construction, the server or the client being out of CPU.
 * Each run is a fresh process; the server runs in its own (flagfetch serve, synthetic flags).
 * Run: `npm run build && node dist/bench/rate.js`
 */
import { startEmbeddedServers } from '../src/server/embedded.js';
import type { JsonReport } from '../src/compare/json-report.js';
import { report, runDownload, writeSuite, type Target } from './lib/run.js';

/** The server's delay: every request is in flight at least this long. */
const DELAY_MS = 50;
const DURATION = '2s';
const FIXED_RATES = [100, 1_000, 10_000];
const MODELS = ['loop', 'threads', 'workers'] as const;
/** Share of a model's closed-model maximum below which its rate targets apply. */
const HEADROOM = 0.7;
/** Requests in flight of the closed-model runs that measure each model's maximum. */
const CAPACITY_MAX_REQ = 1_000;

/** One run: the model, the rate asked, and what its JSON report says of the schedule. */
interface RateRow {
  readonly model: string;
  readonly targetPerSec: number;
  readonly maxReq: number;
  readonly achievedPerSec: number;
  /** achieved ÷ target − 1, in per cent. */
  readonly errorPct: number;
  readonly sent: number;
  readonly ok: number;
  readonly total: number;
  readonly latePct: number;
  readonly lateP99Ms: number;
  readonly startDelayP50Ms: number;
  readonly startDelayP99Ms: number;
  readonly responseP99Ms: number;
  readonly serviceP99Ms: number;
  readonly cpuMs: number;
}

/** Run the suite; returns its markdown. */
export async function runRate(): Promise<string> {
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs: DELAY_MS });
  const rows: RateRow[] = [];
  const capacity = new Map<string, number>();
  let rates: number[];
  try {
    for (const model of MODELS) capacity.set(model, await closedMaximum(model, servers.urls.DELAY));
    const highest = Math.floor((HEADROOM * Math.min(...capacity.values())) / 100) * 100;
    rates = [...new Set([...FIXED_RATES, highest])].sort((a, b) => a - b);
    for (const perSec of rates) {
      for (const model of MODELS) rows.push(await measure(model, perSec, servers.urls.DELAY));
    }
  } finally {
    await servers.stop();
  }
  const targets = rows.flatMap((r) => targetsOf(r, capacity.get(r.model) ?? 0));
  const details = [
    `This machine's closed-model maximum against DELAY (-a --repeat 50 -m ${CAPACITY_MAX_REQ}, no --rate; client and server share its cores): ` +
      MODELS.map((m) => `${m} ${(capacity.get(m) ?? 0).toFixed(0)}/s`).join(', ') +
      `. Rates run: ${rates.map((r) => r.toLocaleString('en')).join(', ')} a second, the last being ${HEADROOM * 100} % of the lowest maximum; ` +
      `targets apply up to ${HEADROOM * 100} % of each model's own maximum (above it, n/a).`,
    '',
    `Server: flagfetch serve (its own process, synthetic flags), DELAY answering every request after ${DELAY_MS} ms. ` +
      `Client: \`download --rate R --duration ${DURATION} --no-save\`, -m = max(100, 2 × R × ${DELAY_MS} ms), ` +
      '-w 2 for threads and workers; sequential (one lane) cannot start more than 1000/DELAY_MS a second and is left out. ' +
      "Start delay: each request's send time against its slot; late: the slot came while every lane was busy.",
    '',
    '| model | R /s | -m | achieved /s | error % | sent | ok / total | late % | late p99 ms | start delay p50 / p99 ms | response p99 ms | service p99 ms | client CPU ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.targetPerSec} | ${r.maxReq} | ${r.achievedPerSec.toFixed(1)} | ${r.errorPct.toFixed(2)} | ${r.sent} | ` +
        `${r.ok} / ${r.total} | ${r.latePct.toFixed(1)} | ${r.lateP99Ms.toFixed(1)} | ` +
        `${r.startDelayP50Ms.toFixed(3)} / ${r.startDelayP99Ms.toFixed(3)} | ${r.responseP99Ms.toFixed(1)} | ` +
        `${r.serviceP99Ms.toFixed(1)} | ${r.cpuMs.toFixed(0)} |`,
    ),
  ];
  return writeSuite(
    'rate',
    'Rate accuracy of the open model (--rate)',
    'npm run build && node dist/bench/rate.js',
    targets,
    details,
    rows,
  );
}

/** The two targets of a run; n/a where `perSec` is above HEADROOM of the model's maximum here. */
function targetsOf(r: RateRow, maximum: number): Target[] {
  const within = r.targetPerSec <= HEADROOM * maximum;
  const why = within ? '' : ` (n/a: above ${HEADROOM * 100} % of ${maximum.toFixed(0)}/s, this model's maximum here)`;
  const at = `${r.model} at ${r.targetPerSec.toLocaleString('en')}/s`;
  return [
    {
      name: `${at}: achieved rate`,
      measured: `${r.achievedPerSec.toFixed(1)}/s (${r.errorPct >= 0 ? '+' : ''}${r.errorPct.toFixed(2)} %)${why}`,
      target: 'within 1 % of R',
      pass: within ? Math.abs(r.errorPct) <= 1 : null,
    },
    {
      name: `${at}: start delay p99`,
      measured: `${r.startDelayP99Ms.toFixed(2)} ms (${r.latePct.toFixed(1)} % late)${why}`,
      target: '≤ 1 ms',
      pass: within ? r.startDelayP99Ms <= 1 : null,
    },
  ];
}

/** What every run of the suite passes: the model (two threads but for the loop), every code, no files, -m. */
function runArgs(model: string, maxReq: number, url: string): string[] {
  const threads = model === 'loop' ? [] : ['-w', '2'];
  return ['--model', model, ...threads, '-a', '--no-save', '-m', String(maxReq), '-s', url];
}

/** A model's closed-model maximum against `url`, requests/s: no --rate, CAPACITY_MAX_REQ in flight. */
async function closedMaximum(model: string, url: string): Promise<number> {
  const r = await runDownload([...runArgs(model, CAPACITY_MAX_REQ, url), '--repeat', '50']);
  process.stderr.write(`${model}: closed-model maximum ${r.report.requestsPerSec.toFixed(0)}/s\n`);
  return r.report.requestsPerSec;
}

/** One run of `model` at `perSec` against `url`. */
async function measure(model: string, perSec: number, url: string): Promise<RateRow> {
  const maxReq = Math.min(10_000, Math.max(100, Math.ceil((2 * perSec * DELAY_MS) / 1000)));
  const r = await runDownload([...runArgs(model, maxReq, url), '--rate', String(perSec), '--duration', DURATION]);
  const row = rowOf(model, perSec, r.report);
  process.stderr.write(
    `${model} ${perSec}/s: achieved ${row.achievedPerSec.toFixed(1)}/s, start delay p99 ${row.startDelayP99Ms} ms, ${row.latePct.toFixed(1)} % late\n`,
  );
  return row;
}

function rowOf(model: string, perSec: number, j: JsonReport): RateRow {
  const rate = j.rate;
  if (rate === undefined || j.responseTimeMs === undefined || j.serviceTimeMs === undefined)
    throw new Error(`${model} at ${perSec}/s: the report has no rate figures`);
  return {
    model,
    targetPerSec: perSec,
    maxReq: j.maxReq,
    achievedPerSec: rate.achievedPerSec,
    errorPct: (rate.achievedPerSec / perSec - 1) * 100,
    sent: rate.started,
    ok: j.ok,
    total: j.total,
    latePct: rate.lateShare * 100,
    lateP99Ms: rate.lateByMs.p99,
    startDelayP50Ms: rate.startDelayMs.p50,
    startDelayP99Ms: rate.startDelayMs.p99,
    responseP99Ms: j.responseTimeMs.p99,
    serviceP99Ms: j.serviceTimeMs.p99,
    cpuMs: j.cpuUserMs + j.cpuSystemMs,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runRate());
