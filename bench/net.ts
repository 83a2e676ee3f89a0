/**
 * HTTPS and HTTP/2 (issue 11, sections 2 and 3), ratios measured side by side in one run,
 * rounds alternating, every run a fresh process against the embedded servers (one plain, one
 * over TLS with HTTP/2 and HTTP/1.1 on the same port, its CA passed with --ca):
 *  1. HTTPS h1 LOCAL `--model loop -a --repeat 50 -m 100 --no-save`: ≥ 0.5 × the same over http;
 *  2. the handshake cost of `-m 200` for loop and workers (reported, no target: the server does
 *     its half of every handshake on the same cores): connectMs over TLS against plain, per connection;
 *  3. HTTP/2 on DELAY 20 ms, `-m 100`: one connection ≥ 90 % of the throughput of 100 HTTP/1.1
 *     connections (both over TLS), with the server's peak of streams on one connection as the proof.
 * Run: `npm run build && node dist/bench/net.js`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServers, type EmbeddedServers } from '../src/server/embedded.js';
import { median, report, runDownload, spread, writeSuite, type Target } from './lib/run.js';
import type { JsonReport } from '../src/compare/json-report.js';

const ROUNDS = 3;
const DELAY_MS = 20;
const LOCAL = ['--model', 'loop', '-a', '--repeat', '50', '-m', '100', '--no-save'];
const HANDSHAKE = ['-a', '--repeat', '5', '-m', '200', '--no-save'];
const H2 = ['--model', 'loop', '-a', '--repeat', '5', '-m', '100', '--no-save'];

/** Median of the per-round ratios a[i] / b[i]. */
function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((v, i) => v / (b[i] ?? Number.NaN)));
}

/** Run `args` against `url` (trusting `caFile` when given). */
async function run(args: readonly string[], url: string, caFile?: string): Promise<JsonReport> {
  return (await runDownload([...args, '-s', url, ...(caFile === undefined ? [] : ['--ca', caFile])])).report;
}

interface Measured {
  local: { http: number[]; https: number[] };
  handshake: Record<'loop' | 'workers', { plain: JsonReport[]; tls: JsonReport[] }>;
  h2: { one: number[]; h1: number[]; peakStreams: number[]; h2Connections: number[] };
}

/** One round of every measurement, in an order that alternates with the round. */
async function round(
  i: number,
  plain: EmbeddedServers,
  tls: EmbeddedServers,
  caFile: string,
  m: Measured,
): Promise<void> {
  const flip = i % 2 === 1;
  const pair = async (a: () => Promise<void>, b: () => Promise<void>): Promise<void> => {
    if (flip) {
      await b();
      await a();
    } else {
      await a();
      await b();
    }
  };
  await pair(
    async () => void m.local.http.push((await run(LOCAL, plain.urls.LOCAL)).requestsPerSec),
    async () => void m.local.https.push((await run(LOCAL, tls.urls.LOCAL, caFile)).requestsPerSec),
  );
  for (const model of ['loop', 'workers'] as const) {
    const args = ['--model', model, ...(model === 'workers' ? ['-w', '2'] : []), ...HANDSHAKE];
    await pair(
      async () => void m.handshake[model].plain.push(await run(args, plain.urls.LOCAL)),
      async () => void m.handshake[model].tls.push(await run(args, tls.urls.LOCAL, caFile)),
    );
  }
  await pair(
    async () => void m.h2.h1.push((await run(H2, tls.urls.DELAY, caFile)).requestsPerSec),
    async () => {
      const before = (await tls.stats()).DELAY;
      const r = await run([...H2, '--http2', '--connections', '1'], tls.urls.DELAY, caFile);
      const after = (await tls.stats()).DELAY;
      m.h2.one.push(r.requestsPerSec);
      m.h2.peakStreams.push(after.peakStreamsPerSession);
      m.h2.h2Connections.push(r.connections);
      void before;
    },
  );
}

/** Run the suite; returns its markdown. */
export async function runNet(): Promise<string> {
  const load = loadavg()[0] ?? 0;
  const plain = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs: DELAY_MS });
  const tls = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs: DELAY_MS, tls: true });
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-net-'));
  const caFile = path.join(dir, 'ca.pem');
  const m: Measured = {
    local: { http: [], https: [] },
    handshake: { loop: { plain: [], tls: [] }, workers: { plain: [], tls: [] } },
    h2: { one: [], h1: [], peakStreams: [], h2Connections: [] },
  };
  try {
    await writeFile(caFile, tls.caPem ?? '');
    for (let i = 0; i < ROUNDS; i += 1) {
      await round(i, plain, tls, caFile, m);
      process.stderr.write(
        `round ${i + 1}/${ROUNDS}: LOCAL loop https ${Math.round(m.local.https.at(-1) ?? 0)} vs http ${Math.round(m.local.http.at(-1) ?? 0)} req/s; DELAY h2 1 connection ${Math.round(m.h2.one.at(-1) ?? 0)} vs h1 100 connections ${Math.round(m.h2.h1.at(-1) ?? 0)} req/s\n`,
      );
    }
  } finally {
    await Promise.all([plain.stop(), tls.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
  return write(m, load);
}

/** Handshake cost per connection: (connectMs over TLS − plain) ÷ connections, median over rounds. */
function handshakeMs(h: { plain: JsonReport[]; tls: JsonReport[] }): number {
  return median(h.tls.map((t, i) => (t.connectMs - (h.plain[i]?.connectMs ?? 0)) / Math.max(1, t.connections)));
}

/** Write the suite's results (`load`: the load average at the start); returns the markdown. */
function write(m: Measured, load: number): Promise<string> {
  return writeSuite(
    'net',
    'HTTPS and HTTP/2',
    'npm run build && node dist/bench/net.js',
    netTargets(m, load),
    netDetails(m, load),
    {
      ...m,
      load,
    },
  );
}

/** The targets: HTTPS ÷ HTTP, HTTP/2 on one connection ÷ HTTP/1.1 on 100, the handshake cost (reported). */
function netTargets(m: Measured, load: number): Target[] {
  const httpsRatio = pairedRatio(m.local.https, m.local.http);
  const h2Ratio = pairedRatio(m.h2.one, m.h2.h1);
  const loaded =
    load > 2.5 ? ` (machine loaded: load average ${load.toFixed(1)} on 2 cores; rerun on a quiet machine)` : '';
  return [
    {
      name: `HTTPS ÷ HTTP, LOCAL loop -m 100${loaded}`,
      measured: httpsRatio.toFixed(2),
      target: '≥ 0.5',
      pass: httpsRatio >= 0.5,
    },
    {
      name: `HTTP/2 on 1 connection ÷ HTTP/1.1 on 100, DELAY ${DELAY_MS} ms -m 100${loaded}`,
      measured: h2Ratio.toFixed(2),
      target: '≥ 0.9',
      pass: h2Ratio >= 0.9,
    },
    {
      name: 'handshake per connection, -m 200, loop (ms)',
      measured: handshakeMs(m.handshake.loop).toFixed(2),
      target: 'reported',
      pass: null,
    },
    {
      name: 'handshake per connection, -m 200, workers -w 2 (ms)',
      measured: handshakeMs(m.handshake.workers).toFixed(2),
      target: 'reported',
      pass: null,
    },
  ];
}

/** The details: the load, the commands, every figure as median (min–max), what the handshake figure means. */
function netDetails(m: Measured, load: number): string[] {
  const col = (rs: JsonReport[], f: (r: JsonReport) => number, digits = 0): string => spread(rs.map(f), digits);
  const hs = (model: 'loop' | 'workers'): string[] => {
    const h = m.handshake[model];
    return [
      `| ${model}: connectMs plain / TLS | ${col(h.plain, (r) => r.connectMs)} / ${col(h.tls, (r) => r.connectMs)} |`,
      `| ${model}: connections opened (TLS) | ${col(h.tls, (r) => r.connections)} |`,
      `| ${model}: connectMsPerConnection plain / TLS | ${col(h.plain, (r) => r.connectMsPerConnection, 2)} / ${col(h.tls, (r) => r.connectMsPerConnection, 2)} |`,
    ];
  };
  return [
    `Load average at the start: ${load.toFixed(1)} (2 cores)${load > 2.5 ? ': the machine was loaded by other work, so these figures are only indicative' : ''}. ${ROUNDS} rounds, each pair run in alternating order; ratios are medians of the per-round ratios.`,
    '',
    'Commands (every run adds `--json --no-embedded -s URL`, and `--ca FILE` over TLS):',
    `- HTTPS vs HTTP: \`flagfetch download ${LOCAL.join(' ')}\` against the plain and the TLS LOCAL server`,
    `- handshakes: \`flagfetch download --model loop ${HANDSHAKE.join(' ')}\` and \`--model workers -w 2 …\`, plain and TLS`,
    `- HTTP/2: \`flagfetch download ${H2.join(' ')}\` (HTTP/1.1, 100 connections) vs the same with \`--http2 --connections 1\`, DELAY ${DELAY_MS} ms over TLS`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| LOCAL loop req/s, http | ${spread(m.local.http)} |`,
    `| LOCAL loop req/s, https | ${spread(m.local.https)} |`,
    ...hs('loop'),
    ...hs('workers'),
    `| DELAY req/s, HTTP/1.1 on 100 connections | ${spread(m.h2.h1)} |`,
    `| DELAY req/s, HTTP/2 on 1 connection | ${spread(m.h2.one)} |`,
    `| HTTP/2: connections the client opened | ${spread(m.h2.h2Connections)} |`,
    `| HTTP/2: the server's peak of streams open at once on one connection | ${spread(m.h2.peakStreams)} |`,
    '',
    'The handshake figure is start-up, before the clock: (connectMs over TLS − connectMs plain) ÷ connections. The loop does every handshake on one thread; workers split them between their threads, which run in parallel, so its wall time per connection is lower — on 2 cores shared with the server, which does its half of every handshake too.',
  ];
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runNet());
