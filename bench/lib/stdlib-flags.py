#!/usr/bin/env python3
"""Fetch flags from a server with the flags site's layout, on Python's standard library alone.

Written for flagfetch's start-up bench (bench/startup.ts), which runs it beside Fluent Python's
own flags2_asyncio.py when the book's scripts are at hand ($FLAGS2_DIR), and in its place when
they are not: the same job (`-e`: every code AA..ZZ, `-m N` requests in flight, each flag found
saved as downloaded/CC.gif, a 404 counted as not found) and the same report lines. N lanes share
one list of codes; each lane keeps one HTTP/1.1 keep-alive connection (asyncio streams).

usage: stdlib-flags.py BASE_URL (-e | CC...) [-m N]
"""
import argparse
import asyncio
import string
import time
from pathlib import Path
from urllib.parse import urlsplit

DEST = Path('downloaded')


class Lane:
    """One keep-alive connection, opened on first use and again after the server closes it."""

    def __init__(self, base_url: str) -> None:
        url = urlsplit(base_url)
        self.host, self.port = url.hostname or 'localhost', url.port or 80
        self.netloc, self.base_path = url.netloc, url.path.rstrip('/')
        self.streams = None

    async def get(self, path: str) -> tuple[int, bytes]:
        fresh = self.streams is None
        if fresh:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f'GET {self.base_path}{path} HTTP/1.1\r\nHost: {self.netloc}\r\n\r\n'.encode('ascii'))
        first = await reader.readline()
        if not first:  # the server closed an idle connection: once more on a new one
            self.close()
            if fresh:
                raise ConnectionError('connection closed before a response')
            return await self.get(path)
        status = int(first.split()[1])
        length, close = 0, False
        while (line := await reader.readline()) not in (b'\r\n', b''):
            name, _, value = line.partition(b':')
            name = name.strip().lower()
            if name == b'content-length':
                length = int(value)
            elif name == b'connection':
                close = value.strip().lower() == b'close'
        body = await reader.readexactly(length)
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def run_lane(lane: Lane, codes, counts: dict[str, int]) -> None:
    for cc in codes:  # one iterator shared by every lane: each code is taken once
        try:
            status, body = await lane.get(f'/{cc.lower()}/{cc.lower()}.gif')
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            lane.close()
            counts['error'] += 1
            continue
        if status == 200:
            (DEST / f'{cc}.gif').write_bytes(body)
            counts['ok'] += 1
        elif status == 404:
            counts['not found'] += 1
        else:
            counts['error'] += 1
    lane.close()


async def fetch_all(base_url: str, codes: list[str], lanes: int) -> dict[str, int]:
    counts = {'ok': 0, 'not found': 0, 'error': 0}
    shared = iter(codes)
    await asyncio.gather(*(run_lane(Lane(base_url), shared, counts) for _ in range(lanes)))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description='Fetch flags with asyncio and the standard library.')
    parser.add_argument('base_url')
    parser.add_argument('cc', nargs='*', help='two-letter country codes')
    parser.add_argument('-e', '--every', action='store_true', help='every code from AA to ZZ')
    parser.add_argument('-m', '--max_req', type=int, default=5, help='requests in flight')
    args = parser.parse_args()
    letters = string.ascii_uppercase
    codes = [a + b for a in letters for b in letters] if args.every else sorted({c.upper() for c in args.cc})
    if not codes or args.max_req < 1:
        parser.error('give -e or country codes, and -m of 1 or more')
    lanes = min(args.max_req, len(codes))
    print(f'Searching for {len(codes)} flags: from {codes[0]} to {codes[-1]}')
    print(f'{lanes} concurrent connections will be used.')
    DEST.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    counts = asyncio.run(fetch_all(args.base_url, codes, lanes))
    print('-' * 20)
    print(f"{counts['ok']:3} flags downloaded.")
    if counts['not found']:
        print(f"{counts['not found']:3} not found.")
    if counts['error']:
        print(f"{counts['error']:3} errors.")
    print(f'Elapsed time: {time.perf_counter() - t0:.2f}s')


if __name__ == '__main__':
    main()
