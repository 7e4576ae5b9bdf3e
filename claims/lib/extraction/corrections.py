"""Stated corrections: "57, not 63", "revised to 18 from 22", "up from 40"."""

from __future__ import annotations

import re

from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.text import text_before

_GAP = r"[^\d;]{0,40}?"
_NOT_BETWEEN = re.compile(
    r"^[^\d;]{0,80}?\b(?:not|instead of|rather than)\s+(?:the\s+|an?\s+)?$", re.I
)
_FROM_BETWEEN = re.compile(
    rf"^{_GAP}\b(?:up|down|revised|corrected|lowered|raised|reduced|cut|changed|updated"
    r"|increased|decreased|rising|falling|adjusted|amended|higher|lower|revision|correction"
    r"|downgraded|upgraded)\s+(?:\w+\s+)?from\s+(?:an?\s+|the\s+)?"
    r"(?:earlier\s+|previous\s+|initial\s+|original\s+|first\s+)?$",
    re.I,
)
_TO_BEFORE = re.compile(r"\bto\s+(?:about\s+|around\s+|some\s+|at least\s+|between\s+)?$", re.I)
_PLAIN_FROM_BETWEEN = re.compile(
    r"^[^\d;]{0,40}?\bfrom\s+(?:the\s+|an?\s+|its\s+|her\s+|his\s+|their\s+)?$", re.I
)
_RIGHT_FIGURE_BETWEEN = re.compile(
    r"^[^\d;]{0,60}?\b(?:right|correct|true|actual|real|accurate|revised|new)\s+"
    r"(?:figure|number|total|toll|count|amount|tally)\s+(?:was|is|should be|should have been"
    r"|stood at|stands at|as)\s+(?:about\s+|around\s+)?$",
    re.I,
)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:an?\s+|the\s+)?$", re.I)
_PLAIN_TO_BETWEEN = re.compile(r"^[^\d;]{0,25}?\bto\s+$", re.I)
# "many of the 1,150 it had reported overnight": the figure then told as said before.
_PAST_AFTER = re.compile(
    r"\s+(?:that\s+|which\s+)?(?:[\w'’-]+\s+){0,3}?had\s+(?:been\s+)?(?:reported|said|given"
    r"|announced|put|counted|estimated|stated)\b",
    re.IGNORECASE,
)
_EARLIER_BEFORE = re.compile(
    r"(?:\b(?:correct|revis|updat|amend|replac)\w*\s+(?:[\w'’-]+\s+){0,5}(?:of|from|at|as)"
    r"|\bhad (?:put|given|stated|estimated|reported|counted|announced)(?: the| its| their| a)?"
    r" (?:[\w'’-]+\s+){0,3}?(?:at|as|of)|\b(?:had )?stood at|\b(?:first|initially|originally)"
    r" (?:put|given|estimated|reported) (?:at|as)"
    r"|\b(?:the|an|its|her|his|their) (?:earlier|previous|initial|original|first) (?:count|toll"
    r"|figure|tally|estimate|total|number)(?: of)?"
    r"|\ban earlier (?:version|edition|update) of (?:this|the) (?:post|story|article|report|page)"
    r"\s+(?:said|stated|reported|gave|put)(?:\s+that)?"
    r"|\b(?:earlier|previously|initially|originally|first)\s+(?:been\s+)?(?:reported|stated"
    r"|given|announced|estimated|put|said|thought|believed)(?:\s+(?:as|at|to be|to have been))?)"
    r"\s+(?:an?\s+|the\s+)?$",
    re.I,
)


_PREVIOUSLY_BETWEEN = re.compile(
    r"^[^\d;()\[\]]{0,30}?[(\[,]\s*(?:previously|earlier|initially|originally|formerly|was"
    r"|were|from|down from|up from|revised from|corrected from|not|instead of)\s+"
    r"(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_REVISED_TO_BETWEEN = re.compile(
    r"^[^\d;]{0,100}?\b(?:(?:was|were|had been|has been|have been|is being|being|been)\s+)?"
    r"(?:corrected|revised|changed|amended|adjusted|lowered|raised|cut|reduced|increased"
    r"|updated|downgraded|upgraded|brought down|scaled back|restated|walked back)"
    r"(?:\s+(?:down|up|downward|upward|downwards|upwards))?\s+to\s+"
    r"(?:about\s+|around\s+|some\s+|at least\s+|nearly\s+)?$",
    re.IGNORECASE,
)


# "revised the toll from 22 to 18", "rose from 40 to 52": a change verb a few words before.
_CHANGE_BEFORE_FROM = re.compile(
    r"\b(?:revis|correct|lower|rais|updat|cut|reduc|increas|decreas|adjust|amend|chang"
    r"|downgrad|upgrad|rose|rise|risen|rising|climb|jump|fell|fall|dropp|grew|grow|brought"
    r"|push|slash|hik|scal|trim|knock|pare|went)\w*\s+(?:[\w'’-]+\s+){0,6}?from\s+"
    r"(?:an?\s+|the\s+)?$",
    re.I,
)


def changes_from(before: str) -> bool:
    """Whether the words before a "from X to Y" say the figure changed (not a range)."""
    return bool(_CHANGE_BEFORE_FROM.search(before))


def changes_by(before: str) -> bool:
    """Whether the words before a "by X to Y" say by how much a figure changed."""
    return bool(_BY_BEFORE.search(before))


def find_correction(sentence: str, qs: list[Quantity]) -> tuple[Quantity, Quantity] | None:
    """(old, new) when the sentence states that one figure replaces another."""
    for a, b in zip(qs, qs[1:], strict=False):
        between, before_a = sentence[a.end : b.start], text_before(sentence, a.start)
        if _NOT_BETWEEN.match(between) or _FROM_BETWEEN.match(between):
            return b, a  # "57, not 63"; "52, up from 40"
        if _RIGHT_FIGURE_BETWEEN.match(between):
            return a, b  # "had put the cut at £2.1 billion, saying the right figure was £1.2bn"
        if _PREVIOUSLY_BETWEEN.match(between):
            return b, a  # "27 dead (previously 19)"
        if _REVISED_TO_BETWEEN.match(between):
            return a, b  # "the figure of 23 deaths ... had been corrected to 14"
        if _TO_BEFORE.search(before_a) and _PLAIN_FROM_BETWEEN.match(between):
            return b, a  # "revised to 18 from 22"
        if (
            _FROM_BEFORE.search(before_a)
            and _PLAIN_TO_BETWEEN.match(between)
            and _CHANGE_BEFORE_FROM.search(text_before(sentence, a.start, 60))
        ):
            return a, b  # "revised the toll from 22 to 18"; a bare "from 10 to 20" is a range
    for old in qs:
        if _EARLIER_BEFORE.search(text_before(sentence, old.start)) or _PAST_AFTER.match(
            sentence, old.end
        ):
            new = _nearest_other(qs, old)
            if new is not None:
                return old, new  # "45 died, correcting the earlier reported toll of 72"
    return None


def _nearest_other(qs: list[Quantity], old: Quantity) -> Quantity | None:
    others = [q for q in qs if q is not old and (q.unit == old.unit or not old.unit)]
    return min(others, key=lambda q: abs(q.start - old.start), default=None)


def unify_correction(old: Quantity, new: Quantity) -> None:
    """Both figures of a correction describe the same thing."""
    # "52, not forty, homes": the noun after a figure names what both count.
    after = next((q.subject for q in (new, old) if q.subject and q.subject_after), "")
    subject = after or new.subject or old.subject
    unit = new.unit or old.unit
    for q in (old, new):
        q.subject, q.unit = subject, unit


# --------------------------------------------------------------------------- differences

_BY_TO = re.compile(r"^\s+(?:\w+\s+){0,2}?to\s+(?:about\s+|around\s+|at least\s+)?$", re.I)
_BY_BEFORE = re.compile(
    r"\b(?:rose|risen|rises|raised|raising|increased|cut|lowered|fell|fallen|dropped|reduced"
    r"|climbed|jumped|grew|grown|revised|up|down|upwards|downwards)\s+(?:[\w'’-]+\s+){0,8}?"
    r"by\s+(?:another\s+|a further\s+)?$",
    re.I,
)
_MORE_AFTER = re.compile(r"^\s*(?:more|additional|further|new|extra|others?)\b", re.I)
_ANOTHER_BEFORE = re.compile(r"\b(?:another|a further|an additional)\s+$", re.I)
_BRINGING = re.compile(
    r"\b(?:bring|bringing|brings|brought|take|taking|takes|took|push|pushing|pushed|rais"
    r"|lift|lifting|lifted)\w*\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,4}?to\s+"
    r"(?:about\s+|around\s+|at least\s+|some\s+)?$",
    re.I,
)


def find_difference(
    sentence: str, qs: list[Quantity]
) -> tuple[Quantity, Quantity, Quantity] | None:
    """(difference, old, new) when a revision is stated as a change: "raised the toll by
    nine to 48", "12 more bodies were found, bringing the toll to 52". The old value is
    the new one less (or plus) the difference."""
    for a, b in zip(qs, qs[1:], strict=False):
        if a.unit != b.unit or a.value_high is not None or b.value_high is not None:
            continue
        between, before_a = sentence[a.end : b.start], text_before(sentence, a.start, 80)
        if _BY_BEFORE.search(before_a) and _BY_TO.match(between):
            sign = -1 if _FALL.search(text_before(sentence, a.start, 80)) else 1
            return a, _old(b, b.value - sign * a.value), b
        more = _MORE_AFTER.match(sentence[a.end : a.end + 30]) or _ANOTHER_BEFORE.search(before_a)
        if more and _BRINGING.search(text_before(sentence, b.start, 80)):
            return a, _old(b, b.value - a.value), b
    return None


_FALL = re.compile(
    r"\b(?:lower|cut|reduc|decreas|fell|fall|dropp|down|scal\w* back|brought down)", re.I
)


def _old(new: Quantity, value) -> Quantity:
    value = int(value) if float(value).is_integer() else value
    return Quantity(value, new.unit, new.start, new.start, subject=new.subject, figure=new.figure)


# --------------------------------------------------------------------------- across sentences

_PAST_MARK = re.compile(
    r"\b(?:had (?:said|given|reported|stated|estimated|announced|counted|told)"
    r"|had put (?:the|its|their) (?:[\w'’-]+\s+){0,3}?at"
    r"|earlier (?:said|put|gave|reported|stated|announced|toll|figure|count|estimate)"
    r"|(?:initially|originally|previously|first) (?:said|put|gave|reported|stated|announced"
    r"|estimated|counted)|an earlier (?:version|toll|figure|count|estimate|report)"
    r"|the earlier (?:toll|figure|count|estimate)|the previous (?:toll|figure|count|estimate)"
    r"|previously (?:reported|stated|given)|was previously|were previously)\b",
    re.IGNORECASE,
)


def revision_cue(sentence: str) -> bool:
    """Whether the sentence reads as a figure being revised, not merely stated."""
    return bool(_CUE.search(sentence))


_CUE = re.compile(
    r"^\s*(?:correction|update[d]?|clarification)\b"
    r"|\b(?:revis\w*|correct(?:ed|ing|s|ion)|lowered|raised|updated|adjusted|amended|cut"
    r"|increased|decreased|downgraded|upgraded|restated|walked back|scaled back|brought down"
    r"|knocked|trimmed|pared|slashed|nudged|bumped"
    r"|(?:true|real|actual|correct|right|revised|updated) (?:figure|number|toll|count|total)"
    r"|now"
    r"|(?:has|have|had) (?:risen|climbed|jumped|fallen|dropped|grown|reached)"
    r"|(?:rose|rises|climbed|climbs|jumped|jumps|fell|falls|dropped|drops|grew|grows"
    r"|soared|surged|reached|reaches) to|new (?:toll|figure|count|tally|estimate)"
    r"|latest (?:toll|figure|count|tally|estimate)|bringing|taking the"
    r"|raising)\b",
    re.IGNORECASE,
)


_STRONG_CUE = re.compile(
    r"^\s*(?:correction|clarification)\b"
    r"|\b(?:revis\w*|correct(?:ed|ing|s|ion)|lowered|raised|updated|adjusted|amended"
    r"|downgraded|upgraded|restated|walked back|scaled back)\b",
    re.IGNORECASE,
)


def strong_revision_cue(sentence: str) -> bool:
    """Whether the sentence says in so many words that a figure was revised: only then is a
    new value from another source a correction rather than a disagreement."""
    return bool(_STRONG_CUE.search(sentence))


def is_past_figure(sentence: str, q: Quantity | None = None) -> bool:
    """Whether the sentence tells a figure as what was said before ("officials had said 40"):
    the figure ``q`` in particular, when the words just before it say so."""
    if q is None:
        return bool(_PAST_MARK.search(sentence))
    return bool(_PAST_MARK.search(sentence, max(0, q.start - 80), q.start))
