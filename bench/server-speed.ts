/**
 * Server speed (issue 2): requests/s of flagfetch's flag server for one ~12 KB flag,
 * measured by wrk beside nginx (one worker) and a bare node:http server serving the same
 * bytes, alternating rounds. Target: flagfetch ≥ 50 % of nginx.
 * Run: `npm run build && node dist/bench/server-speed.js`
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { freePort, hasCommand, runWrk, startNginx } from './lib/external.js';
import { median, report, spread, writeSuite, type Target } from './lib/run.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const ROUNDS = 3;
const SECONDS = 5;
const CONNECTIONS = 50;

/** The real flag closest to 12 KB. */
async function twelveKbFlag(): Promise<string> {
  const codes = (await readdir(SHARED)).filter((n) => /^[a-z]{2}$/.test(n));
  const sizes = await Promise.all(
    codes.map(async (cc) => [cc, (await stat(path.join(SHARED, cc, `${cc}.gif`))).size] as const),
  );
  sizes.sort((a, b) => Math.abs(a[1] - 12_000) - Math.abs(b[1] - 12_000));
  return sizes[0]?.[0] ?? 'br';
}

/** A bare node:http server answering every request with the file (the reference). */
async function startBareNode(file: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const script = `const b=require('fs').readFileSync(${JSON.stringify(file)});require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'image/gif','content-length':b.length});s.end(b)}).listen(${port},'127.0.0.1',()=>process.send('ok'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((r) => child.once('message', r));
  return {
    url: `http://127.0.0.1:${port}/flags`,
    stop: async () => void (child.kill(), await new Promise((r) => child.once('exit', r))),
  };
}

/** Run the suite; returns its markdown. */
export async function runServerSpeed(): Promise<string> {
  if (!hasCommand('wrk')) {
    return writeSuite(
      'server-speed',
      'Server speed',
      'node dist/bench/server-speed.js',
      [{ name: 'flagfetch server ÷ nginx', measured: 'wrk not installed', target: '≥ 0.50', pass: null }],
      ['wrk is needed: run bench/setup.sh'],
      {},
    );
  }
  const cc = await twelveKbFlag();
  const file = path.join(SHARED, cc, `${cc}.gif`);
  const bytes = (await stat(file)).size;
  const flagfetch = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root: SHARED });
  const servers: Server[] = [
    { name: 'flagfetch', url: flagfetch.urls.LOCAL.replace('localhost', '127.0.0.1'), stop: () => flagfetch.stop() },
  ];
  if (hasCommand('nginx'))
    servers.push({ name: 'nginx', ...(await startNginx({ root: SHARED, port: await freePort() })) });
  servers.push({ name: 'bare node:http', ...(await startBareNode(file)) });
  let rates: Rates;
  try {
    rates = await measureRounds(servers, `/${cc}/${cc}.gif`);
  } finally {
    for (const s of servers) await s.stop();
  }
  const med = (name: string): number => median(rates.get(name) ?? [Number.NaN]);
  const ratio = med('flagfetch') / med('nginx');
  const targets: Target[] = [
    {
      name: 'flagfetch server ÷ nginx (1 worker), wrk -c 50 -t 1',
      measured: rates.has('nginx') ? ratio.toFixed(2) : 'nginx not installed',
      target: '≥ 0.50',
      pass: rates.has('nginx') ? ratio >= 0.5 : null,
    },
    {
      name: 'bare node:http ÷ nginx (reference)',
      measured: (med('bare node:http') / med('nginx')).toFixed(2),
      target: '≈ 0.60 (DESIGN.md)',
      pass: null,
    },
  ];
  const details = [
    `Flag: ${cc}.gif, ${bytes} bytes. ${ROUNDS} rounds × ${SECONDS} s per server, alternating (A B C A B C …); wrk -t 1 -c ${CONNECTIONS}, keep-alive. Each server in its own process; wrk, server and this script share the machine's cores.`,
    '',
    '| server | requests/s, median (min–max) |',
    '|---|---|',
    ...[...rates].map(([name, v]) => `| ${name} | ${spread(v)} |`),
  ];
  return writeSuite(
    'server-speed',
    'Server speed: flagfetch serve against nginx',
    'npm run build && node dist/bench/server-speed.js',
    targets,
    details,
    Object.fromEntries(rates),
  );
}

/** A server under test: its name, base URL and how to stop it. */
interface Server {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

/** Requests/s by server name, one per round. */
type Rates = Map<string, number[]>;

/** ROUNDS rounds of wrk against each server in turn (A B C A B C …), on the one flag at `flagPath`. */
async function measureRounds(servers: readonly Server[], flagPath: string): Promise<Rates> {
  const rates: Rates = new Map(servers.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const s of servers) {
      const r = await runWrk({ url: `${s.url}${flagPath}`, connections: CONNECTIONS, threads: 1, durationS: SECONDS });
      if (r.errors > 0) throw new Error(`${s.name}: ${r.errors} non-2xx answers`);
      rates.get(s.name)?.push(r.requestsPerSec);
      process.stderr.write(`round ${round + 1}/${ROUNDS} ${s.name}: ${Math.round(r.requestsPerSec)} req/s\n`);
    }
  }
  return rates;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runServerSpeed());
