"""What an anonymous reader may see: the one place that decides public visibility.

A claim is public when its story is public and it is not hidden by moderation. Everything
public (pages, feeds, JSON-LD, the ClaimReview export) reads through these functions, and a
missing object and a non-public one raise the same ``Http404``.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import psycopg
from django.db import connection
from django.db.models import F, Max, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims.diffs import Change, revision_changes
from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    Revision,
    Story,
    claim_slug,
    describe_quantity,
)

FEED_LIMIT = 50
# Bump when the feed's shape changes, so caches and ETags from older code are not reused.
FEED_SCHEMA = "3"
REPLACEMENT_KINDS = (Revision.Kind.SUPERSEDED, Revision.Kind.MERGED)
# Revisions a reader may see in the corrections trail (hidden, assigned… are desk-only).
TRAIL_KINDS = (
    Revision.Kind.CREATED,
    Revision.Kind.EDITED,
    Revision.Kind.STATUS,
    *REPLACEMENT_KINDS,
)


def public_stories() -> QuerySet[Story]:
    return Story.objects.filter(is_public=True)


def public_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(story__is_public=True, is_hidden=False).for_display()


def public_story_get(*, slug: str) -> Story:
    story = public_stories().filter(slug=slug).first()
    if story is None:
        raise Http404("No such story.")
    return story


# The largest id a bigint primary key holds.
MAX_ID = 2**63 - 1


def public_claim_get(*, claim_id: int) -> Claim:
    claim = (
        public_claims()
        .select_related("story", "superseded_by")
        .for_display("superseded_by")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise Http404("No such claim.")
    return claim


def public_story_claims(story: Story) -> QuerySet[Claim]:
    return story.claims.filter(is_hidden=False).for_display().order_by("-changed_at", "-id")


def public_replacement(claim: Claim) -> Claim | None:
    """The claim that replaced this one, when a reader may see it."""
    replacement = claim.superseded_by
    if replacement is None or replacement.is_hidden:
        return None
    return replacement


def public_replaced(claim: Claim) -> list[Claim]:
    return list(claim.supersedes.filter(is_hidden=False).for_display().order_by("id"))


def public_attributions(claim: Claim) -> list[Attribution]:
    return sort_attributions(claim.attributions.select_related("source"))


def sort_attributions(rows) -> list[Attribution]:
    # Undated attributions last on every database (SQLite and PostgreSQL sort NULL apart).
    return sorted(rows, key=lambda a: (a.said_at is None, a.said_at or 0, a.pk))


def public_evidence(claim: Claim) -> list[Evidence]:
    return list(claim.evidence.select_related("source").order_by("created_at", "id"))


# Corrections trail ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrailEntry:
    number: int
    kind: str
    created_at: datetime
    changes: list[Change] = field(default_factory=list)


def trail_revisions() -> QuerySet[Revision]:
    return Revision.objects.filter(kind__in=TRAIL_KINDS).order_by("number")


def public_trail(claim: Claim) -> list[TrailEntry]:
    return trail_entries(trail_revisions().filter(claim=claim))


def trail_entries(revisions) -> list[TrailEntry]:
    """Public revisions, oldest first, with only reader-safe fields (never notes or actors)."""
    entries = []
    for revision in revisions:
        changes = revision_changes(revision.before, revision.after, public=True)
        if revision.kind == Revision.Kind.CREATED:
            # A new claim has no "before"; only the fields it was logged with are news.
            changes = [c for c in changes if c.after != "—"]
        if changes:
            entries.append(TrailEntry(revision.number, revision.kind, revision.created_at, changes))
    return entries


def public_story_reviewable(story: Story, statuses) -> QuerySet[Claim]:
    """A story's visible claims in the given statuses, with what a ClaimReview needs."""
    return (
        public_story_claims(story)
        .filter(status__in=list(statuses))
        .select_related("story")
        .prefetch_related(
            Prefetch("attributions", queryset=Attribution.objects.select_related("source")),
            Prefetch("revisions", queryset=trail_revisions()),
        )
        .order_by("id")
    )


def review_dates(trail: list[TrailEntry]) -> tuple[datetime | None, datetime | None]:
    """When the desk first ruled on the claim, and when its public record last changed."""
    ruled = [
        e.created_at
        for e in trail
        if e.kind == Revision.Kind.STATUS
        and any(c.field == "status" and c.after in _verdict_labels() for c in e.changes)
    ]
    first_ruled = min(ruled) if ruled else None
    modified = max((e.created_at for e in trail), default=None)
    return first_ruled, modified


def _verdict_labels() -> set[str]:
    return {Claim.Status(v).label for v in VERDICTS}


# Feeds ------------------------------------------------------------------------------------
#
# Feed items are status revisions plus the supersession/merge revision written on the
# replaced claim. Each kind is read on its own, newest first, so every read walks
# ``revision_kind_time_idx`` (kind, -created_at, -id) backwards and stops early, instead of
# scanning every revision for an OR across kinds.


def feed_kinds(status: str | None) -> tuple[str, ...]:
    if status is None:
        return (Revision.Kind.STATUS, *REPLACEMENT_KINDS)
    if status == Claim.Status.SUPERSEDED:
        return REPLACEMENT_KINDS  # the status service never sets "superseded" itself
    return (Revision.Kind.STATUS,)


def feed_revisions_of_kind(kind: str, *, status: str | None = None, **scope) -> QuerySet[Revision]:
    """One kind of feed item on public claims, newest first; ``scope`` narrows by claim or
    story (``claim=…`` or ``claim__story=…``, values or ``OuterRef``)."""
    items = Revision.objects.filter(
        kind=kind, claim__is_hidden=False, claim__story__is_public=True, **scope
    )
    if kind in REPLACEMENT_KINDS:
        # The replacing claim gets a revision of the same kind; only the replaced one counts.
        items = items.filter(after__status=Claim.Status.SUPERSEDED)
    if status:
        items = items.filter(after__status=status)
    return items.order_by("-created_at", "-id")


@dataclass(frozen=True)
class FeedClaim:
    """What a feed entry shows of a claim."""

    pk: int
    text: str
    quantity_subject: str
    quantity_value: Decimal | None
    quantity_unit: str

    @property
    def slug(self) -> str:
        return claim_slug(self.text)

    @property
    def quantity_display(self) -> str:
        return describe_quantity(self.quantity_subject, self.quantity_value, self.quantity_unit)


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


_CLAIM_COLUMNS = ("id", "text", "quantity_subject", "quantity_value", "quantity_unit")
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
_FEED_JSON_VALUES = {
    "old_status": KT("before__status"),
    "new_status": KT("after__status"),
    "rationale": KT("after__rationale"),
}


def feed_items(
    *, status: str | None = None, kinds: tuple[str, ...] | None = None, **scope
) -> list[FeedItem]:
    """The newest FEED_LIMIT items of a feed: one indexed query per kind, merged. ``kinds``
    narrows the read to the kinds the feed's freshness found items of."""
    items = [
        _feed_item(row)
        for kind in feed_kinds(status)
        if kinds is None or kind in kinds
        for row in feed_revisions_of_kind(kind, status=status, **scope).values(
            *_FEED_VALUES, **_FEED_JSON_VALUES
        )[:FEED_LIMIT]
    ]
    items.sort(key=lambda item: (item.created_at, item.id), reverse=True)
    return items[:FEED_LIMIT]


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


# The freshness query runs on every feed request (a 304 is that query and nothing else).
# Its nested subqueries take Django far longer to build and compile than PostgreSQL takes to
# run them, and PostgreSQL takes longer to plan them than to run them. Their shape depends
# only on the scope and the status filter, so each shape is compiled once per process, with a
# placeholder where the scope's slug or claim id goes; on PostgreSQL it is also prepared once
# per connection, with every other value written into the SQL, so the generic plan it keeps
# is the plan for that very status (the slug or id is an equality on a unique key).
_SLUG_PLACEHOLDER = "\x00feed-scope-slug\x00"
_CLAIM_PLACEHOLDER = -918_273_645  # inside the id column's range, so Django keeps the filter
_compiled_freshness: dict[tuple, tuple[str, list, object]] = {}


def _run_freshness(shape: tuple, build: Callable[[object], QuerySet], value=None) -> dict | None:
    """Run the freshness query of ``shape`` for ``value`` (a slug, a claim id or None)."""
    key = (connection.vendor, *shape)
    if key not in _compiled_freshness:
        placeholder = shape[0] == "story" and _SLUG_PLACEHOLDER or _CLAIM_PLACEHOLDER
        sql, params = build(placeholder).query.sql_with_params()
        if connection.vendor == "postgresql":
            sql, params = _inline_constants(sql, params, placeholder)
        _compiled_freshness[key] = (sql, list(params), placeholder)
    sql, params, placeholder = _compiled_freshness[key]
    params = [value if _is_placeholder(p, placeholder) else p for p in params]
    with _freshness_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return None if row is None else {name: _db_value(v) for name, v in zip(names, row, strict=True)}


def _inline_constants(sql: str, params, placeholder) -> tuple[str, list]:
    """Write every parameter but the placeholder into the SQL as a literal."""
    parts, kept, values = re.split(r"(%%|%s)", sql), [], iter(params)
    for index, part in enumerate(parts):
        if part != "%s":
            continue
        param = next(values)
        if _is_placeholder(param, placeholder):
            kept.append(param)
        else:
            parts[index] = connection.ops.compose_sql("%s", [param]).replace("%", "%%")
    return "".join(parts), kept


_NEVER = 2**62


class _PreparingCursor(psycopg.Cursor):
    """Prepares its statement on the server once per connection (Django turns preparing off
    for connection poolers' sake; this one statement, run on every feed request, is worth it).
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        super().execute(query, params, prepare=True, binary=binary)
        if self._query is None:
            # A prepared run leaves no query text behind, and Django's query log (query
            # counts in tests, the benchmark's plans) reads the text from here.
            self._query = _QueryText(query, params)
        return self


@dataclass(frozen=True)
class _QueryText:
    sql: str
    params: list

    @property
    def query(self) -> bytes:  # composed only when something logs it
        return connection.ops.compose_sql(self.sql, self.params).encode()


def _freshness_cursor():
    """A preparing cursor on PostgreSQL, wrapped (and logged) like any other Django cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # None turns every prepare off, even an explicit one. A threshold no statement
        # reaches keeps Django's other queries unprepared and lets this cursor prepare.
        connection.connection.prepare_threshold = _NEVER
    raw = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _is_placeholder(param, placeholder) -> bool:
    return type(param) is type(placeholder) and param == placeholder


def _db_value(value):
    # SQLite hands back computed timestamps as text; PostgreSQL as aware datetimes.
    if isinstance(value, str) and (parsed := parse_datetime(value)) is not None:
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
    return value


def _freshness_all_query(status: str | None) -> QuerySet:
    return (
        Story.objects.order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(
            **_newest_columns(status, aggregate=True),
            stories_changed=Max("updated_at"),
            claims_changed=Max(_latest_claim_change(Claim.objects.filter(story__is_public=True))),
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
