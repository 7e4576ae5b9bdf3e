"""Claims: logging one, editing its words or the value it reports, ruling on it, replacing
it by another, hiding it, assigning it.

Each function validates, checks the actor's permission, locks the claim row, checks the
version the caller started from, applies the change, bumps ``version`` and writes the
``Revision`` (and any outbox event) in the same transaction.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.access import (
    RULINGS,
    Action,
    is_ruled,
    may_supersede_report,
    report_source_id,
    require,
    require_assignable,
    require_may_assign,
    require_story_open,
)
from claims.models import VERDICTS, Claim, Figure, OutboxEvent, Revision, Story
from claims.services.reports import (
    check_refiling,
    check_words_state_value,
    clean_report,
    report_of,
)
from claims.services.revisions import (
    commit_change,
    count_status,
    lock_claim,
    move_status_count,
    record_event,
    refresh_search_document,
    write_revision,
)
from claims.services.ruled import check_minor_edit, check_ruled_edit, check_transition
from claims.validation import (
    MAX_LONG_TEXT,
    MAX_TEXT,
    clean_flag,
    clean_text,
    clean_version,
    jsonable,
)

Status = Claim.Status
Event = OutboxEvent.Kind


@transaction.atomic
def claim_create(
    *,
    story: Story,
    text: str,
    actor,
    figure: Figure | None = None,
    value: Any = None,
    approximation: str = "",
    value_high: Any = None,
    confirm_mismatch: bool = False,
    note: str = "",
) -> Claim:
    """Log a claim; one that reports a figure's value must state it in its words."""
    require(actor, Action.CREATE)
    require_story_open(story)
    text = _clean_claim_text(text)
    report = clean_report(
        story=story, figure=figure, value=value, approximation=approximation, value_high=value_high
    )
    mismatch = check_words_state_value(text, report, confirm_mismatch)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    now = timezone.now()
    claim = Claim(story=story, text=text, created_by=actor, changed_at=now, **report.fields())
    refresh_search_document(claim, attributions=False)
    claim.save()
    after = {"text": claim.text, **report.state()}
    if mismatch:
        after["mismatch_confirmed"] = True
    write_revision(claim, kind=Revision.Kind.CREATED, actor=actor, at=now, after=after, note=note)
    count_status(story.pk, claim.status, +1)
    return claim


_UNSET: Any = object()


def _clean_claim_text(text: Any) -> str:
    return clean_text(text, field="text", max_length=MAX_TEXT, required=True)


@transaction.atomic
def claim_edit(
    *,
    claim: Claim,
    actor,
    expected_version: int,
    text: str = _UNSET,
    figure: Figure | None = _UNSET,
    value: Any = _UNSET,
    approximation: str = _UNSET,
    value_high: Any = _UNSET,
    confirm_mismatch: bool = False,
    note: str = "",
    keep_ruling: bool = False,
) -> Claim:
    """Change the claim's wording or the value it reports; only the parts given are touched.

    A new value said by a source is a new claim (``figure_report``); changing a report's
    value here is for the desk's own typo, needs a note and is recorded as such. A claim
    that reports no figure may be given one, but a report moves to another figure only by
    merging or splitting figures.

    A ruled claim (a verdict, or superseded) changes only by those who rule, with a note
    that its public corrections trail shows: the edit reopens the ruling (back to In review)
    unless it is marked a minor edit that keeps it, for a typo. A superseded claim's words
    change only as a minor edit: it is ruled on through the claim that replaced it.
    """
    require(actor, Action.EDIT)
    new_text = claim.text if text is _UNSET else _clean_claim_text(text)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    keep_ruling = clean_flag(keep_ruling, field="keep_ruling")
    claim = lock_claim(claim, clean_version(expected_version))
    old = report_of(claim)
    given = {"figure": figure, "value": value, "approximation": approximation,
             "value_high": value_high}  # fmt: skip
    given = {k: v for k, v in given.items() if v is not _UNSET}
    merged = {**old.fields(), **given}
    if merged["figure"] in (None, ""):
        # No figure: the old report's parts go; a value given anyway is refused below.
        cleared = {"figure": None, "value": None, "approximation": "", "value_high": None}
        merged = cleared | {k: v for k, v in given.items() if k in ("value", "value_high")}
    check_refiling(claim, old, merged["figure"])
    same_figure = old.figure is not None and merged["figure"] is not None
    if same_figure:
        merged["figure"] = old.figure  # just read with the locked claim
    report = clean_report(story=claim.story, fresh=same_figure, **merged)
    mismatch = check_words_state_value(new_text, report, confirm_mismatch)
    proposed = {"text": new_text, **report.fields()}
    changed = [f for f, v in proposed.items() if getattr(claim, f) != v]
    if not changed:
        raise ValidationError("Nothing changed: the claim already says this.")
    value_fixed = (
        old.figure is not None
        and report.figure == old.figure
        and any(f in changed for f in ("value", "approximation", "value_high"))
    )
    if value_fixed and not note:
        raise ValidationError(
            {"note": "Say what typo this corrects. A new value said by a source is a new "
             "report: use “Report a new value” on the figure."}
        )  # fmt: skip
    ruled = is_ruled(claim)
    if ruled:
        check_ruled_edit(claim, actor, note=note, keep_ruling=keep_ruling)
    if ruled and keep_ruling:
        check_minor_edit(claim, {field: proposed[field] for field in changed})
    before = _recorded(claim, changed)
    for field in changed:
        setattr(claim, field, proposed[field])
    after = _recorded(claim, changed)
    if mismatch:
        after["mismatch_confirmed"] = True
    refresh_search_document(claim)
    if ruled and keep_ruling:
        kind = Revision.Kind.MINOR_EDIT
    else:
        kind = Revision.Kind.VALUE_FIXED if value_fixed else Revision.Kind.EDITED
    revision = commit_change(
        claim,
        kind=kind,
        actor=actor,
        fields=[*changed, "search_document"],
        before=before,
        after=after,
        note=note,
    )
    record_event(Event.EDITED, claim, revision)
    if ruled and not keep_ruling:
        _apply_status(claim, Status.IN_REVIEW, "", actor, note=f"Reopened by an edit: {note}")
    return claim


def _recorded(claim: Claim, fields: list[str]) -> dict[str, Any]:
    return {f: claim.figure_id if f == "figure" else jsonable(getattr(claim, f)) for f in fields}


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
    check_transition(claim, status)
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
    # A ruling taken back is news to partners; other moves are the desk's own.
    reopened = old in RULINGS and status not in RULINGS
    record_event(Event.REOPENED if reopened else Event.STATUS_CHANGED, claim, revision, old)
    return claim


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


def report_supersede(*, claim: Claim, by: Claim, actor, expected_version: int, note: str = ""):
    """A new report of a figure replaces an earlier one: by those who supersede claims, or
    by anyone on the desk when the source is revising its own figure."""
    if not may_supersede_report(actor, claim, report_source_id(by)):
        raise PermissionDenied(
            "Only an editor may say a report by another source replaces this one."
        )
    return _replace(claim, by, actor, expected_version, note, Revision.Kind.SUPERSEDED,
                    permitted=True)  # fmt: skip


def _replace(claim, by, actor, expected_version, note, kind, *, permitted: bool = False):
    if not permitted:
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
    if (claim.figure_id or by.figure_id) and claim.figure_id != by.figure_id:
        raise ValidationError(
            {"superseded_by": "A report of a figure is replaced only by another report of the "
             "same figure."}
        )  # fmt: skip
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
    record_event(Event.SUPERSEDED, claim, revision, old)
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
    revision = commit_change(
        claim,
        kind=Revision.Kind.HIDDEN if hidden else Revision.Kind.UNHIDDEN,
        actor=actor,
        fields=["is_hidden"],
        before={"is_hidden": not hidden},
        after={"is_hidden": hidden},
        note=note,
    )
    count_status(claim.story_id, claim.status, -1 if hidden else +1)
    record_event(Event.HIDDEN if hidden else Event.UNHIDDEN, claim, revision)
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, actor, expected_version: int | None = None) -> Claim:
    """Assign a claim; anyone on the desk may take a claim, editors may assign others."""
    require_may_assign(actor, assignee)
    require_assignable(actor, assignee)
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
