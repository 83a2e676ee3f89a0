/**
 * Independent tools the suites measure against: wrk (an HTTP load generator in C) and nginx
 * (one worker process). Both are optional: suites say so when one is missing.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isPortOpen } from '../../src/server/embedded.js';

const run = promisify(execFile);

/** True when `name` is on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** What wrk measured. */
export interface WrkResult {
  readonly requestsPerSec: number;
  readonly requests: number;
  readonly errors: number;
}

/** Run wrk against `url` (cycling through `paths` when given) and parse its summary. */
export async function runWrk(o: {
  url: string;
  paths?: readonly string[];
  connections: number;
  threads?: number;
  durationS: number;
}): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-wrk-'));
  try {
    const args = ['-t', String(o.threads ?? 1), '-c', String(o.connections), '-d', `${o.durationS}s`];
    if (o.paths !== undefined) {
      const script = path.join(dir, 'paths.lua');
      const list = o.paths.map((p) => `"${p}"`).join(',');
      await writeFile(
        script,
        `local paths = {${list}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
      );
      args.push('-s', script);
    }
    const { stdout } = await run('wrk', [...args, o.url], { timeout: (o.durationS + 30) * 1000 });
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
    const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
    if (!Number.isFinite(rate)) throw new Error(`could not read wrk's output: ${stdout}`);
    return { requestsPerSec: rate, requests, errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** nginx with one worker serving `root` under /flags/ on 127.0.0.1:`port`. */
export async function startNginx(o: { root: string; port: number }): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-nginx-'));
  const conf = path.join(dir, 'nginx.conf');
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  await writeFile(
    conf,
    `${user}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  keepalive_timeout 65;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { image/gif gif; application/json json; }
  server {
    listen 127.0.0.1:${o.port};
    location /flags/ { alias ${o.root.replace(/\/$/, '')}/; }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await isPortOpen('127.0.0.1', o.port)); i += 1)
    await new Promise((r) => setTimeout(r, 100));
  return {
    url: `http://127.0.0.1:${o.port}/flags`,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
