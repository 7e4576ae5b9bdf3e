"""What redactions hide: for a set of revisions, which of their parts moderators redacted,
and why. The desk, the public trail, the feeds and webhooks read it to put a notice in their
place (``claims.selectors.redactions.mask``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from claims.models.revisions import Revision

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


def redactions_of(revision_ids: Iterable[int] | None = None, *, claim=None) -> dict[int, Redaction]:
    """The redaction of each of these revisions (or of every revision of ``claim``) that has
    one; a revision redacted twice hides every part either redaction named."""
    found: dict[int, Redaction] = {}
    if claim is not None:
        targets = {"redacts__claim": claim}
    else:
        ids = list(revision_ids or [])
        if not ids:
            return found
        targets = {"redacts_id__in": ids}
    rows = (
        Revision.objects.filter(kind=Revision.Kind.REDACTED, **targets)
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
