/** `flagfetch agent` processes for queue tests: started, waited for by their own words, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './run-cli.js';

/** A running agent and what it has written to stderr so far. */
export interface TestAgent {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves when its stderr has a line matching `pattern`. */
  saw(pattern: RegExp): Promise<void>;
  /** Resolves with its exit code (or signal name) once it has exited. */
  readonly exited: Promise<number | string>;
  /** SIGINT (exit 130 expected) unless it already exited; resolves with the exit. */
  stop(): Promise<number | string>;
}

/** Start `flagfetch agent --queue URL ...args`; resolves once it takes shards. */
export async function startAgent(
  queueUrl: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TestAgent> {
  const child = spawn(process.execPath, [CLI, 'agent', '--queue', queueUrl, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString('utf8');
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(err)) w.resolve();
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const saw = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      if (pattern.test(err)) resolve();
      else waiters.push({ pattern, resolve });
      void exited.then(() => reject(new Error(`agent exited before ${String(pattern)}: ${err}`)));
    });
  const agent: TestAgent = {
    child,
    stderr: () => err,
    saw,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  await saw(/taking shards from/);
  return agent;
}
