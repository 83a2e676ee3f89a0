/**
 * `npm run bench`: installs the external tools when it can (bench/setup.sh), runs every
 * suite in turn and writes bench/results/summary.md with each target, measured against
 * wanted, PASS or FAIL. Every suite also runs alone: `node dist/bench/<suite>.js`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../src/atomic-file.js';
import { machineInfo } from '../src/compare/run-bench.js';
import { runConnectStorm } from './connect-storm.js';
import { runEngineSpeed } from './engine-speed.js';
import { runMemory } from './memory.js';
import { runQueue } from './queue.js';
import { runRate } from './rate.js';
import { runServerSpeed } from './server-speed.js';
import { runSlowloris } from './slowloris.js';
import { runSoak } from './soak.js';
import { runWork } from './work.js';
import { runNet } from './net.js';
import { runStartup } from './startup.js';
import { runSyntheticFlags } from './synthetic-flags.js';
import { RESULTS_DIR } from './lib/run.js';

const REPO = path.resolve(RESULTS_DIR, '../..');

async function main(): Promise<void> {
  try {
    execFileSync('bash', [path.join(REPO, 'bench', 'setup.sh')], { stdio: 'inherit' });
  } catch {
    process.stderr.write('note: bench/setup.sh failed; suites that need wrk or nginx say so\n');
  }
  const suites: [string, () => Promise<string>][] = [
    ['server-speed', runServerSpeed],
    ['engine-speed', runEngineSpeed],
    ['memory', runMemory],
    ['soak', runSoak],
    ['synthetic-flags', runSyntheticFlags],
    ['work', runWork],
    ['net', runNet],
    ['slowloris', runSlowloris],
    ['queue', runQueue],
    ['rate', runRate],
    ['connect-storm', runConnectStorm],
    ['startup', runStartup],
  ];
  const sections: string[] = [];
  for (const [name, run] of suites) {
    process.stderr.write(`\n== ${name} ==\n`);
    try {
      sections.push(await run());
    } catch (err) {
      sections.push(`# ${name}\n\nFAILED TO RUN: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.stderr.write('\n== showcase ==\n');
  execFileSync(process.execPath, [path.join(REPO, 'dist', 'bench', 'showcase.js'), '3'], { stdio: 'inherit' });
  const latest = (await readdir(RESULTS_DIR))
    .filter((f) => f.startsWith('showcase-') && f.endsWith('.md'))
    .sort()
    .at(-1);
  sections.push(
    latest === undefined
      ? '# showcase\n\n(no result written)\n'
      : await readFile(path.join(RESULTS_DIR, latest), 'utf8'),
  );
  const m = machineInfo();
  const summary = [
    `# flagfetch bench summary`,
    '',
    `${new Date().toISOString()} — ${m.cores} cores, ${m.cpuModel}, Node ${m.node}`,
    '',
    'Rerun everything: `npm run bench`.',
    '',
    ...sections,
  ].join('\n');
  await writeFileAtomic(path.join(RESULTS_DIR, 'summary.md'), summary);
  process.stdout.write(`${summary}\n`);
}

await main();
