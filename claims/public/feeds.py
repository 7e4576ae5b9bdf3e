"""Feeds of the desk's rulings: RSS 2.0 and Atom 1.0 (Django's syndication framework) and
JSON Feed 1.1, for the whole desk, one story or one claim (a figure's feed is in
``claims.public.figure_feed``). A ruling is a verdict or a supersession; a claim moved to In
review is not news for readers.

Every request first asks the database, in one query, for the feed's freshness (its newest
item and when its claims and stories last changed). That gives the ETag and Last-Modified,
so an unchanged feed answers 304 after that one query, and it is part of the cache key, so a
change made by any process (another app server, a worker, the admin) is seen at once.
"""

import json
from collections.abc import Callable
from functools import partial, wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from claims.access import RULINGS
from claims.models import STATUS_LABELS
from claims.public import http
from claims.public.feed_formats import (
    BadFeedFilter,
    FeedScope,
    StatusAtomFeed,
    StatusRssFeed,
    json_feed,
    scope_all,
    scope_claim,
    scope_story,
)
from claims.selectors import feeds as feed_selectors

FORMATS = ("rss", "atom", "json")
CACHE_SECONDS = 600  # Keys change with the data; this only bounds memory.


def render(fmt: str, scope: FeedScope, request: HttpRequest) -> tuple[str, bytes]:
    if fmt == "json":
        body = json.dumps(json_feed(scope), ensure_ascii=False).encode()
        return "application/feed+json; charset=utf-8", body
    feed_class = StatusAtomFeed if fmt == "atom" else StatusRssFeed
    generator = feed_class().get_feed(scope, request)
    return generator.content_type, generator.writeString("utf-8").encode()


def status_param(request: HttpRequest) -> str | None:
    status = request.GET.get("status", "").strip()
    if not status:
        return None
    choices = ", ".join(RULINGS)
    if status in STATUS_LABELS and status not in RULINGS:
        raise BadFeedFilter(
            f"“{status}” is not a ruling: feeds carry verdicts and supersessions only. "
            f"Use one of: {choices}."
        )
    if status not in RULINGS:
        raise BadFeedFilter(f"Unknown status filter “{status[:40]}”. Use one of: {choices}.")
    return status


def serve(
    request: HttpRequest,
    *,
    fmt: str,
    status: str | None,
    freshness: feed_selectors.Freshness,
    build: Callable[[], FeedScope],
) -> HttpResponse:
    """Answer 304 from the freshness alone; otherwise reuse or build the cached body."""
    etag = freshness.etag(f"{fmt}:{status or ''}")
    modified = freshness.last_modified
    last_modified = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"public-feed:{etag.strip(chr(34))}"
        cached = cache.get(key)
        if cached is None:
            cached = render(fmt, build(), request)
            cache.set(key, cached, CACHE_SECONDS)
        content_type, body = cached
        response = HttpResponse(body, content_type=content_type)
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    return http.mark_public(response, ["feeds"])


def feed_view(view):
    """GET/HEAD only; an unknown status filter is a 400 with a message, not a 500."""

    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, status=status_param(request), **kwargs)
        except BadFeedFilter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    return wrapper


@feed_view
def status_feed(request: HttpRequest, fmt: str, status: str | None) -> HttpResponse:
    freshness = feed_selectors.feed_freshness_all(status=status)
    build = partial(scope_all, status, freshness.kinds)
    return serve(request, fmt=fmt, status=status, freshness=freshness, build=build)


@feed_view
def story_feed(request: HttpRequest, slug: str, fmt: str, status: str | None) -> HttpResponse:
    freshness = feed_selectors.feed_freshness_story(slug=slug, status=status)
    # The story itself is read only when the feed is not cached: a 304 is one query.
    build = partial(scope_story, slug, status, freshness.kinds)
    return serve(request, fmt=fmt, status=status, freshness=freshness, build=build)


@feed_view
def claim_feed(request: HttpRequest, claim_id: int, fmt: str, status: str | None) -> HttpResponse:
    freshness = feed_selectors.feed_freshness_claim(claim_id=claim_id, status=status)
    build = partial(scope_claim, claim_id, status, freshness.kinds)
    return serve(request, fmt=fmt, status=status, freshness=freshness, build=build)
