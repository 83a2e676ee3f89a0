/**
 * Bench two configurations, the single event loop against worker threads doing the same
 * downloads with a CPU step (decode), each run a fresh process, and print the verdict. Give a
 * server's base URL as the first argument, or none: the example starts the embedded flag server.
 */
import { bench, serve } from 'flagfetch';

const given = process.argv[2];
const server = given === undefined ? await serve() : undefined;
try {
  const report = await bench({
    server: given ?? server?.url,
    all: true,
    models: ['loop', 'workers'],
    workers: 2,
    maxReq: 50,
    work: 'decode',
    repeat: 1,
    runs: 3,
    warmup: 1,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  for (const c of report.configs) {
    const rate =
      c.failed === undefined ? `${Math.round(c.requestsPerSec.median)} requests/s` : `failed: ${c.failed.reason}`;
    console.log(`${c.label}: ${rate} over ${c.goodRuns} runs`);
  }
  console.log(report.verdict.join('\n'));
} finally {
  await server?.close();
}
