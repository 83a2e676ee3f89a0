/**
 * Work lists that are not the flags site's layout: a list of URLs (`--urls FILE`) or a URL
 * template for country codes (`-s 'http://host/img/{cc}.png'`). Each becomes plain data a
 * client looks up by key (the strings a model hands out, as it hands out codes): the URL
 * itself, or the country code of a template. File names come from the URL path, sanitised
 * and de-duplicated here, once, so every thread saves under the same names. Pure: no I/O.
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';

/** Where one item of a URL list is fetched from and the file it is saved as. */
export interface UrlTarget {
  readonly url: string;
  /** A plain file name (no separator, no `..`), unique in the list, case-insensitively. */
  readonly file: string;
}

/** URL targets by key (the keys are the run's work items), plain data for worker threads. */
export type UrlTargets = Readonly<Record<string, UrlTarget>>;

/** A work list: the keys handed out in order, and their targets. */
export interface UrlWork {
  readonly keys: readonly string[];
  readonly targets: UrlTargets;
}

/** Longest file name derived from a URL, in characters (extension included). */
const MAX_FILE_CHARS = 120;

/** True when a server value is a template: it holds `{cc}` or `{CC}`. */
export function isTemplate(server: string): boolean {
  return server.includes('{cc}') || server.includes('{CC}');
}

/** The URL of `cc` in a template: `{cc}` the lower-case code, `{CC}` the upper-case one. */
export function fillTemplate(template: string, cc: string): string {
  return template.replaceAll('{cc}', cc.toLowerCase()).replaceAll('{CC}', cc.toUpperCase());
}

/** A template's work list over `codes` (keys are the codes). Throws UsageError for a bad template. */
export function templateWork(template: string, codes: readonly string[]): UrlWork {
  const urls = codes.map((cc) => checkUrl(fillTemplate(template, cc), () => `-s template '${printable(template)}'`));
  const files = fileNamesFor(urls);
  const targets: Record<string, UrlTarget> = {};
  codes.forEach((cc, i) => (targets[cc] = { url: urls[i] ?? '', file: files[i] ?? '' }));
  return { keys: codes, targets };
}

/**
 * The work list of a `--urls` file's text: one URL per line, blank lines and `#` comments
 * skipped, the same URL twice downloaded once. Throws UsageError naming the line.
 */
export function urlListWork(text: string, source: string): UrlWork {
  const urls: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const url = checkUrl(line, () => `--urls ${source} line ${i + 1}`);
    if (!seen.has(url)) urls.push(url);
    seen.add(url);
  });
  if (urls.length === 0) throw new UsageError(`--urls ${source} lists no URL: put one http(s) URL per line`);
  const files = fileNamesFor(urls);
  const targets: Record<string, UrlTarget> = {};
  urls.forEach((url, i) => (targets[url] = { url, file: files[i] ?? '' }));
  return { keys: urls, targets };
}

/** `value` as an absolute http(s) URL without credentials or fragment (normalised), or a UsageError. */
function checkUrl(value: string, where: () => string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `${where()}: '${printable(value)}' is not a URL: write absolute URLs such as http://host/a.png`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${where()}: '${printable(value)}' is not http or https: only http(s) URLs can be fetched`);
  if (url.username !== '' || url.password !== '')
    throw new UsageError(`${where()}: '${printable(value)}' holds credentials: remove user:password@`);
  url.hash = '';
  return url.href;
}

/** The files --work leaves in --dest (cpu-work/files.ts): reserved, never the name of a download. */
export const WORK_FILES = { colors: 'colors.json', sums: 'SHA256SUMS' } as const;

/**
 * A safe file name for each URL, from the last segment of its path: percent-decoded, then
 * only letters, digits and `_-.()',` kept, no leading dot, bounded length, `index` when
 * nothing is left; a name taken already (case-insensitively), or one of WORK_FILES, gets
 * `-2`, `-3`… before its extension. Never a separator or `..`, so saving never leaves the destination folder.
 */
export function fileNamesFor(urls: readonly string[]): string[] {
  const taken = new Set<string>(Object.values(WORK_FILES).map((name) => name.toLowerCase()));
  return urls.map((u) => {
    const base = safeName(lastSegment(new URL(u).pathname));
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = withSuffix(base, `-${n}`);
    taken.add(name.toLowerCase());
    return name;
  });
}

function lastSegment(pathname: string): string {
  const segment =
    pathname
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `text` kept to what is safe in a file name: letters, digits, `_`, `-`, `.`, `'`, `(`, `)`, `,`
 * (white space becomes `_`), no `..`, nothing hidden (no leading `.`, `-` or `_`). Not bounded.
 */
export function fileNameChars(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/gu, '_')
    .replace(/[^\p{L}\p{N}_\-.'(),]/gu, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\-_]+/, '');
}

/** A path segment as a file name: see fileNamesFor. */
export function safeName(segment: string): string {
  const cleaned = fileNameChars(segment);
  if (cleaned === '') return 'index';
  return cleaned.length <= MAX_FILE_CHARS ? cleaned : withSuffix(cleaned, '', MAX_FILE_CHARS);
}

/** `name` with `suffix` before its extension, cut to `max` characters in all. */
function withSuffix(name: string, suffix: string, max = MAX_FILE_CHARS): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  const stem = name.slice(0, name.length - ext.length);
  return stem.slice(0, Math.max(1, max - suffix.length - ext.length)) + suffix + ext;
}

/** The URL a work item `key` is fetched from: its target's, or the flags site's `{base}/cc/cc.gif`. */
export function urlOfKey(key: string, baseUrl: string, targets: UrlTargets | undefined): string {
  const lower = key.toLowerCase();
  return targets?.[key]?.url ?? `${baseUrl}/${lower}/${lower}.gif`;
}

/** Where a run's work comes from: country codes on the flags site, a {cc} template, a --urls list. */
export type TargetKind = 'flags' | 'template' | 'list';

/** What to check when the targets fail: the -s base URL or template, or the --urls list. */
export function targetsFix(kind: TargetKind): string {
  if (kind === 'list') return 'check the URLs in --urls';
  return kind === 'flags' ? 'check -s (flags are fetched from BASE/cc/cc.gif)' : 'check the -s template';
}
