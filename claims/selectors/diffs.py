"""Readable changes for a revision: what a field said before and after.

Text is diffed word by word (old words struck, new words marked); numbers and other fields
show as "63 → 57". Templates render ``Change`` objects; nothing here builds HTML.
"""

import difflib
from dataclasses import dataclass, field

from claims.access import PUBLIC_REVISION_FIELDS
from claims.models import Claim

FIELD_LABELS = {
    "text": "Text",
    "quantity_subject": "Quantity subject",
    "quantity_value": "Quantity",
    "quantity_unit": "Unit",
    "status": "Status",
    "rationale": "Rationale",
    "superseded_by": "Replaced by claim",
    "is_hidden": "Hidden",
    "assignee": "Assignee",
}


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

    @property
    def is_text(self) -> bool:
        return bool(self.segments)


def _display(field_name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field_name == "status":
        return Claim.Status(value).label if value in Claim.Status.values else str(value)
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


def revision_changes(before: dict, after: dict, *, public: bool = False) -> list[Change]:
    """The fields a revision changed, in a stable order, as readable before/after pairs."""
    names = [name for name in FIELD_LABELS if name in before or name in after]
    if public:
        names = [name for name in names if name in PUBLIC_REVISION_FIELDS]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        segments = []
        if name in {"text", "rationale"} and old and new:
            segments = word_diff(str(old), str(new))
        changes.append(
            Change(name, FIELD_LABELS[name], _display(name, old), _display(name, new), segments)
        )
    return changes
