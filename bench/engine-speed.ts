/**
 * The download engine's speed targets (issue 3), each a ratio measured side by side in one
 * run, rounds alternating:
 *  1. `--model loop --no-save --repeat 50 -a` ≥ 45 % of wrk's requests/s, same server, same connections;
 *  2. `workers -w 2` within 15 % of `loop` on that work, start-up under 40 ms a worker;
 *  3. DELAY (500 ms) with `-e -m 1000` in at most 1.3 × 500 ms, for loop and workers.
 * Run: `npm run build && node dist/bench/engine-speed.js`
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { freePort, hasCommand, runWrk, startNginx } from './lib/external.js';
import { median, report, runDownload, spread, writeSuite, type Target } from './lib/run.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const ROUNDS = 5;
const CONNECTIONS = 100;

/** A bare undici loop (Pool, request, arrayBuffer) of `n` requests in a fresh process: the reference of issue 3 (its ~10 ms of connecting is inside the time). */
async function bareUndiciRate(url: string, codes: readonly string[], n: number): Promise<number> {
  const script = `const {Pool}=require('undici');const u=new URL(${JSON.stringify(url)});const codes=${JSON.stringify(codes)};
const pool=new Pool(u.origin,{connections:${CONNECTIONS}});let i=0;const n=${n};const t0=performance.now();
async function lane(){while(i<n){const cc=codes[i++%codes.length];const r=await pool.request({path:u.pathname+'/'+cc+'/'+cc+'.gif',method:'GET'});await r.body.arrayBuffer();}}
Promise.all(Array.from({length:${CONNECTIONS}},lane)).then(()=>{console.log(n/(performance.now()-t0)*1000);return pool.close()});`;
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..') },
      (err, stdout) => (err === null ? resolve(Number(stdout.trim())) : reject(new Error(err.message))),
    );
  });
}

/** Run the suite; returns its markdown. */
export async function runEngineSpeed(): Promise<string> {
  const codes = (await readdir(SHARED)).filter((n) => /^[a-z]{2}$/.test(n)).sort();
  const embedded = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root: SHARED, delayMs: 500 });
  const nginx = hasCommand('nginx') ? await startNginx({ root: SHARED, port: await freePort() }) : undefined;
  const embeddedUrl = embedded.urls.LOCAL.replace('localhost', '127.0.0.1');
  const serverUrl = nginx?.url ?? embeddedUrl;
  const paths = codes.map((cc) => `/flags/${cc}/${cc}.gif`);
  const serverName = nginx === undefined ? 'the embedded flagfetch server' : 'nginx (1 worker) serving ../shared/flags';
  const rates = {
    wrk: [] as number[],
    loop: [] as number[],
    workers: [] as number[],
    loopLong: [] as number[],
    workersLong: [] as number[],
    bareUndici: [] as number[],
    bareUndiciShort: [] as number[],
    wrkEmbedded: [] as number[],
    loopEmbedded: [] as number[],
  };
  const startupPerWorkerMs: number[] = [];
  const delay = { loop: [] as number[], workers: [] as number[] };
  const workOn = (url: string): string[] => ['-a', '--repeat', '50', '--no-save', '-m', String(CONNECTIONS), '-s', url];
  const work = workOn(serverUrl);
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      if (hasCommand('wrk')) {
        const w = await runWrk({ url: serverUrl, paths, connections: CONNECTIONS, threads: 1, durationS: 3 });
        rates.wrk.push(w.requestsPerSec);
      }
      const loop = await runDownload(['--model', 'loop', ...work]);
      rates.loop.push(loop.report.requestsPerSec);
      const long = await runDownload(['--model', 'loop', ...work, '--repeat', '250']);
      rates.loopLong.push(long.report.requestsPerSec);
      rates.bareUndiciShort.push(await bareUndiciRate(serverUrl, codes, 9700));
      rates.bareUndici.push(await bareUndiciRate(serverUrl, codes, 48500));
      const workers = await runDownload(['--model', 'workers', '-w', '2', ...work]);
      rates.workers.push(workers.report.requestsPerSec);
      rates.workersLong.push(
        (await runDownload(['--model', 'workers', '-w', '2', ...work, '--repeat', '250'])).report.requestsPerSec,
      );
      if (nginx !== undefined && hasCommand('wrk')) {
        rates.wrkEmbedded.push(
          (await runWrk({ url: embeddedUrl, paths, connections: CONNECTIONS, threads: 1, durationS: 3 }))
            .requestsPerSec,
        );
        rates.loopEmbedded.push((await runDownload(['--model', 'loop', ...workOn(embeddedUrl)])).report.requestsPerSec);
      }
      startupPerWorkerMs.push((workers.report.startupMs - workers.report.connectMs) / workers.report.workers);
      for (const model of ['loop', 'workers'] as const) {
        const d = await runDownload([
          '--model',
          model,
          ...(model === 'workers' ? ['-w', '2'] : []),
          '-e',
          '-m',
          '1000',
          '--no-save',
          '-s',
          embedded.urls.DELAY,
        ]);
        delay[model].push(d.report.elapsedMs);
      }
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: wrk ${Math.round(rates.wrk.at(-1) ?? 0)}, loop ${Math.round(rates.loop.at(-1) ?? 0)}, workers ${Math.round(rates.workers.at(-1) ?? 0)} req/s; DELAY loop ${Math.round(delay.loop.at(-1) ?? 0)} ms, workers ${Math.round(delay.workers.at(-1) ?? 0)} ms\n`,
      );
    }
  } finally {
    await nginx?.stop();
    await embedded.stop();
  }
  const toWrk = (xs: number[]): number => (rates.wrk.length > 0 ? median(xs) / median(rates.wrk) : Number.NaN);
  const loopToWrk = toWrk(rates.loop);
  const longToWrk = toWrk(rates.loopLong);
  const shown = (ratio: number): string => (Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(2));
  const workersToLoop = median(rates.workers) / median(rates.loop);
  const workersToLoopLong = median(rates.workersLong) / median(rates.loopLong);
  const embeddedRatio =
    rates.wrkEmbedded.length > 0 ? median(rates.loopEmbedded) / median(rates.wrkEmbedded) : Number.NaN;
  const targets: Target[] = [
    {
      name: 'loop ÷ wrk, -a --repeat 50, 100 connections',
      measured: Number.isNaN(loopToWrk) ? 'wrk not installed' : loopToWrk.toFixed(2),
      target: '≥ 0.45',
      pass: Number.isNaN(loopToWrk) ? null : loopToWrk >= 0.45,
    },
    {
      name: 'loop ÷ wrk, -a --repeat 250 (48,500 requests: past JIT warm-up)',
      measured: Number.isNaN(longToWrk) ? 'wrk not installed' : longToWrk.toFixed(2),
      target: '≥ 0.45',
      pass: Number.isNaN(longToWrk) ? null : longToWrk >= 0.45,
    },
    {
      name: 'bare undici loop ÷ wrk (reference: pool.request + arrayBuffer, 9,700 requests)',
      measured: shown(toWrk(rates.bareUndiciShort)),
      target: '≈ 0.50 (issue 3)',
      pass: null,
    },
    {
      name: 'bare undici loop ÷ wrk (reference, 48,500 requests)',
      measured: shown(toWrk(rates.bareUndici)),
      target: '≈ 0.50 (issue 3)',
      pass: null,
    },
    {
      name: 'loop ÷ wrk against the embedded flagfetch server, -a --repeat 50',
      measured: Number.isNaN(embeddedRatio) ? 'n/a' : embeddedRatio.toFixed(2),
      target: '≥ 0.45',
      pass: Number.isNaN(embeddedRatio) ? null : embeddedRatio >= 0.45,
    },
    {
      name: 'workers (2) ÷ loop, same work',
      measured: workersToLoop.toFixed(2),
      target: '≥ 0.85',
      pass: workersToLoop >= 0.85,
    },
    {
      name: 'workers (2) ÷ loop, 48,500 requests',
      measured: workersToLoopLong.toFixed(2),
      target: '≥ 0.85',
      pass: workersToLoopLong >= 0.85,
    },
    {
      name: 'workers start-up per worker',
      measured: `${median(startupPerWorkerMs).toFixed(1)} ms`,
      target: '< 40 ms',
      pass: median(startupPerWorkerMs) < 40,
    },
    {
      name: 'DELAY 500 ms, -e -m 1000, loop',
      measured: `${Math.round(median(delay.loop))} ms`,
      target: '≤ 650 ms',
      pass: median(delay.loop) <= 650,
    },
    {
      name: 'DELAY 500 ms, -e -m 1000, workers',
      measured: `${Math.round(median(delay.workers))} ms`,
      target: '≤ 650 ms',
      pass: median(delay.workers) <= 650,
    },
  ];
  const details = [
    `Server for the throughput rows: ${serverName}. ${ROUNDS} rounds, each running wrk (3 s, -t 1 -c ${CONNECTIONS}, cycling through the 194 flag paths), loop and workers (9,700 requests each, a fresh process each), then the two DELAY runs (676 codes on the embedded DELAY server, 500 ms). Medians (min–max):`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| wrk req/s | ${rates.wrk.length > 0 ? spread(rates.wrk) : 'n/a'} |`,
    `| loop req/s (9,700 requests) | ${spread(rates.loop)} |`,
    `| loop req/s (48,500 requests) | ${spread(rates.loopLong)} |`,
    `| bare undici loop req/s (9,700 requests, connecting included) | ${spread(rates.bareUndiciShort)} |`,
    `| bare undici loop req/s (48,500 requests, connecting included) | ${spread(rates.bareUndici)} |`,
    `| workers -w 2 req/s | ${spread(rates.workers)} |`,
    `| workers -w 2 req/s (48,500 requests) | ${spread(rates.workersLong)} |`,
    `| wrk req/s against the embedded server | ${rates.wrkEmbedded.length > 0 ? spread(rates.wrkEmbedded) : 'n/a'} |`,
    `| loop req/s against the embedded server | ${rates.loopEmbedded.length > 0 ? spread(rates.loopEmbedded) : 'n/a'} |`,
    `| workers start-up ms per worker | ${spread(startupPerWorkerMs, 1)} |`,
    `| DELAY loop elapsed ms | ${spread(delay.loop)} |`,
    `| DELAY workers elapsed ms | ${spread(delay.workers)} |`,
    '',
    'Client, server and wrk share the 2 cores: the ratios are what this machine allows, not what the client alone could do. Elapsed times and rates count from the moment every connection is open (and, for workers, every thread is up); that start-up is reported apart as startupMs.',
  ];
  return writeSuite(
    'engine-speed',
    'Engine speed targets',
    'npm run build && node dist/bench/engine-speed.js',
    targets,
    details,
    { rates, startupPerWorkerMs, delay, server: serverName },
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runEngineSpeed());
