"""Signing and posting one webhook: an HMAC of the raw body, one POST without redirects.

Delivery is at least once; receivers drop repeats by the ``Idempotency-Key`` header.
"""

import hashlib
import hmac
from dataclasses import dataclass

import urllib3

USER_AGENT = "Claimdesk-Webhooks/1.0"
_http = urllib3.PoolManager(retries=False, headers={"User-Agent": USER_AGENT})


@dataclass(frozen=True)
class PostResult:
    ok: bool
    status: int | None
    error: str


def sign(body: bytes, secret: str) -> str:
    """The ``X-Claimdesk-Signature`` value: HMAC-SHA256 of the raw body, hex encoded."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_webhook(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> PostResult:
    """POST once, without redirects or retries; network failures are returned, not raised."""
    try:
        response = _http.request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=urllib3.Timeout(connect=min(timeout, 5.0), read=timeout),
            redirect=False,
        )
    except urllib3.exceptions.HTTPError as exc:
        return PostResult(False, None, f"network error: {exc}"[:500])
    if 200 <= response.status < 300:
        return PostResult(True, response.status, "")
    return PostResult(False, response.status, f"HTTP {response.status}")
