"""Redaction, the MediaWiki way: a moderator hides an earlier revision's text, note or actor
from readers and reporters, with a reason. The redaction is a revision of its own that names
the one it redacts; that revision is never touched, and moderators still see it whole."""

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.access import Action, require
from claims.models import OutboxEvent, Revision
from claims.models.redactions import TEXT_FIELDS
from claims.services.revisions import commit_change, lock_claim, record_event
from claims.validation import clean_text

PARTS = ("text", "note", "actor")
MAX_REASON = 500


@transaction.atomic
def revision_redact(*, revision: Revision, actor, parts: list[str], reason: str) -> Revision:
    """Hide ``parts`` of ``revision`` from everyone but moderators; returns the redaction."""
    require(actor, Action.REDACT)
    reason = clean_text(reason, field="reason", max_length=MAX_REASON, required=True)
    if not isinstance(parts, list | tuple) or not parts or not set(parts) <= set(PARTS):
        raise ValidationError({"parts": "Choose what to redact: its text, its note or its actor."})
    parts = [part for part in PARTS if part in parts]
    if revision.kind == Revision.Kind.REDACTED:
        raise ValidationError("A redaction is not itself redacted.")
    claim = lock_claim(revision.claim, None)
    _check_parts(revision, parts, claim)
    redaction = commit_change(
        claim,
        kind=Revision.Kind.REDACTED,
        actor=actor,
        fields=[],
        after={"revision": revision.number, "parts": parts, "reason": reason},
        note=reason,
        redacts=revision,
    )
    record_event(OutboxEvent.Kind.REDACTED, claim, redaction)
    return redaction


def _check_parts(revision: Revision, parts: list[str], claim) -> None:
    # A revision's words are what it wrote (its "after"); its "before" is the revision
    # before it, redacted on its own.
    words = {
        field: value for field, value in revision.after.items() if field in TEXT_FIELDS and value
    }
    if "text" in parts and not words:
        raise ValidationError({"parts": "This revision records no text to redact."})
    if "note" in parts and not revision.note:
        raise ValidationError({"parts": "This revision has no note to redact."})
    if "actor" in parts and revision.actor_id is None:
        raise ValidationError({"parts": "This revision names no one to redact."})
    current = {field: getattr(claim, field, None) for field in words}
    if "text" in parts and any(current[field] == value for field, value in words.items()):
        raise ValidationError(
            {"parts": "The claim still says this: edit the claim first, then redact the old text."}
        )
