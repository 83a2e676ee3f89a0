#!/usr/bin/env bash
# Installs the external tools the bench suites compare against (wrk, nginx, hyperfine, curl,
# and httpx + tqdm for Fluent Python's flags2_asyncio.py) and chromium (to check the HTML
# report), when missing. Best effort: never fails the caller.
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v curl >/dev/null 2>&1 || missing+=(curl)
/usr/bin/python3 -c 'import httpx, tqdm' >/dev/null 2>&1 || missing+=(python3-httpx python3-tqdm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${missing[*]} missing and apt-get is not usable here; suites that need them say so" >&2
  exit 0
fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
  || echo "note: could not install ${missing[*]}; suites that need them say so" >&2
exit 0
