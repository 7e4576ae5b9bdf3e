"""Showing revisions with what moderators redacted replaced by the redaction's notice."""

from claims.models.redactions import Redaction, hidden_words, redactions_of
from claims.selectors.diffs import Change

__all__ = ["Redaction", "hidden_words", "mask", "redactions_of"]


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
