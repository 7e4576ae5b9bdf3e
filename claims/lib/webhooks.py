"""Signing and posting one webhook (Standard Webhooks), one POST through the safe client.

The POST goes only to a public address (``claims.lib.capture``), follows no redirect and is
bounded by one deadline. What a failed attempt records is coarse on purpose: "refused: private
address", "timeout", "HTTP 503", "connection failed", never what a socket said, so the
delivery list cannot be used to probe which hosts and ports answer.
Delivery is at least once; receivers drop repeats by the ``webhook-id`` header.
Signatures follow https://www.standardwebhooks.com/: ``v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`` keyed by the base64-decoded secret after ``whsec_``.
"""

import base64
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from standardwebhooks.webhooks import Webhook

from claims.lib.capture import CaptureError, Resolver, check_url, post
from claims.lib.capture.errors import BLOCKED, INVALID, TIMEOUT, TLS

# Seconds before retry n (after attempt n failed); each step jittered by ±20 %, so even the
# shortest draw spans more than a day (0.8 × 113,705 s ≈ 25.3 h) before a delivery is dead.
SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400)
RETRY_AFTER_STATUSES = frozenset({429, 502, 503, 504})
RETRY_AFTER_CAP = 6 * 3600
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32

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
    retry_after: str = ""


def backoff_seconds(attempts: int) -> float:
    """The ``SCHEDULE`` step after ``attempts`` tries, jittered so retries do not go in step."""
    step = SCHEDULE[min(max(attempts - 1, 0), len(SCHEDULE) - 1)]
    return random.uniform(step * 0.8, step * 1.2)


def generate_secret() -> str:
    """A new signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signer(secret: str) -> Webhook:
    """The signer for a stored secret; one set before ``whsec_`` secrets signs with its bytes."""
    return Webhook(secret if secret.startswith(SECRET_PREFIX) else secret.encode())


def signed_headers(
    msg_id: str, body: bytes, secrets_: list[str], at: datetime | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers; one signature per active secret, space-separated."""
    at = at or datetime.now(UTC)
    text = body.decode()
    signatures = " ".join(signer(secret).sign(msg_id, at, text) for secret in secrets_)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header (delay-seconds or an HTTP date) as seconds, or None."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def coarse_error(exc: CaptureError) -> str:
    return _COARSE.get(exc.kind, "connection failed")


def post_webhook(url: str, body: bytes, headers: dict[str, str], **options) -> PostResult:
    """POST once, without redirects or retries; failures are returned, not raised.

    ``options`` are the safe client's (``timeout``, ``allow_loopback``, ``resolver``)."""
    sent = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        status, answer = post(url, body, sent, **options)
    except CaptureError as exc:
        return PostResult(False, None, coarse_error(exc))
    if 200 <= status < 300:
        return PostResult(True, status, "")
    return PostResult(False, status, f"HTTP {status}", answer.get("Retry-After", "") or "")


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
