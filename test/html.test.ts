import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderHtmlReport } from '../src/report/html.js';
import { niceTicks, tickLabel, esc } from '../src/report/html-svg.js';
import { sampleBench } from './helpers/bench-fixtures.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const skipWithoutChromium = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not installed (apt-get install chromium) — the page is not rendered by a browser`;

async function samplePage(): Promise<string> {
  const suites = [await sampleBench('LOCAL <no delay>'), await sampleBench('DELAY', 'DELAY')];
  return renderHtmlReport({ title: 'flagfetch showcase', suites, explanation: ['The single loop wins here & why.'] });
}

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;

void test('nice ticks and labels', () => {
  assert.deepEqual(niceTicks(9119), [0, 2000, 4000, 6000, 8000, 10000]);
  assert.deepEqual(niceTicks(1, 4), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(niceTicks(0), [0, 1]);
  assert.equal(tickLabel(25000), '25k');
  assert.equal(tickLabel(0.25), '0.25');
  assert.equal(esc('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;');
});

void test('the page is self-contained: three charts per suite, tables, machine info, no external resource', async () => {
  const html = await samplePage();
  assert.match(html, /^<!DOCTYPE html>/);
  assert.equal(count(html, /<svg /g), 6);
  assert.equal(count(html, /<table>/g), 2);
  assert.equal(
    count(html, /<polyline /g),
    10,
    'loop, threads w1, threads w2, workers w1, workers w2 lines in each suite',
  );
  assert.ok(count(html, /<rect /g) > 100);
  for (const title of [
    'Throughput against requests in flight',
    'Latency percentiles',
    'Event-loop utilization per worker',
  ])
    assert.ok(html.includes(title));
  assert.match(html, /<b>\d+<\/b> cores/);
  assert.match(html, /Node <b>v\d+/);
  assert.ok(html.includes('LOCAL &lt;no delay&gt;'), 'titles are escaped');
  assert.ok(html.includes('wins here &amp; why'));
  // The sample's top two (workers w2 m1000, loop m1000) overlap: no winner is marked, the ranking says so.
  assert.doesNotMatch(html, /<tr class="best">/);
  assert.match(
    html,
    /<li>workers w2 m1000 dynamic and loop m1000 are indistinguishable \(1\.\d\d× \(0\.\d\d–1\.\d\d\); the interval includes 1\)<\/li>/,
  );
  assert.match(
    html,
    /<title>workers w2 dynamic, max-req 100: \d+ req\/s \(runs \d+–\d+ req\/s\)<\/title>/,
    'tooltips say the unit',
  );
  assert.match(html, /<title>[^<]* — p99: [\d.]+ ms<\/title>/);
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
  assert.doesNotMatch(html, /(src|href)\s*=/i);
});

void test('chromium renders the page with its charts', { skip: skipWithoutChromium, timeout: 60_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-html-'));
  try {
    const file = path.join(dir, 'report.html');
    await writeFile(file, await samplePage());
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(dir, 'profile')}`,
    ];
    const { stdout: dom } = await run(CHROMIUM, [...flags, '--dump-dom', `file://${file}`], {
      maxBuffer: 16 * 2 ** 20,
      timeout: 45_000,
    });
    assert.equal(count(dom, /<svg /g), 6, 'the SVG charts survive rendering');
    assert.ok(count(dom, /<circle /g) >= 20);
    const png = path.join(dir, 'shot.png');
    await run(CHROMIUM, [...flags, `--screenshot=${png}`, '--window-size=1280,2000', `file://${file}`], {
      timeout: 45_000,
    });
    const head = (await readFile(png)).subarray(0, 8);
    assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    // A blank 1280×2000 page compresses to a few KB; charts, bars and text make it far larger.
    assert.ok((await stat(png)).size > 60_000, `screenshot is ${(await stat(png)).size} bytes`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('several suites are shown side by side: one card each with req/s, ×loop bars and ELU', async () => {
  const suites = [
    await sampleBench('LOCAL'),
    await sampleBench('DELAY', 'DELAY'),
    await sampleBench('CPU work', 'DELAY'),
  ];
  const html = renderHtmlReport({ title: 't', suites });
  assert.equal(count(html, /The scenarios side by side/g), 1);
  assert.equal(count(html, /<div class="card"><h3>/g), 3);
  assert.equal(count(html, /<table class="mini">/g), 3);
  assert.ok(count(html, /<span class="bar (gain|loss|even)" style="width:\d+%"><\/span>/g) >= 3 * 5);
  const single = renderHtmlReport({ title: 't', suites: suites.slice(0, 1) });
  assert.doesNotMatch(single, /side by side/);
});

void test('the throughput axis starts at the power of ten below the smallest max-req, and a bench page has its title once', async () => {
  const suite = await sampleBench('flagfetch bench');
  const tens = { ...suite, configs: suite.configs.filter((c) => c.config.maxReq >= 10) };
  const html = renderHtmlReport({ title: 'flagfetch bench', suites: [tens] });
  const chart = html.slice(
    html.indexOf('Throughput against'),
    html.indexOf('</svg>', html.indexOf('Throughput against')),
  );
  assert.doesNotMatch(chart, /text-anchor="middle">1<\/text>/, 'no tick at 1 when the smallest max-req is 10');
  assert.match(chart, /text-anchor="middle">10<\/text>/);
  assert.equal(count(html, />flagfetch bench</g), 2, 'in <title> and <h1>, not again as a section heading');
});
