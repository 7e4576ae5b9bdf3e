"""Reads for the desk: the queue, one claim, search, counts, stories and sources.

Visibility is decided here and only here: every desk user sees every story, public or
private; hidden claims are seen only by those who may hide them. A claim that does not exist
and one the user may not see raise the same 404.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils.dateparse import parse_datetime

from claims.diffs import Change, revision_changes
from claims.models import Attribution, Claim, Evidence, Note, Revision, StatusCount, Story
from claims.permissions import Action, can
from sources.models import Source

PAGE_SIZE = 25
# Searches rank this many of the newest matching claims.
SEARCH_WINDOW = 500
DESK_ROLES = ("reporter", "editor", "moderator")
# Words too common to say two claims are alike.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with not".split()
)


def is_desk_user(user) -> bool:
    """Reporters, editors, moderators and superusers: whoever may view claims."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm("claims.view_claim")
    )


def sees_hidden(user) -> bool:
    return can(user, Action.HIDE)


def _visible_claims(user) -> QuerySet[Claim]:
    if not is_desk_user(user):
        return Claim.objects.none()
    claims = Claim.objects.all()
    return claims if sees_hidden(user) else claims.filter(is_hidden=False)


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


# The queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in the queue: the last row's (changed_at, id), and its rank when searching."""

    changed_at: datetime
    id: int
    rank: float | None = None

    def encode(self) -> str:
        head = f"{self.rank!r}_" if self.rank is not None else ""
        return f"{head}{self.changed_at.isoformat()}_{self.id}"

    @classmethod
    def decode(cls, raw: str, *, ranked: bool) -> "Cursor | None":
        """A cursor from the URL, or None when it is malformed (the queue starts over)."""
        parts = (raw or "").split("_")
        try:
            rank = float(parts.pop(0)) if ranked else None
            claim_id = int(parts.pop())
            changed_at = parse_datetime("_".join(parts))
        except (IndexError, ValueError):
            return None
        if changed_at is None or changed_at.tzinfo is None or claim_id < 1:
            return None
        return cls(changed_at=changed_at, id=claim_id, rank=rank)


@dataclass
class QueueFilters:
    q: str = ""
    status: str = ""
    story: Story | None = None
    assignee: object = None
    source: Source | None = None
    no_evidence: bool = False
    mine: bool = False
    hidden: bool = False


@dataclass
class QueuePage:
    rows: list  # named tuples: see _row_keys
    next_cursor: str = ""
    previous_cursor: str = ""
    is_first: bool = True
    ranked: bool = False


def claim_queue(
    *,
    user,
    filters: QueueFilters,
    after: str = "",
    before: str = "",
    limit: int = PAGE_SIZE,
) -> QueuePage:
    """One page of the queue, newest change first (most relevant first when searching).

    Keyset paging: ``after`` is the last row of the page before, ``before`` the first row of
    the page after, so any page costs the same as the first.
    """
    claims, ranked = _queue_queryset(user, filters)
    keys = ["rank", "changed_at", "id"] if ranked else ["changed_at", "id"]
    backwards = bool(before) and not after
    cursor = Cursor.decode(before if backwards else after, ranked=ranked)
    if cursor is not None:
        claims = claims.filter(_beyond(cursor, keys, backwards=backwards))
    ordering = [f"{'' if backwards else '-'}{key}" for key in keys]
    rows = list(_row_keys(claims.order_by(*ordering), ranked)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    page = QueuePage(rows=rows, ranked=ranked, is_first=cursor is None or (backwards and not more))
    if rows and (more or backwards):
        page.next_cursor = _cursor_of(rows[-1], ranked).encode()
    if rows and not page.is_first:
        page.previous_cursor = _cursor_of(rows[0], ranked).encode()
    return page


def _cursor_of(row, ranked: bool) -> Cursor:
    return Cursor(row.changed_at, row.id, row.rank if ranked else None)


def _beyond(cursor: Cursor, keys: list[str], *, backwards: bool):
    """Rows strictly past the cursor in the queue's order (or before it, going back)."""
    if keys == ["changed_at", "id"]:
        # A row comparison is one index condition on (changed_at, id): no OR, no sort.
        op = ">" if backwards else "<"
        changed_at = connection.ops.adapt_datetimefield_value(cursor.changed_at)
        return RawSQL(
            f'("claims_claim"."changed_at", "claims_claim"."id") {op} (%s, %s)',
            (changed_at, cursor.id),
            output_field=BooleanField(),
        )
    op = "gt" if backwards else "lt"
    values = {"rank": cursor.rank, "changed_at": cursor.changed_at, "id": cursor.id}
    condition = Q()
    for depth, key in enumerate(keys):
        equal = {k: values[k] for k in keys[:depth]}
        condition |= Q(**equal, **{f"{key}__{op}": values[key]})
    return condition


def _row_keys(claims: QuerySet[Claim], ranked: bool) -> QuerySet:
    """A page reads only what names each row's cached rendering and places the cursor, as
    named tuples (``id``, ``version``, ``changed_at``, ``story__updated_at`` and, searching,
    ``rank``); the rows whose rendering is not cached are loaded whole by
    queue_rows_to_render."""
    fields = ["id", "version", "changed_at", "story__updated_at", *(["rank"] if ranked else [])]
    return claims.values_list(*fields, named=True)


def queue_rows_to_render(ids: list[int]) -> list[Claim]:
    """The claims behind these queue rows with all a row shows (three queries at most)."""
    sources = Attribution.objects.select_related("source").order_by("said_at", "id")
    claims = list(
        Claim.objects.select_related("story", "assignee").for_display().filter(pk__in=ids)
    )
    prefetch_related_objects(claims, Prefetch("attributions", queryset=sources))
    return claims


def _queue_queryset(user, filters: QueueFilters) -> tuple[QuerySet[Claim], bool]:
    claims = _visible_claims(user)
    if filters.hidden and sees_hidden(user):
        claims = claims.filter(is_hidden=True)
    else:
        claims = claims.filter(is_hidden=False)
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.story is not None:
        claims = claims.filter(story=filters.story)
    if filters.mine:
        claims = claims.filter(assignee=user)
    elif filters.assignee is not None:
        claims = claims.filter(assignee=filters.assignee)
    if filters.source is not None:
        attributed = Attribution.objects.filter(claim=OuterRef("pk"), source=filters.source)
        claims = claims.filter(Exists(attributed))
    if filters.no_evidence:
        claims = claims.filter(evidence_count=0)
    if filters.q.strip():
        return _search(claims, filters.q.strip())
    return claims, False


def _search(claims: QuerySet[Claim], q: str) -> tuple[QuerySet[Claim], bool]:
    """Full-text search over text, quotes and source names, most relevant first.

    PostgreSQL ranks the SEARCH_WINDOW newest matches by relevance. A rare word is found
    through the GIN index on the stored search_vector; a common one by walking the queue's
    (changed_at, id) index and testing each stored vector, which stops after the window is
    full, so a word in a third of all claims costs about as much as a rare one. SQLite has
    no stemming: every word must appear in the document, and the order stays newest first.
    """
    if _uses_postgres():
        query = SearchQuery(q, search_type="websearch", config="english")
        newest = (
            claims.filter(search_vector=query)
            .order_by("-changed_at", "-id")
            .values("pk")[:SEARCH_WINDOW]
        )
        # = ANY(ARRAY(…)) fetches the window's rows by primary key; a plain IN (subquery)
        # lets the planner hash-join against a scan of the whole table instead.
        window_sql, window_params = newest.query.sql_with_params()
        in_window = RawSQL(
            f'"claims_claim"."id" = ANY(ARRAY({window_sql}))',
            window_params,
            output_field=BooleanField(),
        )
        ranked = Claim.objects.filter(in_window).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        return ranked, True
    for word in _words(q):
        claims = claims.filter(search_document__icontains=word)
    return claims, False


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]


def queue_counts(*, story: Story | None = None) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, from the counts the services keep."""
    counts = StatusCount.objects.all()
    if story is not None:
        counts = counts.filter(story=story)
    totals = dict(counts.values_list("status").annotate(total=Sum("count")).order_by())
    return [(value, label, totals.get(value, 0)) for value, label in Claim.Status.choices]


RECENT_FILTER_CHOICES = 40
FILTER_CHOICES_SECONDS = 60


def queue_filter_choices() -> tuple[list, list, list]:
    """The queue's assignee, recent-story and recent-source choices, shared by every request
    for a minute: a new story or source joins the lists within FILTER_CHOICES_SECONDS."""
    cached = cache.get("queue-filter-choices")
    if cached is not None:
        return cached
    recent = Attribution.objects.order_by("-id").values("source_id")[:300]
    stories = Story.objects.order_by("-created_at").values_list("slug", "title")
    sources = Source.objects.filter(pk__in=recent).order_by("name").values_list("pk", "name")
    choices = (
        list(desk_users().values_list("pk", "username")),
        list(stories[:RECENT_FILTER_CHOICES]),
        list(sources)[: RECENT_FILTER_CHOICES * 2],
    )
    cache.set("queue-filter-choices", choices, FILTER_CHOICES_SECONDS)
    return choices


def desk_users() -> QuerySet:
    User = get_user_model()
    return (
        User.objects.filter(Q(groups__name__in=DESK_ROLES) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


# One claim ---------------------------------------------------------------------------------


def claim_get_for_user(*, user, claim_id) -> Claim:
    """The claim if this user may see it; otherwise 404, whether missing or forbidden."""
    claims = (
        _visible_claims(user)
        .select_related("story", "assignee", "created_by", "superseded_by")
        .for_display("superseded_by")
    )
    try:
        return claims.get(pk=claim_id)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None


@dataclass
class TimelineEntry:
    revision: Revision
    changes: list[Change] = field(default_factory=list)


def claim_timeline(*, claim: Claim) -> list[TimelineEntry]:
    """Every revision, newest first, with a readable diff of what it changed."""
    revisions = Revision.objects.filter(claim=claim).select_related("actor").order_by("-number")
    return [TimelineEntry(r, _readable_changes(r)) for r in revisions]


def _readable_changes(revision: Revision) -> list[Change]:
    changes = revision_changes(revision.before, revision.after)
    if revision.kind == Revision.Kind.CREATED:
        # A new claim has no "before": list only the fields it was created with.
        return [change for change in changes if change.after != "—"]
    return changes


def claim_evidence_by_stance(*, claim: Claim) -> list[tuple[str, list[Evidence]]]:
    evidence = Evidence.objects.filter(claim=claim).select_related("source").for_display()
    by_stance = {stance: [] for stance in Evidence.Stance.values}
    for item in evidence:
        by_stance[item.stance].append(item)
    return [(label, by_stance[value]) for value, label in Evidence.Stance.choices]


def claim_attributions(*, claim: Claim) -> list[Attribution]:
    return list(Attribution.objects.filter(claim=claim).select_related("source"))


def claim_replaces(*, user, claim: Claim) -> list[Claim]:
    """The claims this one replaced (57 replaced 63), as far as the user may see them."""
    return list(_visible_claims(user).filter(superseded_by=claim).for_display().order_by("id"))


def claim_notes(*, claim: Claim) -> list[Note]:
    return list(Note.objects.filter(claim=claim).select_related("author"))


def similar_claims(
    *, user, story: Story, text: str, exclude_id: int | None = None, limit: int = 6
) -> list[Claim]:
    """Claims in the story that read like ``text``: near-duplicates or replacements.

    PostgreSQL ranks by trigram word similarity (pg_trgm, indexed); SQLite counts the
    words the two share.
    """
    # NUL cannot be sent to PostgreSQL, and a typed search should never fail over it.
    text = text.replace("\x00", " ").strip()[:500]
    if len(_words(text)) == 0:
        return []
    claims = _visible_claims(user).filter(story=story).select_related("story")
    if exclude_id is not None:
        claims = claims.exclude(pk=exclude_id)
    if text.isascii() and text.isdigit():  # "²".isdigit() is true, but int("²") fails
        by_number = list(claims.filter(pk=int(text))[:1])
        if by_number:
            return by_number
    if _uses_postgres():
        similarity = Greatest(
            TrigramWordSimilarity(Value(text), "text"), TrigramWordSimilarity("text", Value(text))
        )
        matches = claims.filter(
            Q(text__trigram_word_similar=text) | Q(text__trigram_similar=text)
        ).annotate(similarity=similarity)
        return list(matches.order_by("-similarity", "-id")[:limit])
    return _similar_by_words(claims, text, limit)


def _similar_by_words(claims: QuerySet[Claim], text: str, limit: int) -> list[Claim]:
    wanted = set(_words(text))
    scored = []
    for claim in claims.order_by("-changed_at", "-id")[:500]:
        shared = wanted & set(_words(claim.text))
        score = len(shared) / max(len(wanted), 1)
        if shared and score >= 0.3:
            scored.append((score, claim.pk, claim))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [claim for _, _, claim in scored[:limit]]


# Stories and sources -------------------------------------------------------------------------


def story_get_for_user(*, user, slug: str) -> Story:
    story = Story.objects.filter(slug=slug).first() if is_desk_user(user) else None
    if story is None:
        raise Http404("No such story.")
    return story


STORY_CLAIM_LIMIT = 300


def story_claims_by_status(*, user, story: Story) -> list[tuple[str, str, list[Claim]]]:
    """The story's latest claims grouped by status, in the order of the status list."""
    claims = (
        _visible_claims(user)
        .filter(story=story, is_hidden=False)
        .select_related("assignee")
        .order_by("-changed_at", "-id")[:STORY_CLAIM_LIMIT]
    )
    by_status = {value: [] for value in Claim.Status.values}
    for claim in claims:
        by_status[claim.status].append(claim)
    return [(value, label, by_status[value]) for value, label in Claim.Status.choices]


def story_status_events(*, story: Story) -> list[tuple[datetime, int, str]]:
    """(time, claim id, new status) for each claim's creation and each ruling, oldest first."""
    kinds = [
        Revision.Kind.CREATED,
        Revision.Kind.STATUS,
        Revision.Kind.SUPERSEDED,
        Revision.Kind.MERGED,
    ]
    rows = (
        Revision.objects.filter(claim__story=story, claim__is_hidden=False, kind__in=kinds)
        .order_by("created_at", "id")
        .values_list("created_at", "claim_id", "kind", "after")
    )
    events = []
    # The replacing claim's own revision says only what it replaces: no status of its own.
    for created_at, claim_id, kind, after in rows:
        status = Claim.Status.UNVERIFIED if kind == Revision.Kind.CREATED else after.get("status")
        if status in Claim.Status.values:
            events.append((created_at, claim_id, status))
    return events


def source_get(*, user, source_id) -> Source:
    source = Source.objects.filter(pk=source_id).first() if is_desk_user(user) else None
    if source is None:
        raise Http404("No such source.")
    return source


SOURCE_ATTRIBUTION_LIMIT = 200


def source_attributions(*, user, source: Source) -> list[Attribution]:
    """What the source said, newest first, with each claim's ruling."""
    visible = _visible_claims(user).filter(is_hidden=False)
    return list(
        Attribution.objects.filter(source=source, claim__in=visible)
        .select_related("claim", "claim__story")
        .order_by(F("said_at").desc(nulls_last=True), "-id")[:SOURCE_ATTRIBUTION_LIMIT]
    )


def source_rulings(*, user, source: Source) -> list[tuple[str, str, int]]:
    """How many of the source's claims stand in each status."""
    attributed = Attribution.objects.filter(claim=OuterRef("pk"), source=source)
    claims = _visible_claims(user).filter(Exists(attributed), is_hidden=False)
    totals = {
        status: count
        for status, count in claims.values_list("status").annotate(n=Count("id")).order_by()
    }
    return [
        (value, label, totals[value]) for value, label in Claim.Status.choices if value in totals
    ]
