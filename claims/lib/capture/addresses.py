"""Address policy: which IP addresses a capture may connect to, and why the others are refused.

Every non-public range is named (loopback, private, link-local, CGNAT, ...), and IPv6 forms that
embed an IPv4 address (mapped, 6to4, Teredo, NAT64, IPv4-compatible) are judged by that address.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


class BlockedAddress(Exception):
    """The address is not one a capture may connect to; the message says why."""


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
