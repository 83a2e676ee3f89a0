/**
 * The target flags bench and tune share with download (-s with a base URL or a {cc} template,
 * --urls, --max-failed): their text only (download-inputs.ts reads the --urls file).
 */

/** Flag, description and default of each target option, for commander's `.option(...)`. */
export const TARGET_OPTIONS = {
  server: [
    '-s, --server <LABEL|URL>',
    'LOCAL, DELAY, ERROR (embedded, on free ports), a base URL, or a URL template with {cc} / {CC}',
    'LOCAL',
  ],
  urls: ['--urls <FILE>', "fetch the URLs listed in FILE in every run (one a line, '#' comments; '-' = stdin)"],
  maxFailed: [
    '--max-failed <SHARE>',
    'largest share of a run not found or failed, e.g. 0.05 or 5%, before its configuration is failed ' +
      '(default: 0 for --urls and templates; flag codes: the share of codes that are no country, -e: 482 of 676)',
  ],
} as const satisfies Record<string, readonly [string, string, string?]>;
