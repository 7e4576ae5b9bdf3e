"""Capture an evidence URL as a snapshot, safely against server-side request forgery.

A capture only ever talks to public addresses: the host of every hop is resolved once, every
address it resolves to is vetted, and the connection goes to a vetted IP (with the original
name in the ``Host`` header and for TLS), so a DNS answer cannot change between check and use.
Redirects are followed by hand so each hop is vetted the same way.

The package, from the bottom up:

- ``errors``: ``CaptureError``, whose message becomes a failed snapshot's ``error``.
- ``addresses``: the address policy, ``check_address`` and ``BlockedAddress``.
- ``targets``: parsing a URL (host, port, legacy IPv4 spellings) into one request's target.
- ``content``: decoding a body and extracting its title and text.
- ``client``: resolution, connections, redirects, size caps and ``fetch_snapshot``.
"""

from claims.lib.capture.addresses import BlockedAddress, check_address
from claims.lib.capture.client import Resolver, Snapshot, fetch_snapshot
from claims.lib.capture.errors import CaptureError

__all__ = [
    "BlockedAddress",
    "CaptureError",
    "Resolver",
    "Snapshot",
    "check_address",
    "fetch_snapshot",
]
