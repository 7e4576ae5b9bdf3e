"""``GET /claims:search`` in the shape of Google Fact Check Tools' ``claims:search``, for the
desk's public rulings, so tools written for Google's API read the desk directly."""

import base64
import binascii
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from claims import access
from claims.models import VERDICTS, Attribution, Claim
from claims.selectors.public import sort_attributions

router = Router(tags=["fact check tools"])

MAX_PAGE_SIZE = 100


class Publisher(Schema):
    name: str
    site: str


class ClaimReviewOut(Schema):
    publisher: Publisher
    url: str
    title: str
    reviewDate: str | None = None  # noqa: N815 (Google's field names)
    textualRating: str  # noqa: N815
    languageCode: str  # noqa: N815


class FactCheckClaimOut(Schema):
    text: str
    claimant: str | None = None
    claimDate: str | None = None  # noqa: N815
    claimReview: list[ClaimReviewOut]  # noqa: N815


class SearchOut(Schema):
    claims: list[FactCheckClaimOut]
    nextPageToken: str | None = None  # noqa: N815


class SearchParams(Schema):
    query: str = Field("", max_length=500)
    languageCode: str = Field("", max_length=35)  # noqa: N815
    maxAgeDays: int | None = Field(None, ge=0, le=36500)  # noqa: N815
    pageSize: int = Field(10, ge=1)  # noqa: N815
    pageToken: str = Field("", max_length=200)  # noqa: N815
    reviewPublisherSiteFilter: str = Field("", max_length=253)  # noqa: N815


@router.get("/claims:search", response=SearchOut, auth=None, summary="Fact Check Tools search")
def claims_search(request: HttpRequest, params: Query[SearchParams]):
    """The desk's public rulings, newest ruling first, filtered as Google's API filters."""
    size = min(params.pageSize, MAX_PAGE_SIZE)
    if not _serves(params):
        return {"claims": [], "nextPageToken": None}
    claims = _rulings(params)
    position = _read_token(params.pageToken)
    if position is not None:
        when, pk = position
        claims = claims.filter(Q(status_changed_at__lt=when) | Q(status_changed_at=when, id__lt=pk))
    rows = list(claims[: size + 1])
    token = _token(rows[size - 1]) if len(rows) > size else None
    return {"claims": [_claim(claim) for claim in rows[:size]], "nextPageToken": token}


def _language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def _publisher_site() -> str:
    return urlsplit(settings.CLAIMDESK_PUBLISHER_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return settings.CLAIMDESK_SITE_URL.rstrip("/") + path


def _serves(params: SearchParams) -> bool:
    """The desk publishes in one language, under one site: other filters find nothing."""
    language = params.languageCode.strip().lower()
    if language and language.split("-")[0] != _language():
        return False
    site = params.reviewPublisherSiteFilter.strip().lower().removeprefix("www.")
    return not site or site == _publisher_site().removeprefix("www.")


def _rulings(params: SearchParams):
    claims = (
        access.public_claims()
        .filter(status__in=list(VERDICTS), status_changed_at__isnull=False)
        .prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source"))
        )
        .order_by("-status_changed_at", "-id")
    )
    if params.query.strip():
        claims = claims.filter(text__icontains=params.query.strip())
    if params.maxAgeDays is not None:
        claims = claims.filter(
            status_changed_at__gte=timezone.now() - timedelta(days=params.maxAgeDays)
        )
    return claims


def _claim(claim: Claim) -> dict:
    attributions = sort_attributions(claim.attributions.all())
    dated = [a.said_at for a in attributions if a.said_at is not None]
    return {
        "text": claim.text,
        "claimant": attributions[0].source.name if attributions else None,
        "claimDate": _iso(min(dated)) if dated else None,
        "claimReview": [
            {
                "publisher": {"name": settings.CLAIMDESK_PUBLISHER_NAME, "site": _publisher_site()},
                "url": _absolute(claim.get_public_url()),
                "title": access.ruling_title(claim.status, claim.text),
                "reviewDate": _iso(claim.status_changed_at),
                "textualRating": claim.get_status_display(),
                "languageCode": _language(),
            }
        ],
    }


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _token(claim: Claim) -> str:
    raw = f"{claim.status_changed_at.isoformat()}|{claim.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token: str) -> tuple[datetime, int] | None:
    """A token this endpoint made; anything else reads as the first page."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        when, pk = raw.rsplit("|", 1)
        return datetime.fromisoformat(when), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
