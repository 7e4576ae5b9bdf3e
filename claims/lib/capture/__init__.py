"""The safe HTTP client: evidence capture and webhook posts, safely against request forgery.

It only ever talks to public addresses: the host of every hop is resolved once, every address
it resolves to is vetted, and the connection goes to a vetted IP (with the original name in
the ``Host`` header and for TLS), so a DNS answer cannot change between check and use.
Redirects are followed by hand so each hop is vetted the same way (webhook posts follow none),
and one wall-clock deadline covers the whole exchange: connect, headers and body.

The package, from the bottom up:

- ``errors``: ``CaptureError`` and the kinds of failure it names.
- ``addresses``: the address policy, ``check_address`` and ``BlockedAddress``.
- ``targets``: parsing a URL (host, port, legacy IPv4 spellings) into one request's target.
- ``content``: decoding a body and extracting its title and text.
- ``connection``: the deadline, resolution and vetting, and one exchange with a vetted IP.
- ``client``: ``fetch_snapshot`` (redirects, size caps), ``post`` and ``check_url``.
"""

from claims.lib.capture.addresses import BlockedAddress, check_address
from claims.lib.capture.client import Snapshot, check_url, fetch_snapshot, post
from claims.lib.capture.connection import Resolver
from claims.lib.capture.errors import CaptureError

__all__ = [
    "BlockedAddress",
    "CaptureError",
    "Resolver",
    "Snapshot",
    "check_address",
    "check_url",
    "fetch_snapshot",
    "post",
]
