"""The steps every change to a claim shares: lock the row, refuse a stale edit, bump the
version and write the revision, all in the caller's transaction.

A revision's number is the claim's version after the change, so numbers run 1, 2, 3…
without gaps.
"""

from django.db.models import F
from django.utils import timezone

from claims import outbox
from claims.models import Attribution, Claim, OutboxEvent, Revision, StatusCount
from claims.models.redactions import redactions_of
from claims.services.purges import record_claim_purge
from claims.validation import clean_version


class ConflictError(Exception):
    """The claim changed since the caller read it; nothing was written."""

    def __init__(self, *, claim: Claim, expected_version: int, last: Revision | None):
        self.claim = claim
        self.expected_version = expected_version
        self.last_revision = last
        what = last.get_kind_display().lower() if last else "changed"
        super().__init__(
            f"This claim was changed by {_who(last)} ({what}) since you opened it: you had version "
            f"{expected_version}, it is now at version {claim.version}. Review the changes "
            "and submit again."
        )


def conflict_author(error: ConflictError) -> str:
    """Who made the change that outdated the caller's version, as the desk may name them."""
    return _who(error.last_revision)


def _who(revision: Revision | None) -> str:
    """Who made the revision, unless a moderator redacted that."""
    if revision is None or revision.actor is None:
        return "someone"
    redaction = redactions_of([revision.pk]).get(revision.pk)
    return "someone" if redaction and "actor" in redaction.parts else revision.actor.get_username()


def lock_claim(claim: Claim, expected_version: int | None) -> Claim:
    """Lock the claim's row and refuse the change if it moved on since the caller read it."""
    if expected_version is not None:
        clean_version(expected_version)
    locked = Claim.objects.select_for_update().for_display().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        last = (
            Revision.objects.select_related("actor")
            .filter(claim_id=locked.pk)
            .order_by("-number")
            .first()
        )
        raise ConflictError(claim=locked, expected_version=expected_version, last=last)
    return locked


def commit_change(
    claim: Claim,
    *,
    kind: str,
    actor,
    fields: list[str],
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    redacts: Revision | None = None,
) -> Revision:
    """Bump the version, save the changed fields and write the revision for it."""
    now = timezone.now()
    claim.version += 1
    claim.changed_at = now
    claim.save(update_fields=[*fields, "version", "changed_at"])
    return write_revision(
        claim,
        kind=kind,
        actor=actor,
        at=now,
        before=before,
        after=after,
        note=note,
        redacts=redacts,
    )


def write_revision(
    claim: Claim,
    *,
    kind: str,
    actor,
    at,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    redacts: Revision | None = None,
) -> Revision:
    """The revision of the claim's current version, numbered by that version, and the
    purge of the public pages that show the claim (claims.services.purges)."""
    if kind != Revision.Kind.ASSIGNED:
        record_claim_purge(claim)
    return Revision.objects.create(
        claim=claim,
        number=claim.version,
        kind=kind,
        actor=actor,
        created_at=at,
        before=before or {},
        after=after or {},
        note=note,
        redacts=redacts,
    )


def count_status(story_id: int, status: str, delta: int) -> None:
    """Add ``delta`` to the story's count of visible claims in ``status``."""
    updated = StatusCount.objects.filter(story_id=story_id, status=status).update(
        count=F("count") + delta
    )
    if not updated:
        StatusCount.objects.get_or_create(story_id=story_id, status=status)
        StatusCount.objects.filter(story_id=story_id, status=status).update(
            count=F("count") + delta
        )


def move_status_count(story_id: int, old: str, new: str) -> None:
    """Move one claim from one status count to another.

    The two count rows are locked in a fixed order, so two claims of one story moving in
    opposite directions (in review → unverified and back) cannot deadlock each other.
    """
    for status, delta in sorted([(old, -1), (new, +1)]):
        count_status(story_id, status, delta)


def refresh_search_document(claim: Claim, *, attributions: bool = True) -> None:
    """The claim's text, quotes and source names, for full-text search (``attributions=False``
    for a claim not saved yet, which has none). A figure's subject is left out: it is the
    desk's own name for it, renamed at will, and the claim's words state what it reports."""
    parts = [claim.text]
    if attributions:
        for quote, source_name in Attribution.objects.filter(claim=claim).values_list(
            "quote", "source__name"
        ):
            parts.extend([quote, source_name])
    claim.search_document = "\n".join(p for p in parts if p)


def status_payload(claim: Claim, revision: Revision, old: str) -> dict:
    """What a status change tells webhooks and watchers."""
    return {
        "claim_id": claim.pk,
        "story_id": claim.story_id,
        "revision": revision.number,
        "old_status": old,
        "new_status": claim.status,
        "text": claim.text,
        "rationale": claim.rationale,
        "superseded_by": claim.superseded_by_id,
        "changed_at": revision.created_at.isoformat(),
    }


def record_event(kind: str, claim: Claim, revision: Revision, old: str | None = None):
    """Record the change for the outbox (webhooks, watchers, the public event log)."""
    payload = status_payload(claim, revision, claim.status if old is None else old)
    event: OutboxEvent = outbox.record(kind, claim, revision, payload)
    return event
