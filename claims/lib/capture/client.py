"""The safe HTTP client's entry points: capture a page, POST a webhook, vet a URL.

All three go through ``connection.exchange``: every hop's host resolved once and vetted, the
connection made to a vetted IP, one deadline for the whole exchange. A capture follows
redirects by hand, vetting each hop the same way, and reads the body under a size cap; a POST
follows none and reads no body.
"""

from __future__ import annotations

import hashlib
import http.client
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import urljoin

from claims.lib.capture.connection import (
    Deadline,
    Request,
    Resolver,
    exchange,
    system_resolver,
    vetted_addresses,
)
from claims.lib.capture.content import extract
from claims.lib.capture.errors import BROKEN, CaptureError
from claims.lib.capture.targets import parse_target

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


@dataclass
class _Options:
    allow_loopback: bool
    max_bytes: int
    max_redirects: int
    resolver: Resolver
    deadline: Deadline


@dataclass
class _Progress:
    """What is known about the capture so far, kept for the snapshot if it fails later."""

    final_url: str
    http_status: int | None = None
    content_type: str = ""
    body: bytes = field(default=b"", repr=False)


# --- capture --------------------------------------------------------------------------------


def _capture_request(url: str) -> Request:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        # Compressed bodies are still handled, but asking for none keeps size limits simple.
        "Accept-Encoding": "identity",
    }
    return Request("GET", parse_target(url), headers)


def _redirect_location(response: http.client.HTTPResponse) -> str | None:
    if response.status not in REDIRECT_STATUSES:
        return None
    location = (response.headers.get("Location") or "").strip()
    if not location:
        raise CaptureError(f"HTTP {response.status} redirect without a Location")
    return location


def _follow(url: str, options: _Options, progress: _Progress) -> None:
    """Fetch ``url``, following redirects by hand, and leave the result in ``progress``."""
    for _hop in range(options.max_redirects + 1):
        progress.final_url = url
        request = _capture_request(url)
        with exchange(
            request,
            options.deadline,
            allow_loopback=options.allow_loopback,
            resolver=options.resolver,
        ) as response:
            progress.http_status = response.status
            progress.content_type = response.headers.get("Content-Type", "")
            location = _redirect_location(response)
            if location is None:
                if response.status >= 400:
                    raise CaptureError(f"HTTP {response.status}")
                progress.body = _read_body(response, options.max_bytes)
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


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Stream the body, stopping as soon as it exceeds max_bytes (the deadline bounds reads)."""
    if response.length is not None and response.length > max_bytes:
        raise _too_large(max_bytes)
    inflate = _inflater(response.headers.get("Content-Encoding", ""))
    body = bytearray()
    while chunk := response.read1(CHUNK_SIZE):
        body += inflate(chunk, max_bytes + 1 - len(body))
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    if response.length:  # the server closed before sending what Content-Length promised
        raise CaptureError("connection error: body shorter than its Content-Length", BROKEN)
    return bytes(body)


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


# --- entry points ---------------------------------------------------------------------------


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

    ``timeout`` bounds the whole capture, redirects, headers and body included.
    ``final_url`` is the last URL requested (or refused), so a failure shows where it happened.
    ``sha256`` covers the body after any content encoding is undone.
    """
    options = _Options(
        allow_loopback=allow_loopback,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        resolver=resolver or system_resolver,
        deadline=Deadline(timeout),
    )
    progress = _Progress(final_url=url)
    try:
        _follow(url, options, progress)
    except CaptureError as exc:
        return _snapshot(progress, str(exc))
    return _snapshot(progress, "")


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_loopback: bool = False,
    resolver: Resolver | None = None,
) -> tuple[int, Message]:
    """POST ``body`` once and return the status and the answer's headers; redirects are not
    followed, bodies not read.

    ``timeout`` bounds the whole exchange. Raises ``CaptureError`` for every failure.
    """
    request = Request("POST", parse_target(url), headers, body)
    with exchange(
        request,
        Deadline(timeout),
        allow_loopback=allow_loopback,
        resolver=resolver or system_resolver,
    ) as response:
        return response.status, response.headers


def check_url(
    url: str,
    *,
    allow_loopback: bool = False,
    timeout: float = 5.0,
    resolver: Resolver | None = None,
) -> None:
    """Raise ``CaptureError`` unless ``url`` parses and every address its host has is allowed.

    No connection is made: this is the check a URL passes when it is saved.
    """
    vetted_addresses(
        parse_target(url),
        Deadline(timeout),
        allow_loopback=allow_loopback,
        resolver=resolver or system_resolver,
    )
