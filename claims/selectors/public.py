"""Reads for the public pages: the story index and a story's claims a page at a time, with
what their cache keys need, a claim's attributions and evidence, its corrections trail, and
what a ClaimReview needs.

What a reader may see is decided in ``claims.access`` (``public_*``); everything here reads
only claims reached through it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from claims import access
from claims.lib.keyset import KeysetPage, Position, keyset_page
from claims.models import VERDICTS, Attribution, Claim, Evidence, Revision, Story
from claims.selectors.desk import source_renames
from claims.selectors.diffs import Change, revision_changes
from claims.selectors.redactions import hidden_words, mask, redactions_of

REPLACEMENT_KINDS = (Revision.Kind.SUPERSEDED, Revision.Kind.MERGED)
STORY_PAGE_SIZE = 50
INDEX_PAGE_SIZE = 50


# Story index and story pages, newest first ----------------------------------------------


def index_marks() -> tuple:
    """When any story last changed, and how many there are: private ones count, since
    publishing a story or taking it off the site changes the index."""
    marks = Story.objects.aggregate(changed=Max("updated_at"), stories=Count("id"))
    return marks["changed"], marks["stories"]


def index_position(*, after: str, before: str) -> Position:
    return Position.read(after=after, before=before, scope="public-story-index")


def index_page(position: Position) -> KeysetPage:
    """A page of public stories, newest first."""
    stories = access.public_stories()
    return keyset_page(stories, position, limit=INDEX_PAGE_SIZE, time_field="created_at")


def public_story_with_marks(slug: str) -> Story:
    """The public story of this slug, or the same 404 as ``access_public_story_by_slug``,
    read with the time and id of the newest change to any of its claims (``claims_changed_at``,
    ``claims_changed_id``): hidden claims count, since hiding one drops it from the page."""
    newest = Claim.objects.filter(story=OuterRef("pk")).order_by("-changed_at", "-id")
    story = (
        access.public_stories()
        .filter(slug=slug)
        .annotate(
            claims_changed_at=Subquery(newest.values("changed_at")[:1]),
            claims_changed_id=Subquery(newest.values("id")[:1]),
        )
        .first()
    )
    if story is None:
        raise Http404("No such story.")
    return story


def story_position(story: Story, *, after: str, before: str) -> Position:
    """Where a page of the story's claims starts; a cursor of another story's reads as none."""
    return Position.read(after=after, before=before, scope=f"public-story:{story.pk}")


def story_page(story: Story, position: Position) -> KeysetPage:
    """A page of the story's visible claims, newest change first."""
    return keyset_page(access.public_story_claims(story), position, limit=STORY_PAGE_SIZE)


def public_attributions(claim: Claim) -> list[Attribution]:
    rows = access.published_with_ruling(claim, claim.attributions.select_related("source"))
    return sort_attributions(rows)


def sort_attributions(rows) -> list[Attribution]:
    # Undated attributions last on every database (SQLite and PostgreSQL sort NULL apart).
    return sorted(rows, key=lambda a: (a.said_at is None, a.said_at or 0, a.pk))


def public_evidence(claim: Claim) -> list[Evidence]:
    rows = claim.evidence.select_related("source").order_by("created_at", "id")
    return access.published_with_ruling(claim, rows)


# Corrections trail ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrailEntry:
    number: int
    kind: str
    created_at: datetime
    changes: list[Change] = field(default_factory=list)


def trail_revisions() -> QuerySet[Revision]:
    return Revision.objects.filter(kind__in=access.PUBLIC_REVISION_KINDS).order_by("number")


def public_trail(claim: Claim, *, sources: set[int]) -> list[TrailEntry]:
    """The claim's public revisions, and the renames of the ``sources`` it shows readers
    (its published attributions' and evidence's), oldest first."""
    entries = trail_entries(trail_revisions().filter(claim=claim))
    renames = [
        TrailEntry(0, SOURCE_RENAMED, rename.created_at, [_rename_change(rename)])
        for rename in (source_renames(claim=claim, sources=sources) if sources else [])
    ]
    return sorted(entries + renames, key=lambda entry: entry.created_at)


def trail_entries(revisions) -> list[TrailEntry]:
    """Public revisions, oldest first, with only reader-safe fields (never notes or actors);
    words a moderator redacted read as the redaction's notice."""
    revisions = list(revisions)
    words, notice = hidden_words(redactions_of(revision.pk for revision in revisions))
    entries = []
    for revision in revisions:
        changes = revision_changes(revision.before, revision.after, public=True)
        if revision.kind == Revision.Kind.CREATED:
            # A new claim has no "before"; only the fields it was logged with are news.
            changes = [c for c in changes if c.after != "—"]
        if changes:
            changes = mask(changes, words, notice)
            entries.append(TrailEntry(revision.number, revision.kind, revision.created_at, changes))
    return entries


SOURCE_RENAMED = "source_renamed"


def _rename_change(rename) -> Change:
    return Change("source", "Source", rename.before["name"], rename.after["name"])


def public_story_reviewable(story: Story, statuses) -> QuerySet[Claim]:
    """A story's visible claims in the given statuses, with what a ClaimReview needs."""
    return (
        access.public_story_claims(story)
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
