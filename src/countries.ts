import { UsageError } from './errors.js';
import { COUNTRY_TABLE } from './country-data.js';

/** The 194 country codes of the original flags site, upper case and sorted. */
export const ALL_CODES: readonly string[] = COUNTRY_TABLE.map((c) => c.iso);

/** The 20 most populous countries: the original's list when no code is given. */
export const POP20: readonly string[] = 'CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR'.split(' ');

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every two-letter code AA…ZZ (676), as `-e/--every` asks for. */
export function everyCode(): string[] {
  const codes: string[] = [];
  for (const a of LETTERS) for (const b of LETTERS) codes.push(a + b);
  return codes;
}

/** The country name of a known code, or undefined. */
export function countryName(cc: string): string | undefined {
  return COUNTRY_TABLE.find((c) => c.iso === cc.toUpperCase())?.country;
}

/**
 * Expand CC arguments as flags2 did: two letters is one code, one letter is the 26 codes
 * starting with it. Case-insensitive; the result is de-duplicated and sorted.
 * Throws UsageError naming the first bad argument.
 */
export function expandCodeArgs(args: readonly string[]): string[] {
  const codes = new Set<string>();
  for (const arg of args) {
    const cc = arg.toUpperCase();
    if (/^[A-Z]$/.test(cc)) {
      for (const b of LETTERS) codes.add(cc + b);
    } else if (/^[A-Z]{2}$/.test(cc)) {
      codes.add(cc);
    } else {
      throw new UsageError(
        `invalid country code '${printable(arg)}': use two letters (BR) or one letter for its 26 codes (B)`,
      );
    }
  }
  return [...codes].sort();
}

/** What the user asked for: explicit codes, --all, --every, and --limit. */
export interface CodeSelection {
  readonly args: readonly string[];
  readonly all: boolean;
  readonly every: boolean;
  readonly limit?: number | undefined;
}

/**
 * The sorted list of codes to download: --every, else --all, else the arguments
 * (and --all merged with arguments), else POP20; then cut to --limit.
 */
export function selectCodes(sel: CodeSelection): string[] {
  let codes: string[];
  if (sel.every) codes = everyCode();
  else if (sel.all) codes = [...new Set([...ALL_CODES, ...expandCodeArgs(sel.args)])].sort();
  else if (sel.args.length > 0) codes = expandCodeArgs(sel.args);
  else codes = [...POP20].sort();
  return sel.limit === undefined ? codes : codes.slice(0, sel.limit);
}

/** A URL's scheme and user information (up to the authority's last `@`, as URL parsers read it). */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)@/gi;

/**
 * Show a user's argument safely in a one-line message: control characters escaped, and the
 * password of any URL in it masked (`http://user:***@host`), so that no message echoes a secret.
 */
export function printable(s: string): string {
  const masked = s.replace(URL_USERINFO, (_m, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${info.slice(0, colon)}:***`}@`;
  });
  const shown = JSON.stringify(masked).slice(1, -1);
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}
