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
import { report, runDownload, writeSuite } from './lib/run.js';
import {
  CONNECTIONS,
  ROUNDS,
  engineDetails,
  engineTargets,
  noSamples,
  type EngineSamples,
} from './lib/engine-speed-report.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');

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

/** Where the rounds run: the flag paths, and the servers' URLs. */
interface EngineServers {
  readonly codes: readonly string[];
  readonly paths: readonly string[];
  /** nginx when installed, else the embedded LOCAL server: the throughput rows' server. */
  readonly serverUrl: string;
  readonly embeddedUrl: string;
  readonly delayUrl: string;
  readonly nginx: boolean;
}

/** Run the suite; returns its markdown. */
export async function runEngineSpeed(): Promise<string> {
  const codes = (await readdir(SHARED)).filter((n) => /^[a-z]{2}$/.test(n)).sort();
  const embedded = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root: SHARED, delayMs: 500 });
  const nginx = hasCommand('nginx') ? await startNginx({ root: SHARED, port: await freePort() }) : undefined;
  const embeddedUrl = embedded.urls.LOCAL.replace('localhost', '127.0.0.1');
  const servers: EngineServers = {
    codes,
    paths: codes.map((cc) => `/flags/${cc}/${cc}.gif`),
    serverUrl: nginx?.url ?? embeddedUrl,
    embeddedUrl,
    delayUrl: embedded.urls.DELAY,
    nginx: nginx !== undefined,
  };
  const serverName = nginx === undefined ? 'the embedded flagfetch server' : 'nginx (1 worker) serving ../shared/flags';
  const samples = noSamples();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      await measureRound(servers, samples);
      const { rates, delay } = samples;
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: wrk ${Math.round(rates.wrk.at(-1) ?? 0)}, loop ${Math.round(rates.loop.at(-1) ?? 0)}, workers ${Math.round(rates.workers.at(-1) ?? 0)} req/s; DELAY loop ${Math.round(delay.loop.at(-1) ?? 0)} ms, workers ${Math.round(delay.workers.at(-1) ?? 0)} ms\n`,
      );
    }
  } finally {
    await nginx?.stop();
    await embedded.stop();
  }
  return writeSuite(
    'engine-speed',
    'Engine speed targets',
    'npm run build && node dist/bench/engine-speed.js',
    engineTargets(samples),
    engineDetails(samples, serverName),
    { ...samples, server: serverName },
  );
}

/** Arguments of a throughput run against `url`: -a --repeat 50, no saving, CONNECTIONS in flight. */
const workOn = (url: string): string[] => ['-a', '--repeat', '50', '--no-save', '-m', String(CONNECTIONS), '-s', url];

/** One round: wrk, loop, bare undici, workers (each short and long), the embedded server's pair, then DELAY. */
async function measureRound(s: EngineServers, samples: EngineSamples): Promise<void> {
  const { rates } = samples;
  const work = workOn(s.serverUrl);
  const wrkOn = async (url: string): Promise<number> =>
    (await runWrk({ url, paths: s.paths, connections: CONNECTIONS, threads: 1, durationS: 3 })).requestsPerSec;
  if (hasCommand('wrk')) rates.wrk.push(await wrkOn(s.serverUrl));
  const loop = await runDownload(['--model', 'loop', ...work]);
  rates.loop.push(loop.report.requestsPerSec);
  const long = await runDownload(['--model', 'loop', ...work, '--repeat', '250']);
  rates.loopLong.push(long.report.requestsPerSec);
  rates.bareUndiciShort.push(await bareUndiciRate(s.serverUrl, s.codes, 9700));
  rates.bareUndici.push(await bareUndiciRate(s.serverUrl, s.codes, 48500));
  const workers = await runDownload(['--model', 'workers', '-w', '2', ...work]);
  rates.workers.push(workers.report.requestsPerSec);
  rates.workersLong.push(
    (await runDownload(['--model', 'workers', '-w', '2', ...work, '--repeat', '250'])).report.requestsPerSec,
  );
  if (s.nginx && hasCommand('wrk')) {
    rates.wrkEmbedded.push(await wrkOn(s.embeddedUrl));
    rates.loopEmbedded.push((await runDownload(['--model', 'loop', ...workOn(s.embeddedUrl)])).report.requestsPerSec);
  }
  samples.startupPerWorkerMs.push((workers.report.startupMs - workers.report.connectMs) / workers.report.workers);
  for (const model of ['loop', 'workers'] as const) {
    const threads = model === 'workers' ? ['-w', '2'] : [];
    const d = await runDownload(['--model', model, ...threads, '-e', '-m', '1000', '--no-save', '-s', s.delayUrl]);
    samples.delay[model].push(d.report.elapsedMs);
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runEngineSpeed());
