/**
 * Soak (issue 5): 100,000 requests against a server mixing every fault, across 4 workers
 * with retries. Checks: counts add up, every saved file is byte-identical to the server's,
 * no temp file is left, RSS stays flat, and the process exits by itself right after its
 * report (no socket or handle left open).
 * Run: `npm run build && node dist/bench/soak.js`
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { report, runDownload, writeSuite, type DownloadRun, type Target } from './lib/run.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const REPEAT = 516; // × 194 = 100,104 requests
const FAULTS = ['reset:0.02', 'truncate:0.02', 'stall:0.005', 'slow:0.005', 'status:0.05', 'jitter:0.1'];
const MB = 1024 * 1024;

/** Run the suite; returns its markdown. */
export async function runSoak(): Promise<string> {
  const server = await startEmbeddedServers({
    ports: { local: 0, delay: 0, error: 0 },
    root: SHARED,
    extraArgs: [...FAULTS.flatMap((f) => ['--fault', f]), '--seed', '7'],
  });
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-soak-'));
  try {
    const args = [
      ...['-a', '--repeat', String(REPEAT), '--model', 'workers', '-w', '4', '-m', '100'],
      ...['--retries', '3', '--timeout', '1000', '-o', dest, '-s', server.urls.LOCAL],
    ];
    const run = await runDownload(args);
    const j = run.report;
    const samples = run.rssSamplesBytes.map((b) => Math.round(b / MB));
    const details = [
      `Server: flagfetch serve --root ../shared/flags --seed 7 ${FAULTS.map((f) => `--fault ${f}`).join(' ')} (its own process).`,
      `Client: flagfetch download ${args.slice(0, -4).join(' ')} -o TMP -s URL. Elapsed ${(j.elapsedMs / 1000).toFixed(1)} s, ${j.requestsPerSec.toFixed(0)} req/s.`,
      `Errors left after retries: ${JSON.stringify(j.errorsByReason)}.`,
      `RSS samples (MB, every second): ${samples.join(' ')}`,
    ];
    return await writeSuite(
      'soak',
      'Soak: 100,000 requests under every fault',
      'npm run build && node dist/bench/soak.js',
      soakTargets(run, await checkSaved(dest), samples),
      details,
      { report: j, samples, exitAfterReportMs: run.exitAfterReportMs },
    );
  } finally {
    await rm(dest, { recursive: true, force: true });
    await server.stop();
  }
}

/** What --dest holds after the run: flags, how many equal the real ones byte for byte, and temp files. */
interface Saved {
  readonly gifs: number;
  readonly identical: number;
  readonly temps: number;
}

async function checkSaved(dest: string): Promise<Saved> {
  const files = await readdir(dest);
  let identical = 0;
  for (const f of files.filter((x) => x.endsWith('.gif'))) {
    const cc = f.slice(0, 2);
    if ((await readFile(path.join(dest, f))).equals(await readFile(path.join(SHARED, cc, f)))) identical += 1;
  }
  const gifs = files.filter((f) => f.endsWith('.gif')).length;
  return { gifs, identical, temps: files.filter((f) => f.startsWith('.flagfetch-')).length };
}

/** The soak's verdicts: counts add up, files identical, no temp file, flat RSS (`samples` in MB), a prompt exit. */
function soakTargets(run: DownloadRun, saved: Saved, samples: readonly number[]): Target[] {
  const j = run.report;
  const addsUp =
    j.ok + j.notFound + j.errors + j.cancelled === j.total &&
    j.perWorker.every((w) => w.ok + w.notFound + w.errors + w.cancelled === w.total);
  const steady = samples.slice(Math.floor(samples.length / 4));
  const growthMb = steady.length > 1 ? (steady.at(-1) ?? 0) - (steady[0] ?? 0) : 0;
  const { gifs, identical, temps } = saved;
  return [
    {
      name: 'ok + not found + errors + cancelled = total (and per worker)',
      measured: `${j.ok} + ${j.notFound} + ${j.errors} + ${j.cancelled} = ${j.total}`,
      target: `= ${194 * REPEAT}`,
      pass: addsUp && j.total === 194 * REPEAT,
    },
    {
      name: 'saved files byte-identical to ../shared/flags',
      measured: `${identical} of ${gifs}`,
      target: 'all',
      pass: identical === gifs && gifs > 0,
    },
    { name: 'temp files left in --dest', measured: String(temps), target: '0', pass: temps === 0 },
    {
      name: 'RSS growth over the last three quarters of the run',
      measured: `${growthMb} MB (peak ${(j.peakRssBytes / MB).toFixed(0)} MB)`,
      target: '< 20 MB',
      pass: growthMb < 20,
    },
    {
      name: 'process exit after its report (open handles)',
      measured: `${Math.round(run.exitAfterReportMs)} ms, exit code ${run.exitCode}`,
      target: '< 2000 ms',
      pass: run.exitAfterReportMs < 2000,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runSoak());
