"""The public event log: outbox events a reader may see, in id order, shaped for partners.

An event is public when its claim is public now (``access.public_claim_q``), or, for a
story's own event, when its story is public now. A status change is told only when it is a
ruling (``access.RULINGS``), as to webhook partners; evidence and moderation events are the
desk's own. The payload is rebuilt from public fields only, with redacted words masked.

Paging without gaps: ids are handed out when a row is inserted, not when it commits, so a
reader could see id 11 before id 10 commits. On PostgreSQL a page ends below the first id
that a transaction still writing to the outbox may hold (``_high_water``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from claims import access
from claims.models import OutboxEvent, Revision
from claims.models.redactions import hidden_words, redactions_of

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
SCAN_ROWS = 500  # events read per page, public or not, so the cursor moves past the others

Kind = OutboxEvent.Kind
PUBLIC_KINDS = (
    Kind.STATUS_CHANGED,
    Kind.SUPERSEDED,
    Kind.REOPENED,
    Kind.REDACTED,
    Kind.UNHIDDEN,
    Kind.EDITED,
    Kind.STORY_CHANGED,
)


@dataclass(frozen=True)
class EventPage:
    events: list[dict]
    next_after: int


def public_events_q() -> Q:
    claim_public = Q(claim__isnull=False) & access.public_claim_q("claim__")
    story_public = Q(claim__isnull=True, story__in=access.public_stories().values("pk"))
    not_ruling = Q(kind=Kind.STATUS_CHANGED) & ~Q(payload__new_status__in=list(access.RULINGS))
    return (claim_public | story_public) & Q(kind__in=PUBLIC_KINDS) & ~not_ruling


def public_events() -> QuerySet[OutboxEvent]:
    return (
        OutboxEvent.objects.filter(public_events_q())
        .select_related("claim", "story", "claim__story")
        .order_by("id")
    )


def events_after(after: int, *, limit: int = DEFAULT_LIMIT) -> EventPage:
    """Public events with an id above ``after``, oldest first, and the cursor to go on from:
    the last id read, public or not, so a page of only private events still moves on."""
    limit = max(1, min(limit, MAX_LIMIT))
    ceiling = _high_water(after)
    window = OutboxEvent.objects.filter(id__gt=after, id__lte=ceiling).order_by("id")
    scanned = list(window.values_list("id", flat=True)[:SCAN_ROWS])
    if not scanned:
        return EventPage([], after)
    rows = list(public_events().filter(id__gt=after, id__lte=scanned[-1])[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        next_after = rows[-1].pk
    else:
        next_after = scanned[-1]
    masks = _masks({row.claim_id for row in rows if row.claim_id is not None})
    return EventPage([public_event(row, masks=masks) for row in rows], next_after)


def _masks(claim_ids: set[int]) -> dict[int, tuple]:
    """Each claim's redacted words and their notice, in two queries for the whole page."""
    if not claim_ids:
        return {}
    owners = dict(Revision.objects.filter(claim_id__in=claim_ids).values_list("id", "claim_id"))
    by_claim: dict[int, dict] = {pk: {} for pk in claim_ids}
    for revision_id, redaction in redactions_of(owners).items():
        by_claim[owners[revision_id]][revision_id] = redaction
    return {pk: hidden_words(found) for pk, found in by_claim.items()}


def latest_event_id() -> int:
    return OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _high_water(after: int) -> int:
    """The highest id below which no event can still appear.

    On PostgreSQL, when another transaction holds a write lock on the outbox table, ids up to
    the sequence's last value may belong to it; the page then stops below the first id not
    yet visible. Elsewhere (SQLite writes one transaction at a time) there is no limit."""
    if connection.vendor != "postgresql":
        return access.MAX_ID
    table = OutboxEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = %s::regclass"
            " AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()),"
            " pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))",
            [table, table],
        )
        busy, last = cursor.fetchone()
    last = last or 0
    if not busy:
        return last
    ids = OutboxEvent.objects.filter(id__gt=after, id__lte=last).order_by("id")
    expected = after + 1
    for pk in ids.values_list("id", flat=True)[:SCAN_ROWS]:
        if pk != expected:
            break
        expected += 1
    return expected - 1


def event_type(kind: str) -> str:
    return "story.changed" if kind == Kind.STORY_CHANGED else f"claim.{kind}"


def public_event(event: OutboxEvent, *, masks: dict[int, tuple] | None = None) -> dict:
    """An event as the public log tells it: nothing but what the claim's page shows.
    ``masks`` holds the page's claims' redacted words (``_masks``)."""
    base = {
        "id": event.pk,
        "type": event_type(event.kind),
        "timestamp": event.created_at.isoformat(),
    }
    if event.claim is None:
        story = event.story
        base["data"] = {
            "story": story.slug,
            "title": story.title,
            "url": _absolute(reverse("public_story", args=[story.slug])),
        }
        return base
    claim, payload = event.claim, event.payload or {}
    masks = {} if masks is None else masks
    if claim.pk not in masks:
        masks[claim.pk] = hidden_words(redactions_of(claim=claim.pk))
    words, notice = masks[claim.pk]
    text = payload.get("text") or claim.text
    base["data"] = {
        "claim_id": claim.pk,
        "story": claim.story.slug,
        "url": _absolute(claim.get_public_url()),
        "status": payload.get("new_status") or claim.status,
        "text": notice if text in words else text,
    }
    return base


def _absolute(path: str) -> str:
    return settings.CLAIMDESK_SITE_URL.rstrip("/") + path
