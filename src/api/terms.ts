/** The API's words for the CLI's: a UsageError from the shared options code, renamed field by field. */
import { UsageError } from '../errors.js';

/**
 * `err` again with the API's field names (`fields`: by flag) in place of the CLI's flags, and
 * `field` set to the option it is about; anything but a UsageError comes back as it is.
 */
export function inApiTerms(err: unknown, fields: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof UsageError)) return err;
  const flags = /(?<![\w-])(--[a-z][a-z0-9-]*|-[ae])(?![\w-])/g;
  const first = err.field ?? /(?<![\w-])(--[a-z][a-z0-9-]*)/.exec(err.message)?.[1];
  const field = first === undefined ? guessField(err.message) : (fields[first] ?? first);
  const message = err.message.replace(flags, (flag) => fields[flag] ?? flag);
  return new UsageError(message, { field, expected: err.expected });
}

/** The field of a message that names none: the server, or the codes. */
function guessField(message: string): string | undefined {
  if (/server/i.test(message)) return 'server';
  if (/code/i.test(message)) return 'codes';
  return undefined;
}
