"""Embeddable status badges: ``/embed/c/<id>/``, a small page a CMS frames, and ``/oembed``
(oEmbed 1.0, JSON) that hands out the iframe for a public claim's URL.

Only the badge may be framed, and only by the partner origins in
``CLAIMDESK_EMBED_ORIGINS`` (``frame-ancestors``); every other page keeps
``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``. Badges are cached and purged like
the pages (``Surrogate-Key: claim-<id>``).
"""

from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims import access
from claims.public import http, jsonld

EMBED_WIDTH = 400
EMBED_HEIGHT = 180
CLAIM_URL_NAMES = ("public_claim", "public_claim_canonical", "public_claim_embed")


def oembed_discovery_url(claim) -> str:
    query = urlencode({"url": jsonld.absolute_url(claim.get_public_url()), "format": "json"})
    return jsonld.absolute_url(reverse("public_oembed")) + "?" + query


def _frame_ancestors(response: HttpResponse) -> HttpResponse:
    # django-csp's csp_replace, with the origins read per request (settings may change).
    response._csp_replace = {"frame-ancestors": settings.CLAIMDESK_EMBED_ORIGINS or ["'none'"]}
    return response


@require_safe
@xframe_options_exempt
def claim_embed(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access.access_public_claim_by_id(claim_id)
    response = http.conditional(
        request,
        marks=("embed", claim.pk, claim.version, claim.changed_at, claim.story.updated_at),
        modified=http.newest(claim.changed_at, claim.story.updated_at),
        keys=[f"claim-{claim.pk}", f"story-{claim.story_id}"],
        render=partial(_badge, request, claim),
    )
    return _frame_ancestors(response)


def _badge(request: HttpRequest, claim) -> HttpResponse:
    context = {
        "claim": claim,
        "public_url": jsonld.absolute_url(claim.get_public_url()),
        "publisher_name": settings.CLAIMDESK_PUBLISHER_NAME,
    }
    return render(request, "public/embed_claim.html", context)


def _claim_from_url(url: str):
    site = urlsplit(settings.CLAIMDESK_SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise Http404("Not a page of this site.")
    try:
        match = resolve(parts.path)
    except Resolver404 as error:
        raise Http404("No such page.") from error
    if match.url_name not in CLAIM_URL_NAMES:
        raise Http404("Only claim pages can be embedded.")
    return access.access_public_claim_by_id(match.kwargs["claim_id"])


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is served.", status=501, content_type="text/plain")
    claim = _claim_from_url(request.GET.get("url", "")[:2000])
    width = _bounded(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = _bounded(request.GET.get("maxheight"), EMBED_HEIGHT)
    src = jsonld.absolute_url(reverse("public_claim_embed", args=[claim.pk]))
    title = claim.text[:200]
    iframe = (
        f'<iframe src="{src}" width="{width}" height="{height}" '
        f'title="Fact check: {escape(title)}" style="border:0" loading="lazy"></iframe>'
    )
    payload = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": settings.CLAIMDESK_PUBLISHER_NAME,
        "provider_url": settings.CLAIMDESK_PUBLISHER_URL,
        "cache_age": 600,
        "html": iframe,
        "width": width,
        "height": height,
    }
    response = JsonResponse(payload)
    return http.mark_public(response, [f"claim-{claim.pk}"])


def _bounded(value: str | None, default: int) -> int:
    try:
        return max(50, min(default, int(value))) if value else default
    except ValueError:
        return default
