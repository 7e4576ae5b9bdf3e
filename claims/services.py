"""Every write to a claim, its evidence and its story.

Each function validates, checks the actor's permission, locks the claim row, checks the
version the caller started from, applies the change, bumps ``version`` and writes the
``Revision`` (and any outbox row) in the same transaction. A revision's number is the
claim's version after the change, so numbers run 1, 2, 3… without gaps.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from claims import outbox
from claims.models import (
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    Note,
    OutboxEvent,
    Revision,
    StatusCount,
    Story,
    Watch,
)
from claims.permissions import Action, require
from sources.models import Source

MAX_TEXT = 2000
MAX_LONG_TEXT = 5000
REOPENABLE = set(VERDICTS)
Status = Claim.Status


class ConflictError(Exception):
    """The claim changed since the caller read it; nothing was written."""

    def __init__(self, *, claim: Claim, expected_version: int, last: Revision | None):
        self.claim = claim
        self.expected_version = expected_version
        self.last_revision = last
        who = last.actor.get_username() if last and last.actor else "someone"
        what = last.get_kind_display().lower() if last else "changed"
        super().__init__(
            f"This claim was changed by {who} ({what}) since you opened it: you had version "
            f"{expected_version}, it is now at version {claim.version}. Review the changes "
            "and submit again."
        )


# Validation -------------------------------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int, required: bool) -> str:
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if "\x00" in value:
        raise ValidationError({field: "Text may not contain NUL characters."})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON body
        raise ValidationError({field: "Text contains characters that are not Unicode."}) from None
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError({field: "This field cannot be empty."})
    if len(cleaned) > max_length:
        raise ValidationError(
            {field: f"Keep this under {max_length} characters (it has {len(cleaned)})."}
        )
    return cleaned


def _clean_quantity(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({"quantity_value": "The quantity must be a number."})
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity_value": "The quantity must be a number."}) from None
    if not number.is_finite():
        raise ValidationError({"quantity_value": "The quantity must be a finite number."})
    if abs(number) >= Decimal(10) ** 18:
        raise ValidationError({"quantity_value": "The quantity is too large."})
    return number.quantize(Decimal("0.000001")).normalize()


def _clean_url(value: str, *, field: str, required: bool) -> str:
    url = _clean_text(value or "", field=field, max_length=1000, required=required)
    if not url:
        return ""
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in {"http", "https"}:
        raise ValidationError({field: "Only http:// and https:// links are accepted."})
    # "HTTPS://…" is the same link; the database only takes lower-case schemes.
    url = f"{scheme.lower()}:{rest}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({field: "Enter a valid http:// or https:// link."}) from None
    return url


def _clean_moment(value: Any, *, field: str) -> datetime | None:
    """A past date and time; a naive one is read in the desk's time zone."""
    if value is None or value == "":
        return None
    if not isinstance(value, datetime):
        raise ValidationError({field: "Give a date and a time."})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + timedelta(minutes=5):
        raise ValidationError({field: "A claim cannot have been made in the future."})
    return value


def _clean_flag(value: Any, *, field: str) -> bool:
    """Yes or no, as a real boolean: the string "false" must never make a story public."""
    if not isinstance(value, bool):
        raise ValidationError({field: "Choose yes or no."})
    return value


def json_number(value: Decimal | None) -> int | float | None:
    """Quantities in revisions are JSON numbers: 57, not "57.000000"."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# Shared steps -----------------------------------------------------------------------------


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    """Lock the claim's row and refuse the change if it moved on since the caller read it."""
    if expected_version is not None and not _is_version(expected_version):
        raise ValidationError(
            {"expected_version": "The form lost the version you started from; reload the page."}
        )
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


def _is_version(value: Any) -> bool:
    return type(value) is int and 1 <= value < 2**31


def _commit(
    claim: Claim,
    *,
    kind: str,
    actor,
    fields: list[str],
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> Revision:
    """Bump the version, save the changed fields and write the revision for it."""
    now = timezone.now()
    claim.version += 1
    claim.changed_at = now
    claim.save(update_fields=[*fields, "version", "changed_at"])
    return Revision.objects.create(
        claim=claim,
        number=claim.version,
        kind=kind,
        actor=actor,
        created_at=now,
        before=before or {},
        after=after or {},
        note=note,
    )


def _count(story_id: int, status: str, delta: int) -> None:
    updated = StatusCount.objects.filter(story_id=story_id, status=status).update(
        count=F("count") + delta
    )
    if not updated:
        StatusCount.objects.get_or_create(story_id=story_id, status=status)
        StatusCount.objects.filter(story_id=story_id, status=status).update(
            count=F("count") + delta
        )


def _move_count(story_id: int, old: str, new: str) -> None:
    """Move one claim from one status count to another.

    The two count rows are locked in a fixed order, so two claims of one story moving in
    opposite directions (in review → unverified and back) cannot deadlock each other.
    """
    for status, delta in sorted([(old, -1), (new, +1)]):
        _count(story_id, status, delta)


def _refresh_search_document(claim: Claim) -> None:
    parts = [claim.text, claim.quantity_subject]
    for quote, source_name in Attribution.objects.filter(claim=claim).values_list(
        "quote", "source__name"
    ):
        parts.extend([quote, source_name])
    claim.search_document = "\n".join(p for p in parts if p)


def _status_payload(claim: Claim, revision: Revision, old: str) -> dict:
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


def _emit(kind: str, claim: Claim, revision: Revision, payload: dict) -> OutboxEvent:
    event = OutboxEvent.objects.create(kind=kind, claim=claim, revision=revision, payload=payload)
    outbox.dispatch_after_commit(event.pk)
    return event


# Stories and sources ----------------------------------------------------------------------


@transaction.atomic
def story_create(
    *, title: str, actor, slug: str = "", description: str = "", is_public: bool = False
) -> Story:
    require(actor, Action.MANAGE_STORIES)
    title = _clean_text(title, field="title", max_length=300, required=True)
    description = _clean_text(description, field="description", max_length=5000, required=False)
    is_public = _clean_flag(is_public, field="is_public")
    slug = _clean_text(slug or "", field="slug", max_length=300, required=False)
    slug = slugify(slug or title)[:120]
    if not slug:
        raise ValidationError({"slug": "The story needs a web address made of letters or digits."})
    if Story.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A story at /{slug}/ already exists."})
    story = Story.objects.create(
        title=title, slug=slug, description=description, is_public=is_public
    )
    StatusCount.objects.bulk_create(
        [StatusCount(story=story, status=status) for status in Status.values]
    )
    return story


@transaction.atomic
def story_set_public(*, story: Story, is_public: bool, actor) -> Story:
    require(actor, Action.MANAGE_STORIES)
    story.is_public = _clean_flag(is_public, field="is_public")
    story.save(update_fields=["is_public", "updated_at"])
    return story


# Claims -----------------------------------------------------------------------------------


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
    text = _clean_text(text, field="text", max_length=MAX_TEXT, required=True)
    subject = _clean_text(
        quantity_subject, field="quantity_subject", max_length=200, required=False
    )
    unit = _clean_text(quantity_unit, field="quantity_unit", max_length=50, required=False)
    value = _clean_quantity(quantity_value)
    note = _clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    now = timezone.now()
    claim = Claim(
        story=story,
        text=text,
        quantity_subject=subject,
        quantity_value=value,
        quantity_unit=unit,
        created_by=actor,
        changed_at=now,
        search_document="\n".join(p for p in [text, subject] if p),
    )
    claim.save()
    Revision.objects.create(
        claim=claim,
        number=1,
        kind=Revision.Kind.CREATED,
        actor=actor,
        created_at=now,
        after=_editable_state(claim),
        note=note,
    )
    _count(story.pk, claim.status, +1)
    return claim


def _editable_state(claim: Claim) -> dict:
    return {
        "text": claim.text,
        "quantity_subject": claim.quantity_subject,
        "quantity_value": json_number(claim.quantity_value),
        "quantity_unit": claim.quantity_unit,
    }


_UNSET: Any = object()


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
) -> Claim:
    """Change the claim's wording or quantity; only the fields given are touched."""
    require(actor, Action.EDIT)
    proposed: dict[str, Any] = {}
    if text is not _UNSET:
        proposed["text"] = _clean_text(text, field="text", max_length=MAX_TEXT, required=True)
    if quantity_subject is not _UNSET:
        proposed["quantity_subject"] = _clean_text(
            quantity_subject, field="quantity_subject", max_length=200, required=False
        )
    if quantity_value is not _UNSET:
        proposed["quantity_value"] = _clean_quantity(quantity_value)
    if quantity_unit is not _UNSET:
        proposed["quantity_unit"] = _clean_text(
            quantity_unit, field="quantity_unit", max_length=50, required=False
        )
    note = _clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    claim = _lock(claim, expected_version)
    changed = [f for f, v in proposed.items() if getattr(claim, f) != v]
    if not changed:
        raise ValidationError("Nothing changed: the claim already says this.")
    before = {f: _jsonable(getattr(claim, f)) for f in changed}
    for field in changed:
        setattr(claim, field, proposed[field])
    after = {f: _jsonable(getattr(claim, f)) for f in changed}
    _refresh_search_document(claim)
    _commit(
        claim,
        kind=Revision.Kind.EDITED,
        actor=actor,
        fields=[*changed, "search_document"],
        before=before,
        after=after,
        note=note,
    )
    return claim


def _jsonable(value: Any) -> Any:
    return json_number(value) if isinstance(value, Decimal) else value


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
    rationale = _clean_text(
        rationale or "", field="rationale", max_length=MAX_LONG_TEXT, required=status in VERDICTS
    )
    claim = _lock(claim, expected_version)
    _check_transition(claim, status)
    if status in VERDICTS and claim.evidence_count == 0:
        raise ValidationError(
            {"status": "A verdict needs at least one piece of evidence. Add evidence first."}
        )
    old = claim.status
    before = {"status": old, "rationale": claim.rationale}
    claim.status = status
    claim.rationale = rationale
    claim.status_changed_at = timezone.now()
    revision = _commit(
        claim,
        kind=Revision.Kind.STATUS,
        actor=actor,
        fields=["status", "rationale", "status_changed_at"],
        before=before,
        after={"status": status, "rationale": rationale},
        note=rationale,
    )
    if not claim.is_hidden:
        _move_count(claim.story_id, old, status)
    _emit(OutboxEvent.Kind.STATUS_CHANGED, claim, revision, _status_payload(claim, revision, old))
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
    require(actor, Action.SUPERSEDE)
    return _replace(
        claim=claim,
        by=by,
        actor=actor,
        expected_version=expected_version,
        note=note,
        kind=Revision.Kind.SUPERSEDED,
    )


@transaction.atomic
def claim_merge(
    *, claim: Claim, into: Claim, actor, expected_version: int, note: str = ""
) -> Claim:
    """Fold a duplicate into the claim that stays; the duplicate points to it."""
    require(actor, Action.SUPERSEDE)
    return _replace(
        claim=claim,
        by=into,
        actor=actor,
        expected_version=expected_version,
        note=note,
        kind=Revision.Kind.MERGED,
    )


def _replace(*, claim: Claim, by: Claim, actor, expected_version: int, note: str, kind: str):
    note = _clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    if by is None or by.pk == claim.pk:
        raise ValidationError({"superseded_by": "A claim cannot replace itself."})
    # Lock both rows in id order so two opposite replacements cannot deadlock.
    first, second = sorted([claim.pk, by.pk])
    list(Claim.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk"))
    claim = _lock(claim, expected_version)
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
    revision = _commit(
        claim,
        kind=kind,
        actor=actor,
        fields=["superseded_by", "status", "status_changed_at"],
        before={"status": old, "superseded_by": None},
        after={"status": Status.SUPERSEDED.value, "superseded_by": by.pk},
        note=note,
    )
    _commit(by, kind=kind, actor=actor, fields=[], after={"replaces": claim.pk}, note=note)
    if not claim.is_hidden:
        _move_count(claim.story_id, old, Status.SUPERSEDED)
    _emit(OutboxEvent.Kind.SUPERSEDED, claim, revision, _status_payload(claim, revision, old))
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
def claim_hide(
    *, claim: Claim, actor, expected_version: int | None = None, note: str = ""
) -> Claim:
    return _set_hidden(
        claim=claim, actor=actor, expected_version=expected_version, note=note, hidden=True
    )


@transaction.atomic
def claim_unhide(
    *, claim: Claim, actor, expected_version: int | None = None, note: str = ""
) -> Claim:
    return _set_hidden(
        claim=claim, actor=actor, expected_version=expected_version, note=note, hidden=False
    )


def _set_hidden(*, claim: Claim, actor, expected_version: int | None, note: str, hidden: bool):
    require(actor, Action.HIDE)
    note = _clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    claim = _lock(claim, expected_version)
    if claim.is_hidden == hidden:
        raise ValidationError(f"The claim is already {'hidden' if hidden else 'visible'}.")
    claim.is_hidden = hidden
    _commit(
        claim,
        kind=Revision.Kind.HIDDEN if hidden else Revision.Kind.UNHIDDEN,
        actor=actor,
        fields=["is_hidden"],
        before={"is_hidden": not hidden},
        after={"is_hidden": hidden},
        note=note,
    )
    _count(claim.story_id, claim.status, -1 if hidden else +1)
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, actor, expected_version: int | None = None) -> Claim:
    """Assign a claim; anyone on the desk may take a claim, editors may assign others."""
    if assignee is not None and assignee != actor:
        require(actor, Action.ASSIGN_ANYONE)
    else:
        require(actor, Action.EDIT)
    claim = _lock(claim, expected_version)
    if claim.assignee_id == (assignee.pk if assignee else None):
        raise ValidationError("The claim is already assigned that way.")
    before = {"assignee": claim.assignee.get_username() if claim.assignee else None}
    claim.assignee = assignee
    _commit(
        claim,
        kind=Revision.Kind.ASSIGNED,
        actor=actor,
        fields=["assignee"],
        before=before,
        after={"assignee": assignee.get_username() if assignee else None},
    )
    return claim


# Evidence, attributions, notes ------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    url: str,
    stance: str,
    actor,
    excerpt: str = "",
    source: Source | None = None,
    expected_version: int | None = None,
    capture: bool = True,
) -> Evidence:
    require(actor, Action.ADD_EVIDENCE)
    url = _clean_url(url, field="url", required=True)
    if stance not in Evidence.Stance.values:
        raise ValidationError({"stance": "Choose supports, refutes or context."})
    excerpt = _clean_text(excerpt, field="excerpt", max_length=MAX_LONG_TEXT, required=False)
    claim = _lock(claim, expected_version)
    evidence = Evidence.objects.create(
        claim=claim,
        url=url,
        stance=stance,
        excerpt=excerpt,
        source=source,
        added_by=actor,
        capture_status=Evidence.Capture.PENDING if capture else Evidence.Capture.SKIPPED,
    )
    claim.evidence_count += 1
    _commit(
        claim,
        kind=Revision.Kind.EVIDENCE,
        actor=actor,
        fields=["evidence_count"],
        after={"evidence_id": evidence.pk, "stance": stance, "url": url},
    )
    if capture:
        outbox.capture_after_commit(evidence.pk)
    return evidence


@transaction.atomic
def attribution_add(
    *,
    claim: Claim,
    source: Source,
    actor,
    quote: str = "",
    url: str = "",
    outlet: str = "",
    said_at=None,
    expected_version: int | None = None,
) -> Attribution:
    require(actor, Action.ADD_ATTRIBUTION)
    if not isinstance(source, Source):
        raise ValidationError({"source": "Choose who made the claim."})
    quote = _clean_text(quote, field="quote", max_length=MAX_LONG_TEXT, required=False)
    url = _clean_url(url, field="url", required=False)
    outlet = _clean_text(outlet, field="outlet", max_length=200, required=False)
    said_at = _clean_moment(said_at, field="said_at")
    claim = _lock(claim, expected_version)
    attribution = Attribution.objects.create(
        claim=claim,
        source=source,
        quote=quote,
        url=url,
        outlet=outlet,
        said_at=said_at,
        added_by=actor,
    )
    _refresh_search_document(claim)
    _commit(
        claim,
        kind=Revision.Kind.ATTRIBUTION,
        actor=actor,
        fields=["search_document"],
        after={"attribution_id": attribution.pk, "source": source.name, "quote": quote},
    )
    return attribution


@transaction.atomic
def note_add(*, claim: Claim, body: str, actor) -> Note:
    """Internal notes are for the desk only and do not change the claim's version."""
    require(actor, Action.ADD_NOTE)
    body = _clean_text(body, field="body", max_length=MAX_LONG_TEXT, required=True)
    return Note.objects.create(claim=claim, author=actor, body=body)


@transaction.atomic
def watch_toggle(*, user, claim: Claim | None = None, story: Story | None = None) -> bool:
    """Follow or stop following a claim or a story; returns whether the user now follows it."""
    if (claim is None) == (story is None):
        raise ValidationError("Follow either a claim or a story.")
    existing = Watch.objects.filter(user=user, claim=claim, story=story)
    if existing.exists():
        existing.delete()
        return False
    Watch.objects.create(user=user, claim=claim, story=story)
    return True
