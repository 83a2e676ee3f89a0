/**
 * Download a list of URLs on worker threads with a CPU step of one's own, progress on the
 * way, and print the report. Give a URL list file as the first argument (one URL a line), or
 * none: the example starts the embedded flag server and downloads 20 of its flags.
 */
import { readFile } from 'node:fs/promises';
import { download, serve } from 'flagfetch';

const file = process.argv[2];
const server = file === undefined ? await serve() : undefined;
const urls =
  file === undefined
    ? 'cn in us id br pk ng bd ru jp mx ph vn et eg de ir tr cd fr'
        .split(' ')
        .map((cc) => `${server?.url}/${cc}/${cc}.gif`)
    : (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');

const run = download({
  urls,
  model: 'workers',
  workers: 2,
  maxReq: 20,
  dest: null,
  work: { module: new URL('./count-step.js', import.meta.url) },
});
run.on('progress', (p) => process.stderr.write(`\r${p.done}/${p.total} (${p.workers.map((w) => w.done).join(' + ')})`));
const report = await run;
process.stderr.write('\n');
console.log(
  `${report.ok} of ${report.total} downloaded on ${report.workers} threads, ${report.errors} errors; ` +
    `${report.requestsPerSec} requests/s, ${report.workMs} ms of CPU in the step`,
);
await server?.close();
