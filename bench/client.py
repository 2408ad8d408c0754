"""A small closed-loop HTTP/1.1 load client: N keep-alive connections, a fixed number of requests.

Written on asyncio streams rather than httpx because it must not be the bottleneck: on one core of
these machines it drives about 6,400 requests/s against a do-nothing server, where httpx with 8
threads stays near 1,400, below the bare Django view itself (`python bench/run.py --client-check`
measures the ceiling).
It only ever talks to 127.0.0.1.
"""

import asyncio
import math
import time
from dataclasses import dataclass, field


class ResponseError(Exception):
    """The server answered something this client cannot read, or the wrong status."""


@dataclass
class LoadResult:
    requests: int
    elapsed: float
    latencies: list[float] = field(repr=False)
    errors: int
    first_error: str = ""

    @classmethod
    def combine(cls, parts: list["LoadResult"]) -> "LoadResult":
        """One result from several rounds of the same load: time and latencies add up."""
        return cls(
            requests=sum(part.requests for part in parts),
            elapsed=sum(part.elapsed for part in parts),
            latencies=[latency for part in parts for latency in part.latencies],
            errors=sum(part.errors for part in parts),
            first_error=next((part.first_error for part in parts if part.first_error), ""),
        )

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies, in seconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1]

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "elapsed_s": round(self.elapsed, 4),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": round(self.percentile(0.50) * 1000, 3),
            "p95_ms": round(self.percentile(0.95) * 1000, 3),
            "p99_ms": round(self.percentile(0.99) * 1000, 3),
            "max_ms": round(max(self.latencies, default=math.nan) * 1000, 3),
        }


def build_request(*, host: str, port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: declics-bench", "Accept: */*"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Read one response; return (status, body, keep_alive)."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection")
    try:
        version, status, *_ = status_line.split(b" ", 2)
        status = int(status)
    except ValueError as error:
        raise ResponseError(f"unreadable status line {status_line!r}") from error
    length = None
    chunked = False
    keep_alive = version == b"HTTP/1.1"
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection":
            keep_alive = value.lower() == b"keep-alive" or (keep_alive and value.lower() != b"close")
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(parts)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()
        keep_alive = False
    return status, body, keep_alive


async def _run(
    *,
    host: str,
    port: int,
    requests: list[tuple[bytes, bytes | None]],
    total: int,
    concurrency: int,
    expected_status: int,
) -> LoadResult:
    """Send `total` requests over `concurrency` connections, taking `requests` (each a request and
    the text its answer must hold) in turn."""
    latencies: list[float] = []
    errors = 0
    first_error = ""
    issued = 0

    async def connection_loop() -> None:
        nonlocal issued, errors, first_error
        reader = writer = None
        try:
            while issued < total:
                request, expected_text = requests[issued % len(requests)]
                issued += 1
                if writer is None:
                    try:
                        reader, writer = await asyncio.open_connection(host, port)
                    except OSError as error:
                        errors += 1
                        first_error = first_error or repr(error)
                        await asyncio.sleep(0.05)
                        continue
                started = time.perf_counter()
                try:
                    writer.write(request)
                    status, body, keep_alive = await read_response(reader)
                except (ConnectionError, asyncio.IncompleteReadError, ResponseError) as error:
                    errors += 1
                    first_error = first_error or repr(error)
                    writer.close()
                    reader = writer = None
                    continue
                latencies.append(time.perf_counter() - started)
                if status != expected_status or (expected_text is not None and expected_text not in body):
                    errors += 1
                    first_error = first_error or f"status {status}, body starts {body[:200]!r}"
                if not keep_alive:
                    writer.close()
                    reader = writer = None
        finally:
            if writer is not None:
                writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return LoadResult(
        requests=len(latencies), elapsed=elapsed, latencies=latencies, errors=errors, first_error=first_error
    )


def run_load(
    *,
    port: int,
    path: str,
    total: int,
    concurrency: int,
    headers: dict[str, str] | None = None,
    expected_status: int = 200,
    expected_text: str | None = None,
    host: str = "127.0.0.1",
) -> LoadResult:
    """Send `total` GET requests to http://127.0.0.1:port/path over `concurrency` connections."""
    if host != "127.0.0.1":
        raise ValueError("the benchmark client only talks to 127.0.0.1")
    return run_mix(
        port=port,
        requests=[(path, headers, expected_text)],
        total=total,
        concurrency=concurrency,
        expected_status=expected_status,
        host=host,
    )


def run_mix(
    *,
    port: int,
    requests: list[tuple[str, dict[str, str] | None, str | None]],
    total: int,
    concurrency: int,
    expected_status: int = 200,
    host: str = "127.0.0.1",
) -> LoadResult:
    """Like `run_load`, over a mix: `requests` holds (path, headers, expected text), sent in turn
    (several pages, several people), so that a mixed load is measured as one."""
    if host != "127.0.0.1":
        raise ValueError("the benchmark client only talks to 127.0.0.1")
    prepared = [
        (
            build_request(host=host, port=port, path=path, headers=headers),
            expected_text.encode() if expected_text is not None else None,
        )
        for path, headers, expected_text in requests
    ]
    return asyncio.run(
        _run(
            host=host,
            port=port,
            requests=prepared,
            total=total,
            concurrency=concurrency,
            expected_status=expected_status,
        )
    )
