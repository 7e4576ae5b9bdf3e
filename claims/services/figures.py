"""Figures: naming one, filing a new value of it, and renaming, merging and splitting them.

A new value is a new claim (``figure_report``), said by a source at a time and ruled on like
any claim; when it replaces an earlier report, that one is superseded in the same
transaction. Each change to a figure bumps its ``version`` and writes a ``FigureRevision``;
moving a report between figures writes the claim's revision too.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.access import Action, require
from claims.lib.extraction import subject_key
from claims.models import Claim, Figure, FigureRevision, Revision, Story
from claims.services.claims import claim_create, report_supersede
from claims.services.evidence import attribution_add
from claims.services.purges import FEEDS, record_purge
from claims.services.reports import lock_report_figure
from claims.services.revisions import commit_change, lock_claim
from claims.validation import MAX_LONG_TEXT, MAX_SUBJECT, clean_text, clean_unit, clean_version
from sources.models import Source

Kind = FigureRevision.Kind


def _clean_subject(subject: Any) -> tuple[str, str]:
    subject = clean_text(subject, field="subject", max_length=MAX_SUBJECT, required=True)
    key = subject_key(subject)[:MAX_SUBJECT]
    if not key:
        raise ValidationError({"subject": "Say what the figure counts or measures, in words."})
    return subject, key


def _clean_kind(kind: Any) -> str:
    if kind not in Figure.Kind.values:
        raise ValidationError({"kind": "Choose what kind of figure this is."})
    return kind


def _check_subject_free(story_id: int, key: str, *, but: int | None = None) -> None:
    taken = Figure.objects.filter(story_id=story_id, subject_key=key, merged_into__isnull=True)
    existing = taken.exclude(pk=but).first()
    if existing is not None:
        raise ValidationError(
            {"subject": f"The story already has this figure: “{existing.subject}”."}
        )


def _write(figure: Figure, kind: str, actor, *, before=None, after=None, note="") -> None:
    record_purge([f"figure-{figure.pk}", f"story-{figure.story_id}", FEEDS])
    FigureRevision.objects.create(
        figure=figure,
        number=figure.version,
        kind=kind,
        actor=actor,
        created_at=timezone.now(),
        before=before or {},
        after=after or {},
        note=note,
    )


def _bump(figure: Figure, fields: list[str]) -> None:
    figure.version += 1
    figure.save(update_fields=[*fields, "version", "changed_at"])


def lock_figure(figure: Figure, expected_version: int) -> Figure:
    """Lock the figure's row and refuse a change started from an older version, or one to a
    figure merged into another since."""
    clean_version(expected_version)
    if not isinstance(figure, Figure):
        raise ValidationError({"figure": "Choose one of the story's figures."})
    locked = Figure.objects.select_for_update().get(pk=figure.pk)
    if expected_version != locked.version:
        raise ValidationError(
            {
                "expected_version": "This figure was changed since you opened it (you had "
                f"version {expected_version}, it is at {locked.version}). Review and try again."
            }
        )
    if locked.merged_into_id is not None:
        raise ValidationError(
            {"figure": f"This figure was merged into “{locked.merged_into}”: change that one."}
        )
    return locked


@transaction.atomic
def figure_create(
    *, story: Story, subject: str, actor, kind: str = Figure.Kind.COUNT, unit: str = ""
) -> Figure:
    """Name a figure the story depends on; anyone who logs claims may."""
    require(actor, Action.CREATE)
    subject, key = _clean_subject(subject)
    kind = _clean_kind(kind)
    unit = clean_unit(kind, unit)
    _check_subject_free(story.pk, key)
    figure = Figure.objects.create(
        story=story, subject=subject, subject_key=key, kind=kind, unit=unit, created_by=actor
    )
    _write(figure, Kind.CREATED, actor, after={"subject": subject, "kind": kind, "unit": unit})
    return figure


@transaction.atomic
def figure_update(
    *,
    figure: Figure,
    actor,
    expected_version: int,
    subject: str | None = None,
    kind: str | None = None,
    unit: str | None = None,
    note: str = "",
) -> Figure:
    """Rename a figure, or change its kind or unit (editors)."""
    require(actor, Action.MANAGE_FIGURES)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    figure = lock_figure(figure, expected_version)
    proposed: dict[str, str] = {}
    if subject is not None:
        proposed["subject"], proposed["subject_key"] = _clean_subject(subject)
    new_kind = _clean_kind(kind) if kind is not None else figure.kind
    if kind is not None:
        proposed["kind"] = new_kind
    if unit is not None or kind is not None:
        proposed["unit"] = clean_unit(new_kind, figure.unit if unit is None else unit)
    changed = [f for f, v in proposed.items() if getattr(figure, f) != v]
    if not changed:
        raise ValidationError("Nothing changed: the figure is already named this way.")
    if "subject_key" in changed:
        _check_subject_free(figure.story_id, proposed["subject_key"], but=figure.pk)
    shown = [f for f in changed if f != "subject_key"]
    before = {f: getattr(figure, f) for f in shown}
    for field in changed:
        setattr(figure, field, proposed[field])
    _bump(figure, changed)
    _write(figure, Kind.RENAMED, actor, before=before,
           after={f: getattr(figure, f) for f in shown}, note=note)  # fmt: skip
    return figure


def _move_reports(claims: list[Claim], to: Figure, actor, note: str) -> None:
    """File reports under another figure, each with its claim's revision."""
    for claim in claims:
        claim = lock_claim(claim, None)
        before = {"figure": claim.figure_id}
        claim.figure = to
        commit_change(
            claim,
            kind=Revision.Kind.REFILED,
            actor=actor,
            fields=["figure"],
            before=before,
            after={"figure": to.pk},
            note=note,
        )


@transaction.atomic
def figure_merge(
    *, figure: Figure, into: Figure, actor, expected_version: int, note: str = ""
) -> Figure:
    """Fold a figure into another of the same story: its reports move there, and it points
    to the figure that stays (editors)."""
    require(actor, Action.MANAGE_FIGURES)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    if not isinstance(figure, Figure) or not isinstance(into, Figure):
        raise ValidationError({"into": "Choose the figure of this story to merge it into."})
    if into.pk == figure.pk:
        raise ValidationError({"into": "A figure cannot be merged into itself."})
    first, second = sorted([figure.pk, into.pk])
    list(Figure.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk"))
    figure = lock_figure(figure, expected_version)
    into = Figure.objects.get(pk=into.pk)
    if into.story_id != figure.story_id:
        raise ValidationError({"into": "Figures merge only within one story."})
    if into.merged_into_id:
        raise ValidationError({"into": "That figure was already merged into another."})
    if (figure.kind, figure.unit) != (into.kind, into.unit):
        raise ValidationError(
            {"into": f"“{into}” is counted in other units ({into.get_kind_display()}, "
             f"{into.unit or 'no unit'}): rename one so they match first."}
        )  # fmt: skip
    reports = list(figure.reports.order_by("pk"))
    _move_reports(reports, into, actor, note or f"Figure “{figure}” merged into “{into}”.")
    figure.merged_into = into
    _bump(figure, ["merged_into"])
    moved = [c.pk for c in reports]
    _write(figure, Kind.MERGED_INTO, actor, after={"into": into.pk, "reports": moved}, note=note)
    into.version += 1
    into.save(update_fields=["version", "changed_at"])
    _write(into, Kind.ABSORBED, actor, after={"from": figure.pk, "reports": moved}, note=note)
    return into


@transaction.atomic
def figure_split(
    *,
    figure: Figure,
    claims: list[Claim],
    subject: str,
    actor,
    expected_version: int,
    note: str = "",
) -> Figure:
    """Give some of a figure's reports a figure of their own ("Canadian citizens" apart from
    "permanent residents"); a report and the report it replaces stay together (editors)."""
    require(actor, Action.MANAGE_FIGURES)
    note = clean_text(note, field="note", max_length=MAX_LONG_TEXT, required=False)
    subject, key = _clean_subject(subject)
    figure = lock_figure(figure, expected_version)
    if not isinstance(claims, list | tuple | set) or not all(isinstance(c, Claim) for c in claims):
        raise ValidationError({"claims": "Choose reports of this figure to split off."})
    ids = {c.pk for c in claims}
    reports = {c.pk: c for c in figure.reports.all()}
    if not ids or not ids <= reports.keys():
        raise ValidationError({"claims": "Choose reports of this figure to split off."})
    if ids == reports.keys():
        raise ValidationError(
            {"claims": "Every report would move: rename the figure instead of splitting it."}
        )
    for claim in reports.values():
        if claim.superseded_by_id and (claim.pk in ids) != (claim.superseded_by_id in ids):
            raise ValidationError(
                {"claims": f"Report #{claim.pk} and the report that replaced it must stay "
                 "together."}
            )  # fmt: skip
    _check_subject_free(figure.story_id, key)
    new = Figure.objects.create(
        story=figure.story, subject=subject, subject_key=key, kind=figure.kind,
        unit=figure.unit, created_by=actor,
    )  # fmt: skip
    moved = sorted(ids)
    _write(new, Kind.SPLIT_FROM, actor, after={"from": figure.pk, "reports": moved,
           "subject": subject, "kind": new.kind, "unit": new.unit}, note=note)  # fmt: skip
    _move_reports([reports[i] for i in moved], new, actor, note or f"Split off into “{new}”.")
    _bump(figure, [])
    _write(figure, Kind.SPLIT_OFF, actor, after={"to": new.pk, "reports": moved}, note=note)
    return new


@transaction.atomic
def figure_report(
    *,
    figure: Figure,
    value: Any,
    text: str,
    source: Source,
    said_at,
    quote: str,
    actor,
    supersedes: Claim | None = None,
    supersedes_version: int | None = None,
    approximation: str = "",
    value_high: Any = None,
    outlet: str = "",
    url: str = "",
    confirm_mismatch: bool = False,
    note: str = "",
) -> Claim:
    """File a new value of a figure as a new claim, credited to its source; when it replaces
    an earlier report (the source revising itself, or the desk deciding), that report is
    superseded in the same transaction."""
    if not isinstance(figure, Figure):
        raise ValidationError({"figure": "Choose the figure this value is of."})
    if not isinstance(source, Source):
        raise ValidationError({"source": "Choose who gave this value."})
    figure = lock_report_figure(figure)
    if supersedes is not None:
        if not isinstance(supersedes, Claim) or supersedes.figure_id != figure.pk:
            raise ValidationError(
                {"supersedes": "A report replaces only an earlier report of the same figure."}
            )
        if supersedes_version is None:
            raise ValidationError(
                {"expected_version": "The form lost the version of the report it replaces; "
                 "reload the page."}
            )  # fmt: skip
    claim = claim_create(
        story=figure.story,
        text=text,
        actor=actor,
        figure=figure,
        value=value,
        approximation=approximation,
        value_high=value_high,
        confirm_mismatch=confirm_mismatch,
        note=note,
    )
    attribution_add(
        claim=claim, source=source, actor=actor, quote=quote, said_at=said_at,
        outlet=outlet, url=url,
    )  # fmt: skip
    if supersedes is not None:
        report_supersede(
            claim=supersedes,
            by=claim,
            actor=actor,
            expected_version=supersedes_version,
            note=note or f"New value reported by {source.name}.",
        )
    claim.refresh_from_db()
    return claim
