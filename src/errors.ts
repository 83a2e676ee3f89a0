/**
 * Errors the user can act on. The CLI prints `error: <message>` for these and exits with
 * their code; anything else is a bug and gets a stack trace.
 */

/** What was wrong with an option: its name (a CLI flag, or the API's field) and what it takes. */
export interface UsageDetail {
  /** The option: a CLI flag (`--max-req`), or the API's field (`maxReq`). */
  readonly field?: string | undefined;
  /** What it takes, e.g. `a whole number from 1 to 10000`. */
  readonly expected?: string | undefined;
}

/**
 * Bad input or setup (a flag, an option, a code, a port in use): exit code 2. The one error
 * the API throws for invalid options: `code` is stable, `field` names the option (the CLI's
 * flag, or the API's field from the API) and `expected` says what it takes, when known.
 */
export class UsageError extends Error {
  /** The command line's exit code for it. */
  readonly exitCode = 2;
  /** Stable, for `err.code === 'ERR_FLAGFETCH_USAGE'`. */
  readonly code = 'ERR_FLAGFETCH_USAGE';
  /** The option it is about, when known: the API's field from the API, the flag from the CLI. */
  readonly field: string | undefined;
  /** What the option takes, when known. */
  readonly expected: string | undefined;
  constructor(message: string, detail: UsageDetail = {}) {
    super(message);
    this.name = 'UsageError';
    this.field = detail.field;
    this.expected = detail.expected;
  }
}

/** The run itself failed (no server answered, a worker died with codes unfinished): exit code 1. */
export class RunFailure extends Error {
  /** The command line's exit code for it. */
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** Exit code for a run stopped by SIGINT or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
