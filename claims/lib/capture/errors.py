"""The exception behind every failed exchange, with the kind of failure it was.

A capture keeps the detailed message (it becomes a failed snapshot's ``error``); a webhook
records only the kind, so a delivery's error never repeats what a socket said.
"""

from __future__ import annotations

BLOCKED = "blocked"  # the address policy refused the host or an address it resolved to
INVALID = "invalid"  # the URL cannot be used: scheme, credentials, syntax
TIMEOUT = "timeout"  # the exchange's deadline passed
TLS = "tls"  # the TLS handshake or certificate check failed
UNREACHABLE = "unreachable"  # no address resolved, or none accepted a connection
BROKEN = "broken"  # the server broke the exchange: reset, malformed or truncated reply
REFUSED_REPLY = "refused_reply"  # the reply itself was refused: status, size, encoding


class CaptureError(Exception):
    """An exchange failed for a reason that is reported (in a snapshot or a delivery)."""

    def __init__(self, message: str, kind: str = REFUSED_REPLY) -> None:
        super().__init__(message)
        self.kind = kind
