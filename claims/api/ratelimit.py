"""Requests per token per minute, counted in Redis; off when the desk runs without Redis."""

import time

from django.conf import settings
from django.core.cache import cache

from claims.api.errors import Problem

WINDOW_SECONDS = 60


def limit_per_minute() -> int:
    return int(getattr(settings, "CLAIMDESK_API_RATE_LIMIT", 600))


def check_rate(token) -> None:
    if not settings.REDIS_URL:
        return
    window = int(time.time() // WINDOW_SECONDS)
    key = f"api-rate:{token.pk}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - a Redis outage must not stop the API
        return
    if count > limit_per_minute():
        retry = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
        raise Problem(429, "Too many requests for this token.", retry_after=retry)
