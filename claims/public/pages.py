"""Public pages rendered once and then read from the cache.

A page's key names everything the page shows: the caller passes the times its rows last
changed and the position of the page in its list. Any change, made by any process, gives a
new key, so a cached page is never stale; the old entry is left to expire.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

# Bump when the pages' templates change, so pages rendered by older code are not reused.
PAGE_SCHEMA = "5"
PAGE_SECONDS = 600  # Keys change with the data; this only bounds memory.
CURSOR_LENGTH = 120


def cursor_params(request: HttpRequest) -> dict[str, str]:
    """The page's ``after`` and ``before`` cursors, as the list's position reads them."""
    return {name: request.GET.get(name, "")[:CURSOR_LENGTH] for name in ("after", "before")}


def cached_page(marks: tuple, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page these marks name, from the cache or from ``render`` (then cached), with the
    surrogate keys ``render`` set on it (``response.surrogate_keys``)."""
    raw = repr((PAGE_SCHEMA, *marks))
    key = f"public-page:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    cached = cache.get(key)
    if cached is not None:
        body, keys = cached
        response = HttpResponse(body)
        response.surrogate_keys = keys
        return response
    response = render()
    if response.status_code == 200:
        keys = list(getattr(response, "surrogate_keys", []))
        cache.set(key, (response.content, keys), PAGE_SECONDS)
    return response
