"""The review queue: keyset pages of the claims a user may see, filtered and searched, and
the per-status counts beside it.

Which claims a user sees comes from ``claims.access.visible_claims``.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL

from claims.access import desk_users, visible_claims
from claims.lib.keyset import Position, cursor_of, read_rows
from claims.models import Attribution, Claim, StatusCount, Story
from sources.models import Source

PAGE_SIZE = 25
# Searches rank this many of the newest matching claims.
SEARCH_WINDOW = 500
# Words too common to say two claims are alike.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with not".split()
)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def words(text: str) -> list[str]:
    """The words of a text that say what it is about, lower-cased."""
    return [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]


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
    position = Position.read(after=after, before=before, ranked=ranked)
    rows, more = read_rows(_row_keys(claims, ranked), keys, position, limit)
    backwards = position.backwards
    page = QueuePage(
        rows=rows, ranked=ranked, is_first=position.cursor is None or (backwards and not more)
    )
    if rows and (more or backwards):
        page.next_cursor = cursor_of(rows[-1], keys).encode()
    if rows and not page.is_first:
        page.previous_cursor = cursor_of(rows[0], keys).encode()
    return page


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
        Claim.objects.select_related("story", "assignee", "figure").for_display().filter(pk__in=ids)
    )
    prefetch_related_objects(claims, Prefetch("attributions", queryset=sources))
    return claims


def _queue_queryset(user, filters: QueueFilters) -> tuple[QuerySet[Claim], bool]:
    # Hidden claims are in the queue only when asked for, and only for those who see them.
    claims = visible_claims(user).filter(is_hidden=filters.hidden)
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
    if uses_postgres():
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
    for word in words(q):
        claims = claims.filter(search_document__icontains=word)
    return claims, False


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


def chosen_filter_choices(*, story_slug: str, source_id: int | None) -> tuple[list, list]:
    """The (slug, title) of the story and the (id, name) of the source a filter names, for a
    select that lists only recent ones; empty for none, or for one that does not exist."""
    stories = Story.objects.filter(slug=story_slug).values_list("slug", "title")
    sources = Source.objects.filter(pk=source_id).values_list("pk", "name")
    return (
        list(stories) if story_slug else [],
        list(sources) if source_id is not None else [],
    )


def queue_changed_since(*, user, filters: QueueFilters, since) -> int:
    """How many of the claims the queue shows with these filters changed after ``since``."""
    claims, _ = _queue_queryset(user, filters)
    return claims.filter(changed_at__gt=since).count()
