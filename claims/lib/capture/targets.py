"""Parse a URL into the target of one request: scheme, IDNA host, port, path and IP literal.

URLs that could disguise their real host (credentials, backslashes, control characters) are
refused, and an all-numeric host is read as the IPv4 address a resolver would make of it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit

from claims.lib.capture.addresses import IPAddress
from claims.lib.capture.errors import INVALID, CaptureError

DEFAULT_PORTS = {"http": 80, "https": 443}
_NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")
_HOSTNAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")
_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass(frozen=True)
class Target:
    """Where one request goes: the parsed URL, with the IP its host names literally, if any."""

    scheme: str
    host: str  # IDNA-encoded name or bare IP literal
    port: int
    path: str
    literal: IPAddress | None

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def parse_target(url: str) -> Target:
    if _FORBIDDEN_URL_CHARS.search(url):
        raise CaptureError(
            "invalid URL: contains whitespace, control characters or backslashes", INVALID
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise CaptureError(f"unsupported scheme {scheme!r} (only http and https)", INVALID)
    if "@" in parts.netloc:
        # user:pass@host is how "http://trusted.example@10.0.0.1/" disguises its real host.
        raise CaptureError("blocked: credentials (user@host) in URLs are not allowed", INVALID)
    host = _normalise_host(parts.hostname or "")
    port = _parse_port(parts, scheme)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(scheme, host, port, path, _parse_literal(host))


def _normalise_host(hostname: str) -> str:
    if not hostname:
        raise CaptureError("invalid URL: missing host", INVALID)
    if ":" in hostname:
        return hostname  # IPv6 literal; validated by _parse_literal
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise CaptureError(f"invalid host {hostname!r}", INVALID) from None
    if not _HOSTNAME.match(host):
        raise CaptureError(f"invalid host {hostname!r}", INVALID)
    return host.rstrip(".")


def _parse_port(parts: SplitResult, scheme: str) -> int:
    try:
        port = parts.port
    except ValueError:
        raise CaptureError("invalid URL: bad port", INVALID) from None
    if port == 0:
        raise CaptureError("invalid URL: bad port", INVALID)
    return port or DEFAULT_PORTS[scheme]


def _parse_literal(host: str) -> IPAddress | None:
    """Return the IP a host literally names, in any of the spellings a resolver would accept."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise CaptureError(f"invalid IPv6 address {host!r}", INVALID) from None
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
        raise CaptureError(f"invalid IPv4 address {'.'.join(labels)!r}", INVALID) from None
    *leading, last = numbers
    if len(numbers) > 4 or any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise CaptureError(f"invalid IPv4 address {'.'.join(labels)!r}", INVALID)
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
