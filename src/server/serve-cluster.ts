/**
 * `serve --processes N`: node:cluster runs N serve processes sharing each port. The primary
 * checks everything it can first (options, --root, the certificate) and hands each worker
 * what it made (the TLS key and certificate, so every process presents the same one). A
 * worker that cannot start reports why over IPC and leaves: the primary stops the others,
 * prints that one error once and exits at once (never a worker left waiting on its channel).
 */
import cluster, { type Worker } from 'node:cluster';
import { RunFailure, UsageError } from '../errors.js';
import { loadFlagDirectory, syntheticContent } from './content.js';
import type { TlsIdentity } from './h2-transport.js';
import type { ServeOptions } from './serve-options.js';
import type { ReadyMessage } from './serve-messages.js';
import { answerStats, startThree, untilSignal, urlsOf } from './serve-process.js';

/** What the primary sends each worker before it starts. */
interface SetupMessage {
  readonly type: 'flagfetch-setup';
  readonly tls: TlsIdentity | undefined;
}

/** What a worker that could not start sends the primary. */
interface FailedMessage {
  readonly type: 'flagfetch-failed';
  readonly message: string;
  readonly exitCode: number;
}

/** A worker asks for its setup once it listens for it (a message sent before would be lost). */
interface WantSetupMessage {
  readonly type: 'flagfetch-want-setup';
}

type FromWorker = ReadyMessage | FailedMessage | WantSetupMessage;

/** Fork the workers and wait until every one listens; on the first failure stop them all and throw it. */
export async function startWorkers(
  opts: ServeOptions,
  tls: TlsIdentity | undefined,
): Promise<{ ready: ReadyMessage; stop(): Promise<void> }> {
  const workers = Array.from({ length: opts.processes }, () => cluster.fork());
  // Once one worker fails, the others are stopped; the primary may still answer a stopped one's
  // listen over its closed channel (EPIPE, an 'error' on that Worker): nothing to report, its
  // exit is handled.
  for (const worker of workers) worker.on('error', () => undefined);
  const setup: SetupMessage = { type: 'flagfetch-setup', tls };
  const stop = (): Promise<void> => Promise.all(workers.map(stopWorker)).then(() => undefined);
  try {
    const all = await Promise.all(workers.map((w) => readyOf(w, setup)));
    return { ready: all[0] as ReadyMessage, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function readyOf(worker: Worker, setup: SetupMessage): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'flagfetch-want-setup') worker.send(setup);
      else if (m.type === 'flagfetch-ready') resolve(m);
      else if (m.type === 'flagfetch-failed')
        reject(m.exitCode === 2 ? new UsageError(m.message) : new RunFailure(m.message));
    });
    worker.once('exit', (code, signal) =>
      reject(new RunFailure(`a server process exited (${signal ?? `code ${code}`}) before listening`)),
    );
  });
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.kill('SIGTERM');
  });
}

/** A cluster worker: wait for the primary's setup, serve until a signal; report a failure instead of printing it. */
export async function runWorker(opts: ServeOptions): Promise<void> {
  try {
    const setup = await new Promise<SetupMessage>((resolve) => {
      const onMessage = (m: { type?: string }): void => {
        if (m.type !== 'flagfetch-setup') return;
        process.off('message', onMessage);
        resolve(m as SetupMessage);
      };
      process.on('message', onMessage);
      const want: WantSetupMessage = { type: 'flagfetch-want-setup' };
      process.send?.(want);
    });
    const content = opts.root === undefined ? syntheticContent() : await loadFlagDirectory(opts.root);
    const servers = await startThree(opts, content, setup.tls);
    const stopAnswering = answerStats(servers);
    const ready: ReadyMessage = { type: 'flagfetch-ready', urls: urlsOf(opts, servers) };
    const signalled = untilSignal();
    process.send?.(ready);
    await signalled;
    stopAnswering();
    await Promise.all(servers.map((s) => s.close()));
  } catch (err) {
    const known = err instanceof UsageError || err instanceof RunFailure;
    const failed: FailedMessage = {
      type: 'flagfetch-failed',
      message: known ? err.message : String(err),
      exitCode: known ? err.exitCode : 1,
    };
    process.exitCode = failed.exitCode;
    await new Promise<void>((resolve) =>
      process.send === undefined ? resolve() : process.send(failed, () => resolve()),
    );
  }
  if (process.connected) process.disconnect();
}
