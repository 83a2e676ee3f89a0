/**
 * Reading untrusted JSON from the queue: small checks that throw an Error naming the field
 * and what was expected (pure). Used for job payloads on agents and results on coordinators.
 */
import type { Counters } from '../stats/counters.js';
import { countsAddUp } from '../stats/counters.js';

/** Typed access to the fields of one untrusted object. */
export interface Reader {
  value(key: string): unknown;
  string(key: string, pattern: RegExp): string;
  number(key: string): number;
  boolean(key: string): boolean;
  choice<T extends string>(key: string, choices: readonly T[]): T;
  array(key: string, ok: (v: unknown) => boolean, what: string, max: number): unknown[];
}

/** A Reader over `value`, which must be a plain object; `what` names it in messages. */
export function checkShape(value: unknown, what: string): Reader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  const obj = value as Record<string, unknown>;
  const bad = (key: string, expected: string): Error =>
    new Error(`${what}.${key} must be ${expected}, not ${shown(obj[key])}`);
  return {
    value: (key) => obj[key],
    string: (key, pattern) => {
      const v = obj[key];
      if (typeof v !== 'string' || !pattern.test(v)) throw bad(key, `a string matching ${String(pattern)}`);
      return v;
    },
    number: (key) => {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(key, 'a number ≥ 0');
      return v;
    },
    boolean: (key) => {
      const v = obj[key];
      if (typeof v !== 'boolean') throw bad(key, 'true or false');
      return v;
    },
    choice: <T extends string>(key: string, choices: readonly T[]): T => {
      const found = choices.find((c) => c === obj[key]);
      if (found === undefined) throw bad(key, `one of ${choices.join(', ')}`);
      return found;
    },
    array: (key, ok, expected, max) => {
      const v = obj[key];
      if (!Array.isArray(v) || v.length === 0 || v.length > max || !v.every(ok))
        throw bad(key, `a list of 1 to ${max} ${expected}`);
      return v as unknown[];
    },
  };
}

/** A whole number field within [min, max]. */
export function wholeNumber(r: Reader, key: string, min: number, max: number): number {
  const v = r.value(key);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new Error(`${key} must be a whole number from ${min} to ${max}, not ${shown(v)}`);
  }
  return v;
}

/** Counters whose parts add up, each a whole number. */
export function checkCounters(value: unknown, what: string): Counters {
  const r = checkShape(value, what);
  const n = (key: string): number => wholeNumber(r, key, 0, Number.MAX_SAFE_INTEGER);
  const reasons = checkShape(r.value('errorsByReason'), `${what}.errorsByReason`);
  const errorsByReason: Record<string, number> = {};
  for (const key of Object.keys(r.value('errorsByReason') as object))
    errorsByReason[terminalSafe(key, 200)] = wholeNumber(reasons, key, 0, Number.MAX_SAFE_INTEGER);
  const c: Counters = {
    total: n('total'),
    ok: n('ok'),
    notFound: n('notFound'),
    errors: n('errors'),
    cancelled: n('cancelled'),
    bytes: n('bytes'),
    errorsByReason,
  };
  if (!countsAddUp(c)) throw new Error(`${what} do not add up`);
  return c;
}

/**
 * A string from the queue fit for a terminal: cut at `max` characters, then every control
 * character (C0, DEL, C1: the start of ANSI and OSC sequences) and every bidirectional
 * override written as a \uXXXX escape, so what prints is what was sent, never a command.
 */
export function terminalSafe(s: string, max: number): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  let out = '';
  for (const ch of cut) {
    const c = ch.charCodeAt(0);
    out += unsafe(c) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

/** C0, DEL, C1, and the characters that reorder or break lines (bidi marks and overrides). */
function unsafe(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x61c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
