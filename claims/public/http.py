"""HTTP caching of public responses: shared-cache ``Cache-Control``, a strong ETag from the
data's version, ``Last-Modified``, 304 from the marks alone, and the surrogate keys
(``Surrogate-Key`` for Fastly-style caches, ``xkey`` for Varnish) that purges name.

A view reads its marks (one query), and ``conditional`` answers 304 before anything else
is read; otherwise the page comes from ``claims.public.pages`` (rendered once per marks).
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from claims.public import pages


def etag_for(marks: tuple) -> str:
    return '"' + hashlib.sha256(repr((pages.PAGE_SCHEMA, *marks)).encode()).hexdigest()[:32] + '"'


def newest(*times: datetime | None) -> datetime | None:
    present = [time for time in times if time is not None]
    return max(present) if present else None


def mark_public(response: HttpResponse, keys: Iterable[str]) -> HttpResponse:
    """Let shared caches keep the response, tagged with what it shows."""
    response.headers["Cache-Control"] = settings.CLAIMDESK_PUBLIC_CACHE_CONTROL
    tags = " ".join(dict.fromkeys(keys))
    if tags:
        response.headers["Surrogate-Key"] = tags
        response.headers["xkey"] = tags
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def conditional(
    request: HttpRequest,
    *,
    marks: tuple,
    modified: datetime | None,
    keys: Iterable[str],
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """304 when the reader's copy matches the marks; else the page (cached per marks)."""
    etag = etag_for(marks)
    last_modified = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    shown = list(keys)
    if response is None:
        response = pages.cached_page(marks, render)
        shown += getattr(response, "surrogate_keys", [])
    if response.status_code in (200, 304):
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        mark_public(response, shown)
    return response
