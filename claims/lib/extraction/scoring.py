"""Check-worthiness: which sentences are candidates, how they rank, and why, in words.

Accusations, causes and figures rank above schedule lines and colour; attribution and
anonymous sourcing raise a sentence, because an unnamed official's claim is exactly the
kind a desk must check before it is repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.text import QUOTED

_ASSERTION = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|shot down|shoot(?:s|ing)? down|brought down|bring(?:s|ing)? down"
    r"|down(?:ed|ing)|caus(?:ed|es|ing)|destroy(?:ed|s|ing)|crash(?:ed|es)|died|dead|deaths?"
    r"|injur(?:ed|ies)|wounded|hurt|arrest(?:ed|s)|detained|attack(?:ed|s)|struck|hit by|fired"
    r"|launch(?:ed|es)|targeted|imposed|sanctioned|approved|confirm(?:ed|s)|admit(?:ted|s)"
    r"|denied|denies|banned|seized|evacuated|responsible for|led to|resulted in|blamed"
    r"|accused|increased|decreased|rose|fell|doubled|tripled|collapsed|exploded|flooded"
    r"|missing|drowned|perished|burned|breached|failed|leaked|contaminated|capsized|sank"
    r"|overturned|derailed|emergency landing|hostages?|trapped|rescued|pulled .{0,20} alive"
    r"|corrected|revised|registered twice|counted twice|weakened|exceeded)\b",
    re.IGNORECASE,
)
_ACCUSATION = re.compile(
    r"\b(?:accus(?:ed|es|ing|ation)|blam(?:ed|es|ing)|sabotag\w*|arson\w*|deliberate(?:ly)?"
    r"|intentional(?:ly)?|responsible for|cover(?:ed)?[- ]up|lied|lying|plot\w*|terror\w*"
    r"|negligen\w*|fraud\w*|corrupt\w*|bribe\w*|rigg(?:ed|ing)|falsif\w*|embezzl\w*"
    r"|war crimes?|massacre\w*|set fire|planted|act of war|to blame)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:caus(?:ed|es|ing)|due to|because of|as a result of|triggered|led to|resulted in"
    r"|brought down|shot down|struck by|hit by|blamed on|the cause|sparked|set off"
    r"|started by|caused by|to blame)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|dismissed|refuted)\b", re.I)
_HEDGE = re.compile(
    r"\b(?:likely|unlikely|probably|possibly|possible|believes?|believed|suspect(?:s|ed)?"
    r"|allegedly|reportedly|not (?:yet )?(?:been )?ruled out|could have|may have|might have"
    r"|appears? to|apparently|suggest(?:s|ed|ing)?|thought to|understood to|unconfirmed"
    r"|unverified|estimated)\b",
    re.IGNORECASE,
)
_SCHEDULE = re.compile(
    r"\b(?:will|is due to|are due to|is expected to|are expected to|is scheduled to|plans to"
    r"|is set to|are set to)\s+(?:\w+\s+)?(?:visit|hold|speak|meet|attend|travel|give|brief"
    r"|address|host|chair|tour|return|resume|begin|start|open|update|publish|announce|fly"
    r"|arrive|join|deliver|lead|take)\b"
    r"|\b(?:briefing|news conference|press conference|meeting|vigil|funeral|service)\s+"
    r"(?:is|was)?\s*(?:scheduled|planned|due|expected)\b"
    r"|\b(?:stay with us|follow (?:our|us|along)|more to follow|we will bring)\b",
    re.IGNORECASE,
)
# What happened, told in the past or as it stands: "said the tower had been cleaned".
_ACCOUNT = re.compile(
    r"\b(?:was|were|had|has been|have been|is|are|did not|does not|had not|has not)\b", re.I
)
_CHANT = re.compile(r"\b(?:chant(?:ed|ing|s)?|slogans?|sang|singing)\b", re.IGNORECASE)
_ANONYMOUS = re.compile(
    r"\b(?:anonymity|anonymous(?:ly)?|unnamed|not authori[sz]ed to|declined to be named"
    r"|asked not to be named|speaking on condition|who did not want to be named"
    r"|(?:an?|one|two|three|several|some|senior|security|government|military|police)"
    r"\s+(?:\w+\s+)?(?:officials?|sources?))\b",
    re.IGNORECASE,
)

HIGH, MEDIUM = 0.6, 0.3


@dataclass(frozen=True)
class Score:
    value: float
    label: str
    reasons: tuple[str, ...]


def _quoted_share(sentence: str) -> float:
    return sum(len(m.group()) for m in QUOTED.finditer(sentence)) / max(len(sentence), 1)


def score_sentence(sentence: str, has_speaker: bool, qs: list[Quantity], corrected: bool) -> Score:
    """How check-worthy the sentence is, its label and the reasons, the most telling for an
    editor first (a correction, an accusation, a cause, a figure, anonymous sourcing)."""
    weights = [  # in the order an editor is told them
        ("a correction", 0.2, corrected),
        ("an accusation", 0.3, bool(_ACCUSATION.search(sentence))),
        ("a cause", 0.2, bool(_CAUSE.search(sentence))),
        ("states a figure", 0.3, bool(qs)),
        ("anonymous sourcing", 0.15, bool(_ANONYMOUS.search(sentence))),
        ("a denial", 0.15, bool(_DENIAL.search(sentence))),
        ("asserts a fact", 0.2, bool(_ASSERTION.search(sentence))),
        ("attributed", 0.2, has_speaker),
        ("an account of events", 0.1, has_speaker and bool(_ACCOUNT.search(sentence))),
        ("hedged", 0.1, bool(_HEDGE.search(sentence))),
    ]
    reasons = [name for name, _, present in weights if present]
    value = sum(weight for _, weight, present in weights if present)
    if _SCHEDULE.search(sentence) and not corrected:
        value *= 0.3
        reasons.append("a schedule line")
    elif _CHANT.search(sentence):
        value *= 0.3
        reasons.append("a chant or slogan")
    elif not qs and not _ASSERTION.search(sentence) and _quoted_share(sentence) > 0.5:
        value *= 0.5
        reasons.append("quoted opinion")
    value = round(min(1.0, max(0.0, value)), 3)
    label = "high" if value >= HIGH else "medium" if value >= MEDIUM else "low"
    return Score(value, label, tuple(reasons))


def is_checkworthy(sentence: str, has_speaker: bool, qs: list[Quantity]) -> bool:
    return bool(
        has_speaker
        or qs
        or _ASSERTION.search(sentence)
        or _HEDGE.search(sentence)
        or _ACCUSATION.search(sentence)
        or _CAUSE.search(sentence)
    )
