/** `flagfetch serve` as a child process on free ports (127.0.0.1), with the URLs it printed. */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './run-cli.js';

/** A running `flagfetch serve`. */
export interface Running {
  child: ChildProcess;
  urls: { LOCAL: string; DELAY: string; ERROR: string };
  exited: Promise<number | null>;
}

/** `flagfetch serve` flags for its three servers on free ports of 127.0.0.1. */
export const ON_FREE_PORTS = ['--port', '0', '--delay-port', '0', '--error-port', '0', '--host', '127.0.0.1'];

/** Start `flagfetch serve` on free ports (DELAY's delay 50 ms unless `extra` says) and read the URLs it prints. */
export async function startServe(extra: readonly string[] = [], onStderr?: (text: string) => void): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'serve', ...ON_FREE_PORTS, '--delay', '50', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr?.on('data', (d: Buffer) => onStderr?.(d.toString()));
  let out = '';
  const urls = await new Promise<Running['urls']>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const find = (label: string): string | undefined =>
        new RegExp(`^${label}\\s+(https?://\\S+)`, 'm').exec(out)?.[1];
      const [l, d2, e] = [find('LOCAL'), find('DELAY'), find('ERROR')];
      if (l !== undefined && d2 !== undefined && e !== undefined) resolve({ LOCAL: l, DELAY: d2, ERROR: e });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { child, urls, exited };
}
