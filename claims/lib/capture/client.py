"""The HTTP client of a capture: resolve, vet, connect to the vetted IP, follow redirects, read.

Each hop's host is resolved once within the capture's deadline and every address is vetted; the
connection goes to a vetted IP with the original name in ``Host`` and for TLS. The body is read
under the size cap, and any failure is described in the Snapshot that ``fetch_snapshot`` returns.
"""

from __future__ import annotations

import hashlib
import http.client
import queue
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    HTTPError,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from claims.lib.capture.addresses import BlockedAddress, check_address
from claims.lib.capture.content import extract
from claims.lib.capture.errors import CaptureError
from claims.lib.capture.targets import Target, parse_target

Resolver = Callable[[str, int], list[str]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
MEGABYTE = 1024 * 1024
USER_AGENT = "Claimdesk-Capture/1.0 (evidence snapshot)"


@dataclass(frozen=True)
class Snapshot:
    """The outcome of one capture; ``error`` is empty exactly when ``ok`` is true."""

    ok: bool
    final_url: str
    http_status: int | None
    content_type: str
    sha256: str
    title: str
    text: str
    error: str
    fetched_at: datetime


# --- resolution -----------------------------------------------------------------------------


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _vetted_addresses(target: Target, options: _Options) -> list[str]:
    """Resolve the host and vet every address; one disallowed address blocks the whole host."""
    if target.literal is not None:
        _vet(str(target.literal), options.allow_loopback, via=None)
        return [str(target.literal)]
    addresses = _resolve(target, options)
    for address in addresses:
        _vet(address, options.allow_loopback, via=target.host)
    return addresses


def _vet(address: str, allow_loopback: bool, via: str | None) -> None:
    try:
        check_address(address, allow_loopback=allow_loopback)
    except BlockedAddress as exc:
        suffix = f" (resolved from {via})" if via else ""
        raise CaptureError(f"blocked: {exc}{suffix}") from None


def _resolve(target: Target, options: _Options) -> list[str]:
    try:
        found = _call_before(options.deadline, options.resolver, target.host, target.port)
    except TimeoutError:
        raise CaptureError(f"timeout after {options.timeout:g}s") from None
    except OSError as exc:
        raise CaptureError(f"could not resolve {target.host}: {_os_message(exc)}") from None
    addresses = list(dict.fromkeys(found))
    if not addresses:
        raise CaptureError(f"could not resolve {target.host}: no addresses")
    return addresses


def _call_before(deadline: float, func: Resolver, host: str, port: int) -> list[str]:
    """Run a resolver, giving up at the deadline: getaddrinfo itself cannot be interrupted."""
    results: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, func(host, port)))
        except BaseException as exc:  # handed to the caller's thread
            results.put((False, exc))

    threading.Thread(target=run, name=f"capture-resolve-{host}", daemon=True).start()
    try:
        succeeded, value = results.get(timeout=_remaining(deadline))
    except queue.Empty:
        raise TimeoutError from None
    if not succeeded:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]


# --- HTTP exchange --------------------------------------------------------------------------


@dataclass
class _Options:
    allow_loopback: bool
    timeout: float
    max_bytes: int
    max_redirects: int
    resolver: Resolver
    deadline: float


@dataclass
class _Progress:
    """What is known about the capture so far, kept for the snapshot if it fails later."""

    final_url: str
    http_status: int | None = None
    content_type: str = ""
    body: bytes = field(default=b"", repr=False)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _pool_for(target: Target, ip: str, options: _Options) -> urllib3.HTTPConnectionPool:
    left = _remaining(options.deadline)
    timeout = urllib3.Timeout(connect=left, read=min(options.timeout, left))
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            ip,
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(ip, target.port, timeout=timeout, retries=False)


def _request(pool: urllib3.HTTPConnectionPool, target: Target) -> urllib3.BaseHTTPResponse:
    headers = {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        # Compressed bodies are still handled, but asking for none keeps size limits simple.
        "Accept-Encoding": "identity",
    }
    return pool.urlopen(
        "GET",
        target.path,
        headers=headers,
        retries=False,
        redirect=False,
        assert_same_host=False,
        preload_content=False,
        decode_content=False,
    )


@contextmanager
def _exchange(
    target: Target, addresses: list[str], options: _Options
) -> Iterator[urllib3.BaseHTTPResponse]:
    """Send the request to the first vetted address that accepts a connection."""
    last_error: Exception | None = None
    for ip in addresses:
        pool = _pool_for(target, ip, options)
        try:
            response = _request(pool, target)
        except NewConnectionError as exc:
            pool.close()
            last_error = exc
            continue
        except BaseException:
            pool.close()
            raise
        try:
            yield response
        finally:
            response.close()
            pool.close()
        return
    assert last_error is not None
    raise last_error


def _redirect_location(response: urllib3.BaseHTTPResponse) -> str | None:
    if response.status not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("Location", "").strip()
    if not location:
        raise CaptureError(f"HTTP {response.status} redirect without a Location")
    return location


def _follow(url: str, options: _Options, progress: _Progress) -> None:
    """Fetch ``url``, following redirects by hand, and leave the result in ``progress``."""
    for _hop in range(options.max_redirects + 1):
        progress.final_url = url
        target = parse_target(url)
        addresses = _vetted_addresses(target, options)
        with _exchange(target, addresses, options) as response:
            progress.http_status = response.status
            progress.content_type = response.headers.get("Content-Type", "")
            location = _redirect_location(response)
            if location is None:
                if response.status >= 400:
                    raise CaptureError(f"HTTP {response.status}")
                progress.body = _read_body(response, options)
                return
        url = urljoin(url, location)
    raise CaptureError(f"too many redirects (max {options.max_redirects})")


# --- body -----------------------------------------------------------------------------------


def _too_large(max_bytes: int) -> CaptureError:
    if max_bytes % MEGABYTE == 0:
        size = f"{max_bytes // MEGABYTE} MB"
    else:
        size = f"{max_bytes} bytes"
    return CaptureError(f"too large: over {size}")


def _declared_length(response: urllib3.BaseHTTPResponse) -> int | None:
    try:
        return int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None


def _read_body(response: urllib3.BaseHTTPResponse, options: _Options) -> bytes:
    """Stream the body, stopping as soon as it exceeds max_bytes or the deadline passes."""
    declared = _declared_length(response)
    if declared is not None and declared > options.max_bytes:
        raise _too_large(options.max_bytes)
    inflate = _inflater(response.headers.get("Content-Encoding", ""))
    body = bytearray()
    while True:
        _limit_socket_wait(response, min(options.timeout, _remaining(options.deadline)))
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            return bytes(body)
        body += inflate(chunk, options.max_bytes + 1 - len(body))
        if len(body) > options.max_bytes:
            raise _too_large(options.max_bytes)


def _limit_socket_wait(response: urllib3.BaseHTTPResponse, seconds: float) -> None:
    # The read timeout applies per socket read; narrowing it keeps a slow drip inside the
    # overall deadline.
    sock = getattr(getattr(response, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _inflater(content_encoding: str) -> Callable[[bytes, int], bytes]:
    """Return a decoder for the body that never produces more than it is allowed to."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda chunk, _room: chunk
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = zlib.MAX_WBITS | 16 if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)

        def inflate(chunk: bytes, room: int) -> bytes:
            try:
                # Bounded output, so a small compressed bomb cannot expand in memory.
                return decompressor.decompress(chunk, room)
            except zlib.error as exc:
                raise CaptureError(f"bad {encoding} body: {exc}") from None

        return inflate
    raise CaptureError(f"unsupported content encoding {content_encoding!r}")


# --- entry point ----------------------------------------------------------------------------


def _os_message(exc: BaseException) -> str:
    """The most specific human message in an exception chain (e.g. 'Connection refused')."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        current = current.__cause__ or current.__context__
    return str(exc) or type(exc).__name__


def _describe_failure(exc: Exception, timeout: float) -> str:
    if isinstance(exc, CaptureError):
        return str(exc)
    if isinstance(exc, NewConnectionError):
        return f"connection failed: {_os_message(exc)}"
    if isinstance(exc, TimeoutError | Urllib3Timeout):
        return f"timeout after {timeout:g}s"
    if isinstance(exc, SSLError | ssl.SSLError):
        return f"TLS error: {exc.__cause__ or exc}"
    if isinstance(exc, ProtocolError | http.client.HTTPException):
        return f"connection error: {_os_message(exc)}"
    return f"network error: {_os_message(exc)}"


def _snapshot(progress: _Progress, error: str) -> Snapshot:
    title, text = ("", "") if error else extract(progress.content_type, progress.body)
    return Snapshot(
        ok=not error,
        final_url=progress.final_url,
        http_status=progress.http_status,
        content_type=progress.content_type,
        sha256="" if error else hashlib.sha256(progress.body).hexdigest(),
        title=title,
        text=text,
        error=error,
        fetched_at=datetime.now(UTC),
    )


def fetch_snapshot(
    url: str,
    *,
    allow_loopback: bool = False,
    timeout: float = 10.0,
    max_bytes: int = 5 * MEGABYTE,
    max_redirects: int = 5,
    resolver: Resolver | None = None,
) -> Snapshot:
    """Capture ``url`` and return a Snapshot; network and policy failures never raise.

    ``timeout`` bounds each connect and read and the whole capture, redirects included.
    ``final_url`` is the last URL requested (or refused), so a failure shows where it happened.
    ``sha256`` covers the body after any content encoding is undone.
    """
    options = _Options(
        allow_loopback=allow_loopback,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        resolver=resolver or _system_resolver,
        deadline=time.monotonic() + timeout,
    )
    progress = _Progress(final_url=url)
    try:
        _follow(url, options, progress)
    except (CaptureError, HTTPError, OSError, http.client.HTTPException, ValueError) as exc:
        return _snapshot(progress, _describe_failure(exc, timeout))
    return _snapshot(progress, "")
