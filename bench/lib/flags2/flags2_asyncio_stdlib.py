#!/usr/bin/env python3
"""flags2_asyncio.py on python3's standard library alone, for machines without httpx/tqdm.

Written for flagfetch's bench (not part of Fluent Python): the same flags2_common command
line and reports, the same supervisor (a Semaphore of --max_req around each download,
asyncio.as_completed over one coroutine per code, 404 = not found, other statuses and
network errors = error, each flag saved with asyncio.to_thread), with httpx.AsyncClient
replaced by HTTP/1.1 over asyncio.open_connection and a pool of keep-alive connections.
No tqdm bar. It starts faster than the original (no httpx import), so ratios against it
are harder targets; bench/results says which one was measured.
"""
import asyncio
from collections import Counter
from urllib.parse import urlsplit

from flags2_common import main, DownloadStatus, save_flag

DEFAULT_CONCUR_REQ = 5
MAX_CONCUR_REQ = 1000


class HTTPStatusError(Exception):
    def __init__(self, status: int, reason: str, url: str):
        super().__init__(f'HTTP error {status} - {reason}')
        self.status_code, self.url = status, url


class Client:
    """Keep-alive HTTP/1.1 connections to one host, reused as httpx.AsyncClient's pool does."""

    def __init__(self) -> None:
        self.idle: dict[tuple[str, int], list] = {}

    async def get(self, url: str) -> tuple[int, str, bytes]:
        parts = urlsplit(url)
        key = (parts.hostname or 'localhost', parts.port or 80)
        idle = self.idle.setdefault(key, [])
        reader, writer = idle.pop() if idle else await asyncio.open_connection(*key)
        writer.write(f'GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n\r\n'.encode())
        _, status, reason = (await reader.readline()).decode('latin-1').rstrip('\r\n').split(' ', 2)
        headers = {}
        while (line := await reader.readline()) not in (b'\r\n', b''):
            name, _, value = line.decode('latin-1').partition(':')
            headers[name.strip().lower()] = value.strip()
        if headers.get('transfer-encoding') == 'chunked':
            body = b''
            while (size := int((await reader.readline()).split(b';')[0], 16)) > 0:
                body += await reader.readexactly(size)
                await reader.readline()
            await reader.readline()
        else:
            body = await reader.readexactly(int(headers.get('content-length', '0')))
        if headers.get('connection', '').lower() == 'close':
            writer.close()
        else:
            idle.append((reader, writer))
        return int(status), reason, body

    def close(self) -> None:
        for conns in self.idle.values():
            for _, writer in conns:
                writer.close()


async def get_flag(client: Client, base_url: str, cc: str) -> bytes:
    url = f'{base_url}/{cc}/{cc}.gif'.lower()
    status, reason, body = await asyncio.wait_for(client.get(url), timeout=3.1)
    if status != 200:
        raise HTTPStatusError(status, reason, url)
    return body


async def download_one(client, cc, base_url, semaphore, verbose) -> DownloadStatus:
    try:
        async with semaphore:
            image = await get_flag(client, base_url, cc)
    except HTTPStatusError as exc:
        if exc.status_code == 404:
            status = DownloadStatus.NOT_FOUND
            msg = f'not found: {exc.url}'
        else:
            raise
    else:
        await asyncio.to_thread(save_flag, image, f'{cc}.gif')
        status = DownloadStatus.OK
        msg = 'OK'
    if verbose and msg:
        print(cc, msg)
    return status


async def supervisor(cc_list, base_url, verbose, concur_req) -> Counter[DownloadStatus]:
    counter: Counter[DownloadStatus] = Counter()
    semaphore = asyncio.Semaphore(concur_req)
    client = Client()
    to_do = [download_one(client, cc, base_url, semaphore, verbose) for cc in sorted(cc_list)]
    for coro in asyncio.as_completed(to_do):
        try:
            status = await coro
        except (HTTPStatusError, OSError, asyncio.TimeoutError, ValueError) as exc:
            status = DownloadStatus.ERROR
            if verbose:
                print(f'error: {exc}')
        counter[status] += 1
    client.close()
    return counter


def download_many(cc_list, base_url, verbose, concur_req) -> Counter[DownloadStatus]:
    return asyncio.run(supervisor(cc_list, base_url, verbose, concur_req))


if __name__ == '__main__':
    main(download_many, DEFAULT_CONCUR_REQ, MAX_CONCUR_REQ)
