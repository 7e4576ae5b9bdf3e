"""Signing and posting one webhook: an HMAC of the raw body, one POST through the safe client.

The POST goes only to a public address (``claims.lib.capture``), follows no redirect and is
bounded by one deadline. What a failed attempt records is coarse on purpose: "refused: private
address", "timeout", "HTTP 503", "connection failed", never what a socket said, so the
delivery list cannot be used to probe which hosts and ports answer.
Delivery is at least once; receivers drop repeats by the ``Idempotency-Key`` header.
"""

import hashlib
import hmac
from dataclasses import dataclass

from claims.lib.capture import CaptureError, Resolver, check_url, post
from claims.lib.capture.errors import BLOCKED, INVALID, TIMEOUT, TLS

USER_AGENT = "Claimdesk-Webhooks/1.0"
REFUSED_PRIVATE = "refused: private address"
REFUSED_INVALID = "refused: invalid URL"
_COARSE = {
    BLOCKED: REFUSED_PRIVATE,
    INVALID: REFUSED_INVALID,
    TIMEOUT: "timeout",
    TLS: "TLS error",
}


@dataclass(frozen=True)
class PostResult:
    ok: bool
    status: int | None
    error: str


def sign(body: bytes, secret: str) -> str:
    """The ``X-Claimdesk-Signature`` value: HMAC-SHA256 of the raw body, hex encoded."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def coarse_error(exc: CaptureError) -> str:
    return _COARSE.get(exc.kind, "connection failed")


def post_webhook(url: str, body: bytes, headers: dict[str, str], **options) -> PostResult:
    """POST once, without redirects or retries; failures are returned, not raised.

    ``options`` are the safe client's (``timeout``, ``allow_loopback``, ``resolver``)."""
    sent = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        status = post(url, body, sent, **options)
    except CaptureError as exc:
        return PostResult(False, None, coarse_error(exc))
    if 200 <= status < 300:
        return PostResult(True, status, "")
    return PostResult(False, status, f"HTTP {status}")


def url_refusal(
    url: str, *, allow_loopback: bool = False, resolver: Resolver | None = None
) -> str | None:
    """Why webhooks may never go to ``url`` (a private address, an unusable URL), or None.

    A host that does not resolve now is not refused: it may by the time a delivery is due,
    and every delivery vets it again.
    """
    try:
        check_url(url, allow_loopback=allow_loopback, resolver=resolver)
    except CaptureError as exc:
        if exc.kind in (BLOCKED, INVALID):
            return coarse_error(exc)
    return None
