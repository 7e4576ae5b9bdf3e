"""What redactions hide: for a set of revisions, which of their parts moderators redacted,
and why. Pages, the public trail and the feeds read it to show a notice in their place."""

from collections.abc import Iterable
from dataclasses import dataclass

from claims.models import Revision
from claims.selectors.diffs import Change

# The words of a revision a text redaction hides (wherever else they show: the next
# revision's "before" repeats them).
TEXT_FIELDS = ("text", "quantity_subject", "quantity_unit", "rationale")


@dataclass(frozen=True)
class Redaction:
    parts: frozenset[str]
    reason: str
    words: frozenset[str] = frozenset()

    @property
    def notice(self) -> str:
        return f"[redacted by a moderator: {self.reason}]"


def redactions_of(revision_ids: Iterable[int]) -> dict[int, Redaction]:
    """The redaction of each of these revisions that has one; a revision redacted twice
    hides every part either redaction named."""
    ids = list(revision_ids)
    found: dict[int, Redaction] = {}
    if not ids:
        return found
    rows = (
        Revision.objects.filter(kind=Revision.Kind.REDACTED, redacts_id__in=ids)
        .order_by("number")
        .values_list("redacts_id", "after", "redacts__after")
    )
    for target, after, redacted in rows:
        earlier = found.get(target) or Redaction(frozenset(), "")
        parts = earlier.parts | frozenset(after.get("parts", []))
        words = earlier.words
        if "text" in parts:
            words |= {str(redacted[f]) for f in TEXT_FIELDS if redacted.get(f)}
        reason = "; ".join(filter(None, [earlier.reason, after.get("reason")]))
        found[target] = Redaction(parts, reason, words)
    return found


def hidden_words(redactions: dict[int, Redaction]) -> tuple[frozenset[str], str]:
    """Every redacted word of these revisions, and the notice that stands in for them."""
    words = frozenset().union(*(r.words for r in redactions.values()))
    reasons = "; ".join(sorted({r.reason for r in redactions.values() if r.words}))
    return words, Redaction(frozenset(), reasons).notice if words else ""


def mask(changes: list[Change], words: frozenset[str], notice: str) -> list[Change]:
    """The changes with every redacted value replaced by the notice."""
    if not words:
        return changes
    return [
        change
        if change.before not in words and change.after not in words
        else Change(
            change.field,
            change.label,
            notice if change.before in words else change.before,
            notice if change.after in words else change.after,
        )
        for change in changes
    ]
