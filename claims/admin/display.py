"""How the admin words things for moderators: status labels, errors that name their field,
revisions as the desk's readable diff, values as numbers, long text cut to one line."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime

from claims.models import STATUS_LABELS, Claim, Figure, Revision
from claims.models.figures import describe_value
from claims.selectors.diffs import FIELD_LABELS, Change, revision_changes, revision_names

# Fields a service names in its errors that revisions do not record.
ERROR_LABELS = {"parts": "Redact", "reason": "Reason", "expected_version": "Version"}


def status_label(status: str) -> str:
    """ "In review" for "in_review"; an unknown value as it was given."""
    return STATUS_LABELS.get(status, status)


def error_lines(error: Exception) -> list[str]:
    """What a refusal says, each message after the name of its field ("Rationale: …")."""
    if not isinstance(error, ValidationError):
        return [str(error)]
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{field_label(field)}: {message}" if field != "__all__" else message
        for field, errors in error.message_dict.items()
        for message in errors
    ]


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field) or ERROR_LABELS.get(field) or capfirst(field.replace("_", " "))


def one_line(text: str, limit: int = 120, *, lines: int = 1) -> str:
    """Text cut to fit a column (one line, or two); the whole of it in the title a pointer
    shows."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    css = "two-lines" if lines == 2 else "one-line"
    return format_html('<span class="{}" title="{}">{}</span>', css, text, shown)


def when(moment) -> str:
    return localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def claim_value(claim: Claim) -> str:
    """The value a claim reports as a reader reads it: "57 people", "at least 40", not
    "57.000000"."""
    if claim.value is None:
        return "—"
    figure = claim.figure if claim.figure_id else None
    unit, kind = (figure.unit, figure.kind) if figure else ("", "")
    return describe_value(claim.value, claim.approximation, claim.value_high, unit, kind)


def readable_changes(revision: Revision, *, named: bool = False) -> list[Change]:
    """The revision's changes as the desk's timeline shows them; ``named`` reads the
    figures and claims it names by id (a query for each kind it names)."""
    names = None
    if named:
        names = revision_names(
            [revision], figures=Figure.objects.all(), claims=Claim.objects.all(), public=False
        )
    changes = revision_changes(revision.before or {}, revision.after or {}, names=names)
    if revision.kind == Revision.Kind.CREATED:
        # A new claim has no "before": only the fields it was created with.
        return [change for change in changes if change.after != "—"]
    return changes


def changes_html(revision: Revision) -> str:
    """The revision's before and after as the desk's timeline renders them."""
    context = {"changes": readable_changes(revision, named=True), "revision": revision}
    return render_to_string("admin/revision_changes.html", context)


def changes_summary(revision: Revision) -> str:
    """One line for a list: "Status: In review → Confirmed; Rationale: …"."""
    parts = [
        f"{c.label}: {c.after}" if _created(revision) else f"{c.label}: {c.before} → {c.after}"
        for c in readable_changes(revision)
    ]
    after = revision.after or {}
    if revision.kind == Revision.Kind.EVIDENCE:
        parts.append(f"{capfirst(after.get('stance', ''))}: {after.get('url', '')}")
    elif revision.kind == Revision.Kind.ATTRIBUTION:
        parts.append(f"{after.get('source', '')}: “{after.get('quote', '')}”")
    return one_line("; ".join(parts), limit=160, lines=2) if parts else "—"


def _created(revision: Revision) -> bool:
    return revision.kind == Revision.Kind.CREATED
