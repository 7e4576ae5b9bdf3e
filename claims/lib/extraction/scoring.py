"""Check-worthiness: which sentences are candidates and how they rank."""

from __future__ import annotations

import re

from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.text import QUOTED

_ASSERTION = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|shot down|shoot(?:s|ing)? down|brought down|bring(?:s|ing)? down"
    r"|down(?:ed|ing)|caus(?:ed|es|ing)|destroy(?:ed|s|ing)|crash(?:ed|es)|died|dead|deaths?"
    r"|injur(?:ed|ies)|wounded|hurt|arrest(?:ed|s)|detained|attack(?:ed|s)|struck|hit by|fired"
    r"|launch(?:ed|es)|targeted|imposed|sanctioned|approved|confirm(?:ed|s)|admit(?:ted|s)"
    r"|denied|denies|banned|seized|evacuated|responsible for|led to|resulted in|blamed"
    r"|accused|increased|decreased|rose|fell|doubled|tripled)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:likely|unlikely|probably|possibly|possible|believes?|believed|suspect(?:s|ed)?"
    r"|allegedly|reportedly|not (?:yet )?(?:been )?ruled out|could have|may have|might have"
    r"|appears? to|apparently|suggest(?:s|ed|ing)?|thought to|understood to|unconfirmed"
    r"|unverified|estimated)\b",
    re.IGNORECASE,
)
_CHANT = re.compile(r"\b(?:chant(?:ed|ing|s)?|slogans?|sang|singing)\b", re.IGNORECASE)


def _quoted_share(sentence: str) -> float:
    return sum(len(m.group()) for m in QUOTED.finditer(sentence)) / max(len(sentence), 1)


def score_sentence(sentence: str, has_speaker: bool, qs: list[Quantity], corrected: bool) -> float:
    """Check-worthiness: figures, attribution and factual verbs add up; chants and quoted
    opinion with nothing checkable in it are kept but ranked low."""
    assertive = bool(_ASSERTION.search(sentence))
    score = 0.35 * bool(qs) + 0.25 * has_speaker + 0.25 * assertive
    score += 0.1 * bool(_HEDGE.search(sentence)) + 0.15 * corrected
    if _CHANT.search(sentence):
        score *= 0.3
    elif not qs and not assertive and _quoted_share(sentence) > 0.5:
        score *= 0.5
    return round(min(1.0, max(0.0, score)), 3)


def is_checkworthy(sentence: str, has_speaker: bool, qs: list[Quantity]) -> bool:
    return bool(has_speaker or qs or _ASSERTION.search(sentence) or _HEDGE.search(sentence))
