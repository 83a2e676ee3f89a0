import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix, configKey, configLabel, interleave } from '../src/compare/matrix.js';
import { downloadArgs } from '../src/compare/run-once.js';
import { fakeReport, LOCAL_TARGET, LOOP100 } from './helpers/bench-fixtures.js';
import { runBench } from '../src/compare/run-bench.js';

void test('matrix: sequential once, loop per max-req, threads and workers per workers × max-req', () => {
  const { configs, notes } = buildMatrix({
    models: ['sequential', 'loop', 'threads', 'workers'],
    workers: [1, 2],
    maxReq: [10, 100],
    split: 'static',
  });
  assert.deepEqual(configs.map(configKey), [
    'sequential',
    'loop m10',
    'loop m100',
    'threads w1 m10',
    'threads w2 m10',
    'threads w1 m100',
    'threads w2 m100',
    'workers w1 m10 static',
    'workers w2 m10 static',
    'workers w1 m100 static',
    'workers w2 m100 static',
  ]);
  assert.deepEqual(notes, []);
});

void test('matrix: adds the loop baselines the ratios need, and says so', () => {
  const { configs, notes } = buildMatrix({ models: ['workers'], workers: [2], maxReq: [100, 10], split: 'dynamic' });
  assert.deepEqual(configs.map(configKey), [
    'workers w2 m100 dynamic',
    'workers w2 m10 dynamic',
    'loop m10',
    'loop m100',
  ]);
  assert.equal(configs.filter((c) => c.auto === true).length, 2);
  assert.match(notes[0] ?? '', /added loop at max-req 10, 100/);
});

void test('matrix: sequential alone is compared with loop at the largest max-req', () => {
  const { configs } = buildMatrix({ models: ['sequential'], workers: [2], maxReq: [10, 1000], split: 'dynamic' });
  assert.deepEqual(configs.map(configKey), ['sequential', 'loop m1000']);
});

void test('labels: the key (threads with their -w, as workers), plus a scaled workload', () => {
  assert.equal(configLabel({ model: 'threads', workers: 2, maxReq: 1000, split: 'dynamic' }), 'threads w2 m1000');
  const threads = downloadArgs({ model: 'threads', workers: 2, maxReq: 100, split: 'static' }, LOCAL_TARGET);
  assert.ok(threads.join(' ').includes('--model threads -w 2 -m 100'), threads.join(' '));
  assert.ok(!threads.includes('--split'), 'download refuses --split with threads');
  assert.equal(
    configLabel({ model: 'sequential', workers: 1, maxReq: 1, split: 'dynamic', limit: 20 }),
    'sequential [20 codes]',
  );
});

void test('interleave: warm-ups first, then A B C A B C', () => {
  const order = interleave(3, 2, 1).map((s) => `${s.warmup ? 'w' : 'r'}${s.config}.${s.run}`);
  assert.deepEqual(order, ['w0.1', 'w1.1', 'w2.1', 'r0.1', 'r1.1', 'r2.1', 'r0.2', 'r1.2', 'r2.2']);
  assert.deepEqual(interleave(2, 0, 0), []);
});

void test('downloadArgs: one fresh download with the configuration and the target', () => {
  const args = downloadArgs(
    { model: 'workers', workers: 2, maxReq: 50, split: 'static' },
    { ...LOCAL_TARGET, codeArgs: ['-a', '-l', '100'], repeat: 3 },
  );
  assert.deepEqual(args, [
    'download',
    '--json',
    '--no-save',
    '--no-embedded',
    '--model',
    'workers',
    '-w',
    '2',
    '--split',
    'static',
    '-m',
    '50',
    '-s',
    'http://127.0.0.1:1/flags',
    '--repeat',
    '3',
    '-a',
    '-l',
    '100',
  ]);
  const scaled = downloadArgs(
    { model: 'sequential', workers: 1, maxReq: 1, split: 'dynamic', limit: 10, repeat: 1 },
    { ...LOCAL_TARGET, codeArgs: ['-a', '-l', '100'], repeat: 3 },
  );
  assert.deepEqual(scaled.slice(-5), ['--repeat', '1', '-a', '-l', '10']);
  assert.ok(!scaled.includes('-w') && !scaled.includes('--split'), 'no workers options for a model without workers');
});

void test('matrix: --works is a dimension; each configuration is compared with the loop doing the same work', () => {
  const { configs, notes } = buildMatrix({
    models: ['workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
    works: ['none', 'decode'],
  });
  assert.deepEqual(configs.map(configKey), [
    'workers w2 m100 dynamic',
    'workers w2 m100 dynamic decode',
    'loop m100',
    'loop m100 decode',
  ]);
  assert.match(notes[0] ?? '', /added loop at max-req 100, 100 \(decode\): .* same max-req and work/);
  const args = downloadArgs(configs[1] ?? LOOP100, LOCAL_TARGET);
  assert.deepEqual(args.slice(-5), ['--repeat', '1', '--work', 'decode', '-a']);
  assert.ok(!downloadArgs(configs[0] ?? LOOP100, LOCAL_TARGET).includes('--work'), 'none passes no flag');
});

void test('summary: the ratio of a decode configuration is to the loop that decodes too', async () => {
  const { configs } = buildMatrix({
    models: ['loop', 'workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
    works: ['none', 'decode'],
  });
  const rps: Record<string, number> = {
    'loop m100': 1000,
    'workers w2 m100 dynamic': 900,
    'loop m100 decode': 300,
    'workers w2 m100 dynamic decode': 540,
  };
  const result = await runBench(
    { title: 't', configs, notes: [], target: LOCAL_TARGET, delayMs: null, runs: 1, warmup: 0, command: '' },
    (c) => Promise.resolve(fakeReport({ elapsedMs: (194 * 1000) / (rps[configKey(c)] ?? 1) })),
  );
  const ratio = (key: string): number | null | undefined => result.configs.find((s) => s.key === key)?.ratioToLoop;
  assert.equal(ratio('workers w2 m100 dynamic'), 0.9);
  assert.equal(ratio('workers w2 m100 dynamic decode'), 1.8);
  assert.equal(result.configs.find((s) => s.key === 'workers w2 m100 dynamic decode')?.baselineKey, 'loop m100 decode');
});

void test('matrix: protocols and connections are dimensions; an h2 configuration is compared with the h2 loop', () => {
  const { configs } = buildMatrix({
    models: ['sequential', 'threads', 'workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
    protocols: ['h1', 'h2'],
    connections: [1, 4],
  });
  assert.deepEqual(configs.map(configKey), [
    'sequential',
    'threads w2 m100 c1',
    'workers w2 m100 dynamic c1',
    'threads w2 m100 c4',
    'workers w2 m100 dynamic c4',
    'sequential h2',
    'threads w2 m100 h2 c1',
    'workers w2 m100 dynamic h2 c1',
    'threads w2 m100 h2 c4',
    'workers w2 m100 dynamic h2 c4',
    'loop m100',
    'loop m100 h2',
  ]);
  const h2 = configs.find((c) => configKey(c) === 'workers w2 m100 dynamic h2 c1');
  assert.ok(h2 !== undefined);
  const args = downloadArgs(h2, { ...LOCAL_TARGET, caFile: '/tmp/ca.pem' });
  assert.ok(args.join(' ').includes('--http2 --connections 1 --ca /tmp/ca.pem'), args.join(' '));
});
