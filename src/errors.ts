/**
 * Errors the user can act on. The CLI prints `error: <message>` for these and exits with
 * their code; anything else is a bug and gets a stack trace.
 */

/** Bad input or setup (a flag, a code, a port in use): exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The run itself failed (no server answered, a worker died with codes unfinished): exit code 1. */
export class RunFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** Exit code for a run stopped by SIGINT or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
