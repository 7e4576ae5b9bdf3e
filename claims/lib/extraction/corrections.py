"""Stated corrections: "57, not 63", "revised to 18 from 22", "up from 40"."""

from __future__ import annotations

import re

from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.text import text_before

_GAP = r"[^\d;]{0,40}?"
_NOT_BETWEEN = re.compile(rf"^{_GAP}\b(?:not|instead of|rather than)\s+(?:the\s+|an?\s+)?$", re.I)
_FROM_BETWEEN = re.compile(
    rf"^{_GAP}\b(?:up|down|revised|corrected|lowered|raised|reduced|cut|changed|updated"
    r"|increased|decreased|rising|falling)\s+(?:\w+\s+)?from\s+(?:an?\s+|the\s+)?$",
    re.I,
)
_TO_BEFORE = re.compile(r"\bto\s+(?:about\s+|around\s+|some\s+|at least\s+)?$", re.I)
_PLAIN_FROM_BETWEEN = re.compile(r"^[^\d;]{0,25}?\bfrom\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:an?\s+|the\s+)?$", re.I)
_PLAIN_TO_BETWEEN = re.compile(r"^[^\d;]{0,25}?\bto\s+$", re.I)
# A revision verb anywhere before a figure; no stem begins another, so the first in the
# sentence is the first to end.
_REVISION_STEM = re.compile(
    r"\b(?:revis|correct|lower|rais|updat|cut|reduc|increas|decreas|adjust|amend|chang|"
    r"downgrad|upgrad|hik|slash)",
    re.I,
)
_EARLIER_BEFORE = re.compile(
    r"(?:\b(?:correct|revis|updat|amend|replac)\w*\s+(?:[\w'’-]+\s+){0,5}(?:of|from|at|as)"
    r"|\b(?:earlier|previously|initially|originally|first)\s+(?:been\s+)?(?:reported|stated"
    r"|given|announced|estimated|put|said|thought|believed)(?:\s+(?:as|at|to be|to have been))?)"
    r"\s+(?:an?\s+|the\s+)?$",
    re.I,
)


def find_correction(sentence: str, qs: list[Quantity]) -> tuple[Quantity, Quantity] | None:
    """(old, new) when the sentence states that one figure replaces another."""
    revision = _REVISION_STEM.search(sentence)
    for a, b in zip(qs, qs[1:], strict=False):
        between, before_a = sentence[a.end : b.start], text_before(sentence, a.start)
        if _NOT_BETWEEN.match(between) or _FROM_BETWEEN.match(between):
            return b, a  # "57, not 63"; "52, up from 40"
        if _TO_BEFORE.search(before_a) and _PLAIN_FROM_BETWEEN.match(between):
            return b, a  # "revised to 18 from 22"
        if (
            _FROM_BEFORE.search(before_a)
            and _PLAIN_TO_BETWEEN.match(between)
            and revision is not None
            and revision.end() <= a.start
        ):
            return a, b  # "revised the toll from 22 to 18"; a bare "from 10 to 20" is a range
    for old in qs:
        if _EARLIER_BEFORE.search(text_before(sentence, old.start)):
            new = _nearest_other(qs, old)
            if new is not None:
                return old, new  # "45 died, correcting the earlier reported toll of 72"
    return None


def _nearest_other(qs: list[Quantity], old: Quantity) -> Quantity | None:
    others = [q for q in qs if q is not old and (q.unit == old.unit or not old.unit)]
    return min(others, key=lambda q: abs(q.start - old.start), default=None)


def unify_correction(old: Quantity, new: Quantity) -> None:
    """Both figures of a correction describe the same thing."""
    subject = new.subject or old.subject
    unit = new.unit or old.unit
    for q in (old, new):
        q.subject, q.unit = subject, unit
