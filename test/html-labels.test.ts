import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderHtmlReport } from '../src/report/html.js';
import { tuneHtml } from '../src/report/tune-files.js';
import { showcaseSuites } from '../src/compare/showcase-scenarios.js';
import { runBench } from '../src/compare/run-bench.js';
import { runTune, workerSpace } from '../src/compare/tune-run.js';
import type { Runner } from '../src/compare/types.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not installed (apt-get install chromium): labels not checked`;

/** Appended to a copy of the page: lists every SVG text whose box pokes out of its drawing. */
const CHECK = `<script>
const clipped = [];
const svgs = [...document.querySelectorAll('svg')];
for (const svg of svgs) {
  const box = svg.getBoundingClientRect();
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
      clipped.push(t.textContent + ': ' + [r.left - box.left, box.right - r.right, r.top - box.top, box.bottom - r.bottom].map(Math.round).join(' '));
  }
}
const pre = document.createElement('pre');
pre.id = 'labels';
pre.textContent = JSON.stringify({ svgs: svgs.length, texts: document.querySelectorAll('svg text').length, clipped });
document.body.append(pre);
</script>`;

/** Render `html` in headless Chromium and return what CHECK found. */
async function labelsOf(html: string): Promise<{ svgs: number; texts: number; clipped: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-labels-'));
  try {
    const file = path.join(dir, 'page.html');
    await writeFile(file, html.replace('</body>', `${CHECK}</body>`));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
    const { stdout } = await run(
      CHROMIUM,
      [
        ...flags,
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${path.join(dir, 'p')}`,
        '--window-size=1280,3000',
        '--dump-dom',
        `file://${file}`,
      ],
      { maxBuffer: 16 * 2 ** 20, timeout: 45_000 },
    );
    const json = /<pre id="labels">([^<]*)<\/pre>/.exec(stdout)?.[1] ?? '{}';
    return JSON.parse(json.replaceAll('&amp;', '&').replaceAll('&quot;', '"')) as {
      svgs: number;
      texts: number;
      clipped: string[];
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The showcase's CPU-work suite (the longest labels: `sequential decode [20 codes] [×1]`) from hand-built runs. */
async function cpuSuitePage(): Promise<string> {
  const spec = showcaseSuites(3, 2)[2];
  assert.ok(spec !== undefined);
  const runner: Runner = (c) =>
    Promise.resolve(fakeReport({ elapsedMs: 100 * c.maxReq ** 0.1, elu: c.model === 'workers' ? [0.8, 0.7] : [0.99] }));
  const suite = await runBench({ ...spec, target: LOCAL_TARGET, delayMs: 20, command: '' }, runner, { readLoad: null });
  assert.ok(suite.configs.some((c) => c.label === 'sequential decode [20 codes] [×1]'));
  return renderHtmlReport({ title: 'flagfetch showcase', suites: [suite, suite, suite] });
}

void test(
  'report.html: no label is clipped: every text lies inside its drawing (Chromium)',
  { skip, timeout: 90_000 },
  async () => {
    const found = await labelsOf(await cpuSuitePage());
    assert.equal(found.svgs, 9, 'three charts per suite');
    assert.ok(found.texts > 100, `${found.texts} texts`);
    assert.deepEqual(found.clipped, []);
  },
);

void test(
  'tune --export-html: the throughput chart over workers × max-req, labels inside (Chromium)',
  { skip, timeout: 90_000 },
  async () => {
    let clock = 0;
    const runner: Runner = (c) => {
      clock += 1000;
      const rps =
        1000 *
        Math.min(c.maxReq, 50) *
        (c.model === 'workers' ? 1 + 0.1 * c.workers : 1) *
        (1 + ((clock / 1000) % 3) * 0.01);
      return Promise.resolve(fakeReport({ elapsedMs: (194 * 1000) / rps, workers: c.workers, maxReq: c.maxReq }));
    };
    const plan = {
      model: 'workers' as const,
      split: 'dynamic' as const,
      target: LOCAL_TARGET,
      delayMs: null,
      budgetMs: 60_000,
    };
    const report = await runTune(
      { ...plan, space: { workers: workerSpace('workers', 4), maxReqMin: 1, maxReqMax: 2000 } },
      runner,
      { now: () => clock, readLoad: null },
    );
    const html = tuneHtml([report]);
    assert.match(html, /<svg class="chart"[^>]*aria-label="Throughput over workers × max-req"/);
    assert.match(html, /<title>loop, max-req \d+: \d+ req\/s( \(95 % interval \d+–\d+ req\/s\))?<\/title>/);
    assert.match(
      html,
      /<title>-w \d, max-req \d+: \d+ req\/s \(95 % interval \d+–\d+ req\/s\)<\/title>/,
      'intervals where a point ran more than once',
    );
    const found = await labelsOf(html);
    assert.equal(found.svgs, 1);
    assert.deepEqual(found.clipped, []);
  },
);
