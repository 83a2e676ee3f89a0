/**
 * node:http's maxHeaderSize (the most header bytes a response may have, undici's default)
 * without loading node:http, which would weigh on a pool thread's start-up: Node's default
 * unless --max-http-header-size is among the options (execArgv or NODE_OPTIONS; `-` or `_`
 * in its name), then node:http's own value. The worker bundles give undici's client this
 * instead of node:http (scripts/lean-undici.ts).
 */

/** Node's default --max-http-header-size: 16 KiB. */
export const NODE_DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

/** What node:http's maxHeaderSize would say, loading node:http only when an option may set it. */
export function maxHeaderSize(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): number {
  const set = /--max[-_]http[-_]header[-_]size/.test([...execArgv, nodeOptions ?? ''].join(' '));
  return set ? process.getBuiltinModule('node:http').maxHeaderSize : NODE_DEFAULT_MAX_HEADER_SIZE;
}
