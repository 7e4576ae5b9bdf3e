"""Reads for the public feeds: the rulings on public claims, newest first, and the
freshness of a feed (its ETag and Last-Modified) in one query.

Feed items are rulings: status revisions that give a verdict, plus the supersession/merge
revision written on the replaced claim. A move to In review or back to Unverified is not a
ruling and is never an item. Each kind is read on its own, newest first, so every read walks
``revision_kind_time_idx`` (kind, -created_at, -id) backwards and stops early, instead of
scanning every revision for an OR across kinds. Which claims are public is decided in
``claims.access``.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.http import Http404

from claims.access import (
    MAX_ID,
    claims_of_public_stories,
    public_claim_q,
    public_claims,
    public_stories,
)
from claims.lib.prepared import run_prepared
from claims.models import VERDICTS, Attribution, Claim, Revision, Story, claim_slug
from claims.selectors.public import REPLACEMENT_KINDS
from claims.selectors.redactions import redactions_of

FEED_LIMIT = 50
# Bump when the feed's shape changes, so caches and ETags from older code are not reused.
FEED_SCHEMA = "4"


def feed_kinds(status: str | None) -> tuple[str, ...]:
    """The revision kinds a feed reads: ``status`` is None or one of ``RULINGS``."""
    if status is None:
        return (Revision.Kind.STATUS, *REPLACEMENT_KINDS)
    if status == Claim.Status.SUPERSEDED:
        return REPLACEMENT_KINDS  # the status service never sets "superseded" itself
    return (Revision.Kind.STATUS,)


def feed_revisions_of_kind(kind: str, *, status: str | None = None, **scope) -> QuerySet[Revision]:
    """One kind of feed item on public claims, newest first; ``scope`` narrows by claim or
    story (``claim=…`` or ``claim__story=…``, values or ``OuterRef``)."""
    items = Revision.objects.filter(public_claim_q("claim__"), ruling_q(kind, status), **scope)
    return items.order_by("-created_at", "-id")


def ruling_q(kind: str, status: str | None = None) -> Q:
    """Revisions of ``kind`` that are rulings, with the new ``status`` when one is given."""
    if kind in REPLACEMENT_KINDS:
        # The replacing claim gets a revision of the same kind; only the replaced one counts.
        return Q(kind=kind, after__status=Claim.Status.SUPERSEDED)
    if status:
        return Q(kind=kind, after__status=status)
    return Q(kind=kind, after__status__in=VERDICTS)


@dataclass(frozen=True)
class FeedClaim:
    """What a feed entry shows of a claim."""

    pk: int
    text: str

    @property
    def slug(self) -> str:
        return claim_slug(self.text)


@dataclass(frozen=True)
class FeedItem:
    """One status change or supersession for a feed; ``replacement`` is the claim that
    replaced this one, when a reader may see it."""

    id: int
    claim_id: int
    number: int
    created_at: datetime
    old_status: str
    new_status: str
    rationale: str
    story_title: str
    claim: FeedClaim
    replacement: FeedClaim | None
    ruled_text: str = ""  # the claim's words when it was ruled: what the ruling rates
    ruled_text_revision: int | None = None  # the revision that wrote them
    redacted: bool = False  # a moderator redacted something of the claim's history


_CLAIM_COLUMNS = ("id", "text")
# A feed item is read as plain values: building a revision, its claim, story and replacement
# as models cost more than the rest of a feed's build.
_FEED_VALUES = (
    "id",
    "claim_id",
    "number",
    "created_at",
    "claim__story__title",
    "claim__superseded_by__is_hidden",
    *(f"claim__{name}" for name in _CLAIM_COLUMNS),
    *(f"claim__superseded_by__{name}" for name in _CLAIM_COLUMNS),
)
# The revision that wrote the words a ruling was given on: the claim's last revision with a
# text at or before the ruling (a later edit does not change what was rated).
_WORDS = (
    Revision.objects.filter(
        claim_id=OuterRef("claim_id"),
        number__lte=OuterRef("number"),
        kind__in=[Revision.Kind.CREATED, Revision.Kind.EDITED, Revision.Kind.MINOR_EDIT,
                  Revision.Kind.VALUE_FIXED],
        after__has_key="text",
    )
    .order_by("-number")
)  # fmt: skip
_FEED_JSON_VALUES = {
    "old_status": KT("before__status"),
    "new_status": KT("after__status"),
    "rationale": KT("after__rationale"),
    "ruled_text": Subquery(_WORDS.values(words=KT("after__text"))[:1]),
    "ruled_text_revision": Subquery(_WORDS.values("id")[:1]),
    # Redactions are rare: their parts are read only for the items whose claim has one.
    "redacted": Exists(
        Revision.objects.filter(kind=Revision.Kind.REDACTED, redacts__claim_id=OuterRef("claim_id"))
    ),
}


def feed_items(
    *, status: str | None = None, kinds: tuple[str, ...] | None = None, **scope
) -> list[FeedItem]:
    """The newest FEED_LIMIT items of a feed: one indexed query per kind, merged. ``kinds``
    narrows the read to the kinds the feed's freshness found items of."""
    items = [
        item
        for kind in feed_kinds(status)
        if kinds is None or kind in kinds
        for item in read_items(feed_revisions_of_kind(kind, status=status, **scope))
    ]
    items.sort(key=lambda item: (item.created_at, item.id), reverse=True)
    return _without_redacted_words(items[:FEED_LIMIT])


def figure_feed_items(figure, *, status: str | None = None) -> list[FeedItem]:
    """The newest rulings on a figure's public reports, every kind in one query: a figure
    has few reports, so there is no long index walk to keep short."""
    rulings = Q()
    for kind in feed_kinds(status):
        rulings |= ruling_q(kind, status)
    revisions = Revision.objects.filter(public_claim_q("claim__"), rulings, claim__figure=figure)
    return _without_redacted_words(read_items(revisions.order_by("-created_at", "-id")))


@dataclass(frozen=True)
class ReportItem:
    """A new report of a figure: who gave which value, in which claim, logged when."""

    claim: FeedClaim
    created_at: datetime
    status: str
    value: Decimal
    approximation: str
    value_high: Decimal | None
    source_name: str


def figure_report_items(figure) -> list[ReportItem]:
    """The figure's newest FEED_LIMIT public reports, newest first, each with the source of
    its first attribution (who made the report), in one query."""
    source = Subquery(
        Attribution.objects.filter(claim_id=OuterRef("pk"))
        .order_by(F("said_at").asc(nulls_last=True), "id")
        .values("source__name")[:1]
    )
    rows = (
        Claim.objects.filter(public_claim_q(), figure=figure)
        .annotate(source_name=source)
        .order_by("-created_at", "-id")
        .values_list("id", "text", "created_at", "status", "value", "approximation",
                     "value_high", "source_name")[:FEED_LIMIT]
    )  # fmt: skip
    return [
        ReportItem(FeedClaim(pk, text), created, status, value, approx, high, name or "")
        for pk, text, created, status, value, approx, high, name in rows
    ]


def read_items(revisions: QuerySet[Revision]) -> list[FeedItem]:
    """The first FEED_LIMIT of these revisions, as feed items."""
    rows = revisions.values(*_FEED_VALUES, **_FEED_JSON_VALUES)[:FEED_LIMIT]
    return [_feed_item(row) for row in rows]


def _without_redacted_words(items: list[FeedItem]) -> list[FeedItem]:
    """A rationale or ruled words a moderator redacted read as the redaction's notice."""
    redacted = [item for item in items if item.redacted]
    ids = {item.id for item in redacted} | {item.ruled_text_revision for item in redacted}
    redactions = redactions_of(pk for pk in ids if pk is not None)
    return [_masked(item, redactions) if item.id in ids else item for item in items]


def _masked(item: FeedItem, redactions: dict) -> FeedItem:
    own = redactions.get(item.id)
    if own is not None and "text" in own.parts:
        item = replace(item, rationale=own.notice)
    words = redactions.get(item.ruled_text_revision)
    if words is not None and item.ruled_text in words.words:
        item = replace(item, ruled_text=words.notice)
    return item


def _feed_claim(row: dict, prefix: str) -> FeedClaim:
    return FeedClaim(*(row[prefix + name] for name in _CLAIM_COLUMNS))


def _feed_item(row: dict) -> FeedItem:
    replaced_by = row["claim__superseded_by__id"]
    visible = replaced_by is not None and not row["claim__superseded_by__is_hidden"]
    return FeedItem(
        id=row["id"],
        claim_id=row["claim_id"],
        number=row["number"],
        created_at=row["created_at"],
        old_status=row["old_status"] or "",
        new_status=row["new_status"] or "",
        rationale=row["rationale"] or "",
        story_title=row["claim__story__title"],
        claim=_feed_claim(row, "claim__"),
        replacement=_feed_claim(row, "claim__superseded_by__") if visible else None,
        ruled_text=row["ruled_text"] or row["claim__text"],
        ruled_text_revision=row["ruled_text_revision"],
        redacted=row["redacted"],
    )


@dataclass(frozen=True)
class Freshness:
    """What a feed's content depends on: its newest item and the visibility of its claims.

    ``marks`` are the times the scope's claims or stories last changed (hiding, editing,
    making a story private…), so a change that removes or rewords an older item still
    changes the ETag, even when the newest item stays the same.
    """

    scope: str
    newest: tuple[tuple[datetime, int], ...]  # the newest item of each kind
    marks: tuple[datetime | None, ...]
    kinds: tuple[str, ...] = ()  # the kinds that have items (the others need no read)

    def etag(self, variant: str) -> str:
        raw = "|".join([FEED_SCHEMA, variant, self.scope, repr(self.newest), repr(self.marks)])
        return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'

    @property
    def newest_at(self) -> datetime | None:
        return max((at for at, _ in self.newest), default=None)

    @property
    def last_modified(self) -> datetime | None:
        times = [t for t in (self.newest_at, *self.marks) if t is not None]
        return max(times, default=None)


def _newest_columns(status: str | None, aggregate: bool = False, **scope) -> dict:
    """Scalar subqueries for the newest item of each kind: its created_at and id."""
    columns = {}
    for kind in feed_kinds(status):
        items = feed_revisions_of_kind(kind, status=status, **scope)
        for column in ("created_at", "id"):
            subquery = Subquery(items.values(column)[:1])
            columns[f"newest_{kind}_{column}"] = Max(subquery) if aggregate else subquery
    return columns


def _freshness(scope: str, row: dict, status: str | None, marks: tuple) -> Freshness:
    kinds = tuple(kind for kind in feed_kinds(status) if row[f"newest_{kind}_id"] is not None)
    newest = tuple((row[f"newest_{kind}_created_at"], row[f"newest_{kind}_id"]) for kind in kinds)
    return Freshness(scope, newest, marks, kinds)


def _latest_claim_change(claims: QuerySet[Claim]) -> Subquery:
    return Subquery(claims.order_by("-changed_at", "-id").values("changed_at")[:1])


# The freshness query runs on every feed request (a 304 is that query and nothing else), so
# it runs as a prepared statement (claims.lib.prepared), with a placeholder where the scope's
# slug or claim id goes.
_SLUG_PLACEHOLDER = "\x00feed-scope-slug\x00"
_CLAIM_PLACEHOLDER = -918_273_645  # inside the id column's range, so Django keeps the filter


def _run_freshness(shape: tuple, build: Callable[[object], QuerySet], value=None) -> dict | None:
    """Run the freshness query of ``shape`` for ``value`` (a slug, a claim id or None)."""
    placeholder = _SLUG_PLACEHOLDER if shape[0] == "story" else _CLAIM_PLACEHOLDER
    return run_prepared(shape, build, placeholder, value)


def _freshness_all_query(status: str | None) -> QuerySet:
    return (
        Story.objects.order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(
            **_newest_columns(status, aggregate=True),
            stories_changed=Max("updated_at"),
            claims_changed=Max(_latest_claim_change(claims_of_public_stories())),
        )
        .values(*_newest_names(status), "stories_changed", "claims_changed")
    )


def _newest_names(status: str | None) -> list[str]:
    return [f"newest_{kind}_{c}" for kind in feed_kinds(status) for c in ("created_at", "id")]


def feed_freshness_all(*, status: str | None = None) -> Freshness:
    """One query: the newest items of the whole feed, and when any story or public claim
    last changed (a story made private or a claim hidden must change the ETag)."""
    row = _run_freshness(("all", status), lambda _: _freshness_all_query(status))
    return _freshness("all", row, status, (row["stories_changed"], row["claims_changed"]))


def _freshness_story_query(slug: str, status: str | None) -> QuerySet:
    newest = _newest_columns(status, claim__story=OuterRef("pk"))
    return (
        public_stories()
        .filter(slug=slug)
        .annotate(
            **newest,
            claims_changed=_latest_claim_change(Claim.objects.filter(story=OuterRef("pk"))),
        )
        .values("id", "updated_at", "claims_changed", *newest)[:1]
    )


def feed_freshness_story(*, slug: str, status: str | None = None) -> Freshness:
    """One query that also answers 404 for a missing or private story."""
    row = _run_freshness(
        ("story", status), lambda placeholder: _freshness_story_query(placeholder, status), slug
    )
    if row is None:
        raise Http404("No such story.")
    marks = (row["updated_at"], row["claims_changed"])
    return _freshness(f"story:{row['id']}", row, status, marks)


def _freshness_claim_query(claim_id: int, status: str | None) -> QuerySet:
    newest = _newest_columns(status, claim=OuterRef("pk"))
    return (
        public_claims()
        .filter(pk=claim_id)
        .annotate(
            **newest,
            story_changed=F("story__updated_at"),
            replacement_changed=F("superseded_by__changed_at"),
        )
        .values("id", "changed_at", "story_changed", "replacement_changed", *newest)[:1]
    )


def feed_freshness_claim(*, claim_id: int, status: str | None = None) -> Freshness:
    """One query that also answers 404 for a missing, hidden or private claim."""
    if not 0 < claim_id <= MAX_ID:  # the raw query takes no id a database column can't hold
        raise Http404("No such claim.")
    row = _run_freshness(
        ("claim", status),
        lambda placeholder: _freshness_claim_query(placeholder, status),
        claim_id,
    )
    if row is None:
        raise Http404("No such claim.")
    marks = (row["changed_at"], row["story_changed"], row["replacement_changed"])
    return _freshness(f"claim:{row['id']}", row, status, marks)
