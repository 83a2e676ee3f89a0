/**
 * What the download options are made from: the flags as commander parsed them (strings, and
 * booleans for switches), and what the command read from files first. Types only, shared by
 * options.ts and targets/resolve.ts, so that neither imports the other for them.
 */

/** What commander hands over: strings as typed, booleans for switches. */
export interface RawDownloadOptions {
  all?: boolean;
  every?: boolean;
  limit?: string;
  maxReq?: string;
  server?: string;
  verbose?: boolean;
  model?: string;
  workers?: string;
  split?: string;
  dest?: string;
  save?: boolean;
  names?: boolean;
  repeat?: string;
  timeout?: string;
  retries?: string;
  maxBytes?: string;
  followRedirects?: string;
  json?: boolean;
  exportJson?: string;
  quiet?: boolean;
  progress?: boolean;
  embedded?: boolean;
  failOnError?: boolean;
  work?: string;
  ca?: string;
  insecure?: boolean;
  tls?: boolean;
  http2?: boolean;
  connections?: string;
  urls?: string;
  rate?: string;
  arrival?: string;
  seed?: string;
  duration?: string;
}

/** What the download command read from files before resolving (resolveOptions does no I/O). */
export interface DownloadInputs {
  /** Contents of --ca FILE. */
  readonly caPem?: string | undefined;
  /** Contents of --urls FILE (or stdin for `-`). */
  readonly urlsText?: string | undefined;
  /** The run's name sent to the server (FetchSettings.runId); default: a new one (newRunId). */
  readonly runId?: string | undefined;
}
