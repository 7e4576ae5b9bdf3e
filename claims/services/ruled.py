"""What an edit of a ruled claim (a verdict, or superseded) may change: only those who rule
edit it, with a note its public trail shows, and a minor edit that keeps the ruling leaves
what was ruled on (its numbers, its figure's value) as it was."""

import re
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError

from claims.access import require_may_edit_words
from claims.models import Claim

Status = Claim.Status

# How alike the words must stay for an edit to keep a ruling: a typo, not a new statement.
MINOR_SIMILARITY = 0.8
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
REPORT_FIELDS = frozenset({"figure", "value", "approximation", "value_high"})


def check_minor_edit(claim: Claim, changes: dict[str, Any]) -> None:
    """A minor edit keeps the ruling, so it may not change what was ruled on: no new
    figure or value, no number in the words, nothing but a small correction."""
    refused = ValidationError(
        {
            "keep_ruling": "This changes what was ruled on, so it cannot keep the ruling: "
            "save it without the minor-edit box to reopen the claim."
        }
    )
    if REPORT_FIELDS & set(changes):
        raise refused
    for field, new in changes.items():
        old = getattr(claim, field) or ""
        if _NUMBERS.findall(old) != _NUMBERS.findall(new):
            raise refused
        if SequenceMatcher(None, old, new).ratio() < MINOR_SIMILARITY:
            raise refused


def check_ruled_edit(claim: Claim, actor, *, note: str, keep_ruling: bool) -> None:
    require_may_edit_words(actor, claim)
    if not note:
        raise ValidationError(
            {"note": "Say why a ruled claim changes: the note is published in its trail."}
        )
    if claim.status == Claim.Status.SUPERSEDED and not keep_ruling:
        raise ValidationError(
            {
                "keep_ruling": "A superseded claim is ruled on through the claim that replaced "
                "it: mark this a minor edit, or edit that claim."
            }
        )


def status_moves(current: str) -> list[str]:
    """The statuses ``claim_set_status`` moves a claim in ``current`` to: none once it is
    superseded (superseding has its own service), and back to unverified only from review."""
    if current == Status.SUPERSEDED:
        return []
    return [
        status
        for status in Status.values
        if status not in (current, Status.SUPERSEDED)
        and (status != Status.UNVERIFIED or current == Status.IN_REVIEW)
    ]


def check_transition(claim: Claim, status: str) -> None:
    if status in status_moves(claim.status):
        return
    if claim.status == Status.SUPERSEDED:
        raise ValidationError(
            {"status": "This claim has been superseded; rule on the claim that replaced it."}
        )
    if claim.status == status:
        raise ValidationError({"status": f"The claim is already {claim.get_status_display()}."})
    raise ValidationError({"status": "A ruled claim is reopened by moving it to In review."})
