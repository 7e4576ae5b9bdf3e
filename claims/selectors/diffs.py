"""Readable changes for a revision: what a field said before and after.

Text is diffed word by word (old words struck, new words marked); numbers and other fields
show as "63 → 57". A revision names figures and claims by id: ``revision_names`` reads what
a page shows of them (a figure's subject, a claim's text and link) for all of a page's
revisions at once. Templates render ``Change`` objects; nothing here builds HTML.
"""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from claims.access import PUBLIC_REVISION_FIELDS
from claims.models import Claim, Figure, claim_slug
from claims.models.choices import Approximation

FIELD_LABELS = {
    "text": "Text",
    "figure": "Figure",
    "value": "Value",
    "approximation": "Approximation",
    "value_high": "Top of the range",
    "mismatch_confirmed": "Value not in the words, confirmed",
    # Revisions written before figures existed.
    "quantity_subject": "Quantity subject",
    "quantity_value": "Quantity",
    "quantity_unit": "Unit",
    "status": "Status",
    "rationale": "Rationale",
    "superseded_by": "Replaced by",
    "is_hidden": "Hidden",
    "assignee": "Assignee",
}
# Fields whose value is the id of another row, and how a page names it.
FIGURE_FIELDS = frozenset({"figure"})
CLAIM_FIELDS = frozenset({"superseded_by"})


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    segments: list[Segment] = field(default_factory=list)  # word diff, for text fields
    after_url: str = ""  # where the new value can be read (the replacing claim's page)

    @property
    def is_text(self) -> bool:
        return bool(self.segments)


@dataclass(frozen=True)
class Names:
    """What a page may show of the figures and claims its revisions name by id."""

    figures: dict[int, str] = field(default_factory=dict)  # id -> subject
    claims: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (text, url)
    # Whether these were read for the reader: then an id left out is one they may not see,
    # and is not shown; unread names (no reader in view) show ids.
    read: bool = True


def _ids(revisions, fields: frozenset[str]) -> set[int]:
    found = set()
    for revision in revisions:
        for state in (revision.before or {}, revision.after or {}):
            found.update(v for k, v in state.items() if k in fields and isinstance(v, int))
    return found


def revision_names(
    revisions: Iterable,
    *,
    figures: QuerySet[Figure],
    claims: QuerySet[Claim],
    public: bool,
    known: Iterable = (),
) -> Names:
    """The subjects and texts of what ``revisions`` name, among ``figures`` and ``claims``
    (the ones the reader may see): one query for each kind still unknown, none when the
    ``known`` figures and claims (already loaded by the page) cover them."""
    revisions = list(revisions)
    names = Names()
    for row in known:
        if isinstance(row, Figure):
            names.figures[row.pk] = row.subject
        elif isinstance(row, Claim):
            names.claims[row.pk] = (row.text, _claim_url(row.pk, row.text, public))
    figure_ids = _ids(revisions, FIGURE_FIELDS) - names.figures.keys()
    if figure_ids:
        names.figures.update(figures.filter(pk__in=figure_ids).values_list("pk", "subject"))
    claim_ids = _ids(revisions, CLAIM_FIELDS) - names.claims.keys()
    if claim_ids:
        for pk, text in claims.filter(pk__in=claim_ids).values_list("pk", "text"):
            names.claims[pk] = (text, _claim_url(pk, text, public))
    return names


def _claim_url(pk: int, text: str, public: bool) -> str:
    if public:
        return reverse("public_claim", args=[pk, claim_slug(text)])
    return reverse("claim_detail", args=[pk])


def _display(field_name: str, value, names: Names) -> str:
    if value is None or value == "":
        return "—"
    if field_name == "status":
        return Claim.Status(value).label if value in Claim.Status.values else str(value)
    if field_name == "approximation" and value in Approximation.values:
        return Approximation(value).label
    if field_name in FIGURE_FIELDS:
        return names.figures.get(value, "another figure" if names.read else f"figure #{value}")
    if field_name in CLAIM_FIELDS:
        unnamed = "a newer claim" if names.read else f"claim #{value}"
        return names.claims.get(value, (unnamed, ""))[0]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def word_diff(before: str, after: str) -> list[Segment]:
    old, new = before.split(), after.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", " ".join(old[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", " ".join(new[b1:b2])))
    return segments


def revision_changes(
    before: dict, after: dict, *, public: bool = False, names: Names | None = None
) -> list[Change]:
    """The fields a revision changed, in a stable order, as readable before/after pairs;
    figures and claims it names by id read as ``names`` has them."""
    names = names or Names(read=False)
    keys = [name for name in FIELD_LABELS if name in before or name in after]
    if public:
        keys = [name for name in keys if name in PUBLIC_REVISION_FIELDS]
    changes = []
    for name in keys:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        segments = []
        if name in {"text", "rationale"} and old and new:
            segments = word_diff(str(old), str(new))
        url = names.claims.get(new, ("", ""))[1] if name in CLAIM_FIELDS else ""
        shown_old, shown_new = _display(name, old, names), _display(name, new, names)
        changes.append(Change(name, FIELD_LABELS[name], shown_old, shown_new, segments, url))
    return changes
