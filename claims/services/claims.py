"""Claims: logging one, editing its words or figure, ruling on it, replacing it by another,
hiding it, assigning it.

Each function validates, checks the actor's permission, locks the claim row, checks the
version the caller started from, applies the change, bumps ``version`` and writes the
``Revision`` (and any outbox event) in the same transaction.
"""

import re
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import outbox
from claims.access import Action, is_ruled, require, require_may_edit_words
from claims.models import VERDICTS, Claim, OutboxEvent, Revision, Story
from claims.services.revisions import (
    commit_change,
    count_status,
    lock_claim,
    move_status_count,
    refresh_search_document,
    status_payload,
    write_revision,
)
from claims.validation import (
    MAX_LONG_TEXT,
    MAX_SUBJECT,
    MAX_TEXT,
    MAX_UNIT,
    clean_flag,
    clean_quantity,
    clean_text,
    json_number,
    jsonable,
)

Status = Claim.Status


@transaction.atomic
def claim_create(
    *,
    story: Story,
    text: str,
    actor,
    quantity_subject: str = "",
    quantity_value: Any = None,
    quantity_unit: str = "",
    note: str = "",
) -> Claim:
    require(actor, Action.CREATE)
    words = _clean_words(text, quantity_subject, quantity_value, quantity_unit)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    now = timezone.now()
    searched = [words["text"], words["quantity_subject"]]
    claim = Claim(
        story=story,
        created_by=actor,
        changed_at=now,
        search_document="\n".join(p for p in searched if p),
        **words,
    )
    claim.save()
    write_revision(
        claim,
        kind=Revision.Kind.CREATED,
        actor=actor,
        at=now,
        after=_editable_state(claim),
        note=note,
    )
    count_status(story.pk, claim.status, +1)
    return claim


_UNSET: Any = object()
# What a claim says, and the cleaner for each part: used alike to create and to edit.
_WORD_CLEANERS = {
    "text": lambda value: clean_text(value, field="text", max_length=MAX_TEXT, required=True),
    "quantity_subject": lambda value: clean_text(
        value, field="quantity_subject", max_length=MAX_SUBJECT, required=False
    ),
    "quantity_value": clean_quantity,
    "quantity_unit": lambda value: clean_text(
        value, field="quantity_unit", max_length=MAX_UNIT, required=False
    ),
}


def _clean_words(text, quantity_subject, quantity_value, quantity_unit) -> dict[str, Any]:
    """The given parts of a claim's words, cleaned; parts left ``_UNSET`` are left out."""
    given = {
        "text": text,
        "quantity_subject": quantity_subject,
        "quantity_value": quantity_value,
        "quantity_unit": quantity_unit,
    }
    return {
        name: _WORD_CLEANERS[name](value) for name, value in given.items() if value is not _UNSET
    }


def _editable_state(claim: Claim) -> dict:
    return {
        "text": claim.text,
        "quantity_subject": claim.quantity_subject,
        "quantity_value": json_number(claim.quantity_value),
        "quantity_unit": claim.quantity_unit,
    }


@transaction.atomic
def claim_edit(
    *,
    claim: Claim,
    actor,
    expected_version: int,
    text: str = _UNSET,
    quantity_subject: str = _UNSET,
    quantity_value: Any = _UNSET,
    quantity_unit: str = _UNSET,
    note: str = "",
    keep_ruling: bool = False,
) -> Claim:
    """Change the claim's wording or quantity; only the fields given are touched.

    A ruled claim (a verdict, or superseded) changes only by those who rule, with a note
    that its public corrections trail shows: the edit reopens the ruling (back to In review)
    unless it is marked a minor edit that keeps it, for a typo. A superseded claim's words
    change only as a minor edit: it is ruled on through the claim that replaced it.
    """
    require(actor, Action.EDIT)
    proposed = _clean_words(text, quantity_subject, quantity_value, quantity_unit)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    keep_ruling = clean_flag(keep_ruling, field="keep_ruling")
    claim = lock_claim(claim, expected_version)
    ruled = is_ruled(claim)
    if ruled:
        _check_ruled_edit(claim, actor, note=note, keep_ruling=keep_ruling)
    changed = [f for f, v in proposed.items() if getattr(claim, f) != v]
    if not changed:
        raise ValidationError("Nothing changed: the claim already says this.")
    if ruled and keep_ruling:
        _check_minor(claim, {field: proposed[field] for field in changed})
    before = {f: jsonable(getattr(claim, f)) for f in changed}
    for field in changed:
        setattr(claim, field, proposed[field])
    after = {f: jsonable(getattr(claim, f)) for f in changed}
    refresh_search_document(claim)
    commit_change(
        claim,
        kind=Revision.Kind.MINOR_EDIT if ruled and keep_ruling else Revision.Kind.EDITED,
        actor=actor,
        fields=[*changed, "search_document"],
        before=before,
        after=after,
        note=note,
    )
    if ruled and not keep_ruling:
        _apply_status(claim, Status.IN_REVIEW, "", actor, note=f"Reopened by an edit: {note}")
    return claim


# How alike the words must stay for an edit to keep a ruling: a typo, not a new statement.
MINOR_SIMILARITY = 0.8
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


def _check_minor(claim: Claim, changes: dict[str, Any]) -> None:
    """A minor edit keeps the ruling, so it may not change what was ruled on: no new
    figure, no number in the words, nothing but a small correction."""
    refused = ValidationError(
        {
            "keep_ruling": "This changes what was ruled on, so it cannot keep the ruling: "
            "save it without the minor-edit box to reopen the claim."
        }
    )
    if "quantity_value" in changes:
        raise refused
    for field, new in changes.items():
        old = getattr(claim, field) or ""
        if _NUMBERS.findall(old) != _NUMBERS.findall(new):
            raise refused
        if SequenceMatcher(None, old, new).ratio() < MINOR_SIMILARITY:
            raise refused


def _check_ruled_edit(claim: Claim, actor, *, note: str, keep_ruling: bool) -> None:
    require_may_edit_words(actor, claim)
    if not note:
        raise ValidationError(
            {"note": "Say why a ruled claim changes: the note is published in its trail."}
        )
    if claim.status == Status.SUPERSEDED and not keep_ruling:
        raise ValidationError(
            {
                "keep_ruling": "A superseded claim is ruled on through the claim that replaced "
                "it: mark this a minor edit, or edit that claim."
            }
        )


@transaction.atomic
def claim_set_status(
    *, claim: Claim, status: str, rationale: str, actor, expected_version: int
) -> Claim:
    """Rule on a claim. A verdict needs a rationale and at least one piece of evidence."""
    require(actor, Action.SET_STATUS)
    if status not in Status.values:
        shown = status[:40] if isinstance(status, str) else "That"
        raise ValidationError({"status": f"“{shown}” is not a status."})
    if status == Status.SUPERSEDED:
        raise ValidationError(
            {"status": "A claim is superseded by naming the claim that replaces it."}
        )
    rationale = clean_text(
        rationale or "", field="rationale", max_length=MAX_LONG_TEXT, required=status in VERDICTS
    )
    claim = lock_claim(claim, expected_version)
    _check_transition(claim, status)
    if status in VERDICTS and claim.evidence_count == 0:
        raise ValidationError(
            {"status": "A verdict needs at least one piece of evidence. Add evidence first."}
        )
    return _apply_status(claim, status, rationale, actor, note=rationale)


def _apply_status(claim: Claim, status: str, rationale: str, actor, *, note: str) -> Claim:
    """Write the status change, move the story's counts and record it for the outbox."""
    old = claim.status
    before = {"status": old, "rationale": claim.rationale}
    claim.status = status
    claim.rationale = rationale
    claim.status_changed_at = timezone.now()
    revision = commit_change(
        claim,
        kind=Revision.Kind.STATUS,
        actor=actor,
        fields=["status", "rationale", "status_changed_at"],
        before=before,
        after={"status": status, "rationale": rationale},
        note=note,
    )
    if not claim.is_hidden:
        move_status_count(claim.story_id, old, status)
    outbox.record(
        OutboxEvent.Kind.STATUS_CHANGED, claim, revision, status_payload(claim, revision, old)
    )
    return claim


def _check_transition(claim: Claim, status: str) -> None:
    if claim.status == Status.SUPERSEDED:
        raise ValidationError(
            {"status": "This claim has been superseded; rule on the claim that replaced it."}
        )
    if claim.status == status:
        raise ValidationError({"status": f"The claim is already {claim.get_status_display()}."})
    if status == Status.UNVERIFIED and claim.status != Status.IN_REVIEW:
        raise ValidationError({"status": "A ruled claim is reopened by moving it to In review."})


@transaction.atomic
def claim_supersede(
    *, claim: Claim, by: Claim, actor, expected_version: int, note: str = ""
) -> Claim:
    """Mark ``claim`` as replaced by ``by`` (57 replaces 63), recorded on both claims."""
    return _replace(claim, by, actor, expected_version, note, Revision.Kind.SUPERSEDED)


@transaction.atomic
def claim_merge(
    *, claim: Claim, into: Claim, actor, expected_version: int, note: str = ""
) -> Claim:
    """Fold a duplicate into the claim that stays; the duplicate points to it."""
    return _replace(claim, into, actor, expected_version, note, Revision.Kind.MERGED)


def _replace(claim: Claim, by: Claim, actor, expected_version: int, note: str, kind: str):
    require(actor, Action.SUPERSEDE)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    if by is None or by.pk == claim.pk:
        raise ValidationError({"superseded_by": "A claim cannot replace itself."})
    # Lock both rows in id order so two opposite replacements cannot deadlock.
    first, second = sorted([claim.pk, by.pk])
    list(Claim.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk"))
    claim = lock_claim(claim, expected_version)
    by = Claim.objects.get(pk=by.pk)
    if claim.status == Status.SUPERSEDED:
        raise ValidationError({"superseded_by": "This claim has already been replaced."})
    if by.story_id != claim.story_id:
        raise ValidationError({"superseded_by": "The replacing claim must be in the same story."})
    if _chain_reaches(by, claim.pk):
        raise ValidationError({"superseded_by": "That would make a cycle of replacements."})
    old = claim.status
    claim.superseded_by = by
    claim.status = Status.SUPERSEDED
    claim.status_changed_at = timezone.now()
    revision = commit_change(
        claim,
        kind=kind,
        actor=actor,
        fields=["superseded_by", "status", "status_changed_at"],
        before={"status": old, "superseded_by": None},
        after={"status": Status.SUPERSEDED.value, "superseded_by": by.pk},
        note=note,
    )
    commit_change(by, kind=kind, actor=actor, fields=[], after={"replaces": claim.pk}, note=note)
    if not claim.is_hidden:
        move_status_count(claim.story_id, old, Status.SUPERSEDED)
    outbox.record(
        OutboxEvent.Kind.SUPERSEDED, claim, revision, status_payload(claim, revision, old)
    )
    return claim


def _chain_reaches(start: Claim, target_id: int) -> bool:
    seen: set[int] = set()
    current_id = start.superseded_by_id
    while current_id is not None and current_id not in seen:
        if current_id == target_id:
            return True
        seen.add(current_id)
        current_id = (
            Claim.objects.filter(pk=current_id).values_list("superseded_by_id", flat=True).first()
        )
    return False


@transaction.atomic
def claim_hide(*, claim: Claim, actor, expected_version: int | None = None, note: str = ""):
    """Take a claim off the desk's lists and every public surface (editors, moderators)."""
    return _set_hidden(claim, actor, expected_version, note, hidden=True)


@transaction.atomic
def claim_unhide(*, claim: Claim, actor, expected_version: int | None = None, note: str = ""):
    return _set_hidden(claim, actor, expected_version, note, hidden=False)


def _set_hidden(claim: Claim, actor, expected_version: int | None, note: str, *, hidden: bool):
    require(actor, Action.HIDE)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    claim = lock_claim(claim, expected_version)
    if claim.is_hidden == hidden:
        raise ValidationError(f"The claim is already {'hidden' if hidden else 'visible'}.")
    claim.is_hidden = hidden
    commit_change(
        claim,
        kind=Revision.Kind.HIDDEN if hidden else Revision.Kind.UNHIDDEN,
        actor=actor,
        fields=["is_hidden"],
        before={"is_hidden": not hidden},
        after={"is_hidden": hidden},
        note=note,
    )
    count_status(claim.story_id, claim.status, -1 if hidden else +1)
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, actor, expected_version: int | None = None) -> Claim:
    """Assign a claim; anyone on the desk may take a claim, editors may assign others."""
    if assignee is not None and assignee != actor:
        require(actor, Action.ASSIGN_ANYONE)
    else:
        require(actor, Action.EDIT)
    claim = lock_claim(claim, expected_version)
    if claim.assignee_id == (assignee.pk if assignee else None):
        raise ValidationError("The claim is already assigned that way.")
    before = {"assignee": claim.assignee.get_username() if claim.assignee else None}
    claim.assignee = assignee
    commit_change(
        claim,
        kind=Revision.Kind.ASSIGNED,
        actor=actor,
        fields=["assignee"],
        before=before,
        after={"assignee": assignee.get_username() if assignee else None},
    )
    return claim


# Evidence, attributions, notes ------------------------------------------------------------
