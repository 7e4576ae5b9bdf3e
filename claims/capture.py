"""Capture an evidence URL as a snapshot, safely against server-side request forgery.

A capture only ever talks to public addresses: the host of every hop is resolved once, every
address it resolves to is vetted, and the connection goes to a vetted IP (with the original
name in the ``Host`` header and for TLS), so a DNS answer cannot change between check and use.
Redirects are followed by hand so each hop is vetted the same way.
"""

from __future__ import annotations

import codecs
import hashlib
import http.client
import ipaddress
import queue
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import SplitResult, quote, urljoin, urlsplit

import lxml.html
import trafilatura
import urllib3
from lxml.etree import ParserError
from urllib3.exceptions import (
    HTTPError,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
CHUNK_SIZE = 64 * 1024
MEGABYTE = 1024 * 1024
USER_AGENT = "Claimdesk-Capture/1.0 (evidence snapshot)"

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_RFC1918 = (
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("192.168.0.0/16"),
)
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")
_IPV6_ULA = ipaddress.IPv6Network("fc00::/7")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_IPV6_LOOPBACK = ipaddress.IPv6Address("::1")
_NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")
_HOSTNAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")
_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


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


class BlockedAddress(Exception):
    """The address is not one a capture may connect to; the message says why."""


class CaptureError(Exception):
    """A capture failed for a reason that is reported in the snapshot, not raised."""


# --- address policy -------------------------------------------------------------------------


def check_address(ip: str, *, allow_loopback: bool = False) -> None:
    """Raise BlockedAddress unless ``ip`` is a public address a capture may connect to.

    ``allow_loopback`` admits 127.0.0.0/8 and ::1 (for local development and tests) and nothing
    else: IPv6 forms that embed a loopback IPv4 address stay blocked.
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        raise BlockedAddress(f"{ip!r} is not an IP address") from None
    reason = _block_reason(address, allow_loopback)
    if reason:
        raise BlockedAddress(f"{ip.strip()} is {reason}")


def _block_reason(address: IPAddress, allow_loopback: bool) -> str | None:
    """Return why ``address`` is blocked (e.g. 'a loopback address'), or None if allowed."""
    if address.is_unspecified:
        return "an unspecified address"
    embedded = _embedded_ipv4(address)
    if embedded:
        form, ipv4 = embedded
        inner = _block_reason(ipv4, allow_loopback=False)
        if inner:
            return f"{form} form of {ipv4}, which is {inner}"
    if address.is_loopback and _is_plain_loopback(address):
        return None if allow_loopback else "a loopback address"
    return _special_range(address)


def _is_plain_loopback(address: IPAddress) -> bool:
    # Only the two canonical loopback spellings count for allow_loopback.
    return address.version == 4 or address == _IPV6_LOOPBACK


def _special_range(address: IPAddress) -> str | None:
    """Name the non-public range ``address`` falls in, checking the most telling name first."""
    checks: list[tuple[bool, str]] = [
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address == _BROADCAST, "a broadcast address"),
        (address.version == 6 and address.is_site_local, "a site-local address"),
        (address in _IPV6_ULA, "a unique local address"),
        (address in _CGNAT, "a shared (CGNAT) address"),
        (any(address in net for net in _RFC1918), "a private address"),
        (address.is_private, "a private or special-purpose address"),
        (address.is_reserved, "a reserved address"),
        # is_global also rules out ranges such as CGNAT that is_private does not cover.
        (not address.is_global, "a non-public address"),
    ]
    return next((reason for matched, reason in checks if matched), None)


def _embedded_ipv4(address: IPAddress) -> tuple[str, ipaddress.IPv4Address] | None:
    """Return the IPv4 address an IPv6 transition form routes to, with the form's name."""
    if address.version != 6:
        return None
    if address.ipv4_mapped:
        return "an IPv4-mapped", address.ipv4_mapped
    if address.sixtofour:
        return "a 6to4", address.sixtofour
    if address.teredo:
        return "a Teredo", address.teredo[1]
    if address in _NAT64:
        return "a NAT64", _low_ipv4(address)
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return "an IPv4-compatible", _low_ipv4(address)
    return None


def _low_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


# --- URL parsing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # IDNA-encoded name or bare IP literal
    port: int
    path: str
    literal: IPAddress | None

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _parse_target(url: str) -> _Target:
    if _FORBIDDEN_URL_CHARS.search(url):
        raise CaptureError("invalid URL: contains whitespace, control characters or backslashes")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise CaptureError(f"unsupported scheme {scheme!r} (only http and https)")
    if "@" in parts.netloc:
        # user:pass@host is how "http://trusted.example@10.0.0.1/" disguises its real host.
        raise CaptureError("blocked: credentials (user@host) in URLs are not allowed")
    host = _normalise_host(parts.hostname or "")
    port = _parse_port(parts, scheme)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(scheme, host, port, path, _parse_literal(host))


def _normalise_host(hostname: str) -> str:
    if not hostname:
        raise CaptureError("invalid URL: missing host")
    if ":" in hostname:
        return hostname  # IPv6 literal; validated by _parse_literal
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise CaptureError(f"invalid host {hostname!r}") from None
    if not _HOSTNAME.match(host):
        raise CaptureError(f"invalid host {hostname!r}")
    return host.rstrip(".")


def _parse_port(parts: SplitResult, scheme: str) -> int:
    try:
        port = parts.port
    except ValueError:
        raise CaptureError("invalid URL: bad port") from None
    if port == 0:
        raise CaptureError("invalid URL: bad port")
    return port or DEFAULT_PORTS[scheme]


def _parse_literal(host: str) -> IPAddress | None:
    """Return the IP a host literally names, in any of the spellings a resolver would accept."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise CaptureError(f"invalid IPv6 address {host!r}") from None
    labels = host.split(".")
    if all(_NUMERIC_LABEL.match(label) for label in labels):
        return _parse_legacy_ipv4(labels)
    return None


def _parse_legacy_ipv4(labels: list[str]) -> ipaddress.IPv4Address:
    """Parse inet_aton spellings (decimal, 0x hex, 0-octal, short forms like 127.1).

    An all-numeric host is never sent to DNS: resolvers read these as addresses, so they are
    read here the same way and vetted like any other literal.
    """
    try:
        numbers = [_parse_number(label) for label in labels]
    except ValueError:
        raise CaptureError(f"invalid IPv4 address {'.'.join(labels)!r}") from None
    *leading, last = numbers
    if len(numbers) > 4 or any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise CaptureError(f"invalid IPv4 address {'.'.join(labels)!r}")
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_number(label: str) -> int:
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    return int(label, 10)


# --- resolution -----------------------------------------------------------------------------


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _vetted_addresses(target: _Target, options: _Options) -> list[str]:
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


def _resolve(target: _Target, options: _Options) -> list[str]:
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


def _pool_for(target: _Target, ip: str, options: _Options) -> urllib3.HTTPConnectionPool:
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


def _request(pool: urllib3.HTTPConnectionPool, target: _Target) -> urllib3.BaseHTTPResponse:
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
    target: _Target, addresses: list[str], options: _Options
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
        target = _parse_target(url)
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


# --- text extraction ------------------------------------------------------------------------


def _media_type_and_charset(content_type: str) -> tuple[str, str | None]:
    if not content_type.strip():
        return "", None
    message = Message()
    message["Content-Type"] = content_type
    return message.get_content_type(), message.get_content_charset()


def _decode(body: bytes, charset: str | None) -> str:
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"
    return body.decode(codec, errors="replace")


def _looks_like_html(text: str) -> bool:
    return text.lstrip()[:512].lower().startswith(("<!doctype html", "<html", "<?xml", "<head"))


def _extract(content_type: str, body: bytes) -> tuple[str, str]:
    """Return (title, readable text) for a body: HTML is extracted, plain text kept as is."""
    media_type, charset = _media_type_and_charset(content_type)
    decoded = _decode(body, charset)
    if media_type in HTML_TYPES or (not media_type and _looks_like_html(decoded)):
        return _extract_html(decoded)
    if media_type.startswith("text/") or not media_type:
        return "", decoded
    return "", ""


def _extract_html(html: str) -> tuple[str, str]:
    document = _parse_html(html)
    title = _html_title(document) or _metadata_title(html)
    text = _trafilatura_text(html)
    if text is None:
        text = _fallback_text(document, title)
    return title, text


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    # lxml refuses str input that carries its own encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _html_title(document: lxml.html.HtmlElement | None) -> str:
    if document is None:
        return ""
    return _squash(document.findtext(".//title") or "")


def _metadata_title(html: str) -> str:
    try:
        metadata = trafilatura.extract_metadata(html)
    except Exception:  # extraction is best effort; the capture itself succeeded
        return ""
    return _squash(getattr(metadata, "title", None) or "")


def _trafilatura_text(html: str) -> str | None:
    try:
        return trafilatura.extract(html, include_comments=False)
    except Exception:  # extraction is best effort; fall back to plain text
        return None


def _fallback_text(document: lxml.html.HtmlElement | None, title: str) -> str:
    if document is None:
        return title
    for element in document.xpath("//script|//style|//noscript|//head"):
        element.drop_tree()
    body = _squash(document.text_content())
    return "\n".join(part for part in (title, body) if part)


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
    title, text = ("", "") if error else _extract(progress.content_type, progress.body)
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
