"""Reads for the public pages: a story's claims, a claim's attributions and evidence, its
corrections trail, and what a ClaimReview needs.

What a reader may see is decided in ``claims.access`` (``public_*``); everything here reads
only claims reached through it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from claims import access
from claims.models import VERDICTS, Attribution, Claim, Evidence, Revision, Story
from claims.selectors.diffs import Change, revision_changes

REPLACEMENT_KINDS = (Revision.Kind.SUPERSEDED, Revision.Kind.MERGED)


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
    return Revision.objects.filter(kind__in=access.PUBLIC_REVISION_KINDS).order_by("number")


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
