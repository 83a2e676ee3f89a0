/**
 * Errors the user can act on. The CLI prints `error: <message>` for these and exits with
 * their code; anything else is a bug and gets a stack trace. The CLI's bundle (dist/src/
 * cli.cjs) holds its own copy of these classes while the commands it loads lazily import
 * this file, so `instanceof` goes by a brand that every copy shares (Symbol.for).
 */

const BRAND = Symbol.for('flagfetch.error');

/** True when `value` was made by a copy of the class branded `name`. */
function branded(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === name;
}

/** Bad input or setup (a flag, a code, a port in use): exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    Object.defineProperty(this, BRAND, { value: 'UsageError' });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, 'UsageError');
  }
}

/** The run itself failed (no server answered, a worker died with codes unfinished): exit code 1. */
export class RunFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
    Object.defineProperty(this, BRAND, { value: 'RunFailure' });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, 'RunFailure');
  }
}

/** Exit code for a run stopped by SIGINT or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
