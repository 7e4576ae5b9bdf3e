"""schema.org ClaimReview for public claim pages and the aggregator export.

Only claims with a verdict carry a review; claims still unverified, in review or superseded
(the claim that replaced them carries it) have none. Serialisation escapes ``<``, ``>`` and
``&`` so that no text in a claim can close the ``<script>`` element the JSON sits in.
"""

import json
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from claims.models import Attribution, Claim

# ratingValue on a 1 (worst) to 5 (best) scale, and the reader-facing rating name.
RATINGS = {
    Claim.Status.FALSE: 1,
    Claim.Status.MISLEADING: 2,
    Claim.Status.DISPUTED: 3,
    Claim.Status.UNPROVEN: 3,
    Claim.Status.CONFIRMED: 5,
}
BEST_RATING, WORST_RATING = 5, 1

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def absolute_url(path: str) -> str:
    """Links readers and crawlers keep: always on the configured site, whatever the Host."""
    return settings.CLAIMDESK_SITE_URL.rstrip("/") + path


def site_host() -> str:
    return urlsplit(settings.CLAIMDESK_SITE_URL).hostname or "localhost"


def publisher() -> dict:
    return {
        "@type": "Organization",
        "name": settings.CLAIMDESK_PUBLISHER_NAME,
        "url": settings.CLAIMDESK_PUBLISHER_URL,
    }


def claim_review(
    claim: Claim,
    *,
    attributions: list[Attribution],
    first_ruled_at: datetime | None,
    modified_at: datetime | None,
) -> dict | None:
    """The ClaimReview for a claim with a verdict, or None when there is no verdict yet."""
    if claim.status not in RATINGS:
        return None
    published = first_ruled_at or claim.status_changed_at or claim.created_at
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_public_url()),
        "claimReviewed": claim.text,
        "author": publisher(),
        "datePublished": _iso(published),
        "dateModified": _iso(max(t for t in (published, modified_at) if t is not None)),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[claim.status],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.get_status_display(),
        },
        "itemReviewed": item_reviewed(attributions),
    }
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    return review


def item_reviewed(attributions: list[Attribution]) -> dict:
    """The claim as made in the world: who said it first, when, and where it appeared."""
    item: dict = {"@type": "Claim"}
    if attributions:
        first = attributions[0]
        source = first.source
        item["author"] = {
            "@type": "Person" if source.is_person else "Organization",
            "name": source.name,
        }
        if source.homepage:
            item["author"]["url"] = source.homepage
    dated = [a.said_at for a in attributions if a.said_at is not None]
    if dated:
        item["datePublished"] = _iso(min(dated))
    appearances = [{"@type": "CreativeWork", "url": a.url} for a in attributions if a.url]
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
    return item


def dumps_for_script(data: dict | list) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element.

    Safe to mark safe: after escaping, the text holds no ``<``, ``>`` or ``&`` at all, so
    neither ``</script>`` nor an HTML comment can end the element early.
    """
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")
