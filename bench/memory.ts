/**
 * Memory (issue 3): one million requests (`-a --repeat 5155`, --no-save) with loop and with
 * workers keep the peak RSS of the whole process under 150 MB, and RSS stays flat.
 * Run: `npm run build && node dist/bench/memory.js`
 */
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { freePort, hasCommand, startNginx } from './lib/external.js';
import { report, runDownload, writeSuite, type Target } from './lib/run.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const REPEAT = 5155; // × 194 = 1,000,070 requests
const MB = 1024 * 1024;

/** One model's million requests: what it did and its RSS, in MB. */
interface MemoryRow {
  readonly model: string;
  readonly requests: number;
  readonly elapsedS: number;
  readonly peakMb: number;
  /** RSS after 2 s, and just before the end. */
  readonly firstMb: number;
  readonly lastMb: number;
  /** RSS every second. */
  readonly samples: number[];
}

/** Run the suite; returns its markdown. */
export async function runMemory(): Promise<string> {
  const nginx = hasCommand('nginx') ? await startNginx({ root: SHARED, port: await freePort() }) : undefined;
  const embedded =
    nginx === undefined
      ? await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root: SHARED })
      : undefined;
  const url = nginx?.url ?? embedded?.urls.LOCAL ?? '';
  const rows: MemoryRow[] = [];
  try {
    for (const model of ['loop', 'workers']) rows.push(await measureModel(model, url));
  } finally {
    await nginx?.stop();
    await embedded?.stop();
  }
  const targets: Target[] = rows.map((r) => ({
    name: `peak RSS, ${r.model}, ${r.requests.toLocaleString('en')} requests`,
    measured: `${r.peakMb.toFixed(0)} MB`,
    target: '< 150 MB',
    pass: r.peakMb < 150,
  }));
  const details = [
    `Server: ${nginx === undefined ? 'the embedded flagfetch server' : 'nginx (1 worker)'} serving ../shared/flags; -m 100, workers -w 2. Peak RSS is the process's maxRSS (all threads), from the JSON report; RSS was also sampled every second from /proc by this script.`,
    '',
    '| model | requests | elapsed s | peak RSS MB | RSS after 2 s → before the end (MB) | samples (MB, every second) |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.requests} | ${r.elapsedS.toFixed(1)} | ${r.peakMb.toFixed(0)} | ${r.firstMb} → ${r.lastMb} | ${r.samples.join(' ')} |`,
    ),
  ];
  return writeSuite(
    'memory',
    'Memory at one million requests',
    'npm run build && node dist/bench/memory.js',
    targets,
    details,
    rows,
  );
}

/** A million requests with `model` (workers: -w 2) against `url`, -m 100, nothing saved. */
async function measureModel(model: string, url: string): Promise<MemoryRow> {
  const threads = model === 'workers' ? ['-w', '2'] : [];
  const r = await runDownload([
    '--model',
    model,
    ...threads,
    '-a',
    '--repeat',
    String(REPEAT),
    '--no-save',
    '-m',
    '100',
    '-s',
    url,
  ]);
  const samples = r.rssSamplesBytes.map((b) => Math.round(b / MB));
  process.stderr.write(
    `${model}: ${r.report.total} requests in ${(r.report.elapsedMs / 1000).toFixed(1)} s, peak RSS ${(r.report.peakRssBytes / MB).toFixed(0)} MB\n`,
  );
  return {
    model,
    requests: r.report.total,
    elapsedS: r.report.elapsedMs / 1000,
    peakMb: r.report.peakRssBytes / MB,
    firstMb: samples[1] ?? 0,
    lastMb: samples.at(-2) ?? 0,
    samples,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runMemory());
