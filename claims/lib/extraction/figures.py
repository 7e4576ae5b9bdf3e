"""Figures, not just numbers: what a number is a value of, how exact it is, and ranges.

Newsrooms name one figure many ways ("the death toll", "40 people have died", "31 dead",
"bodies recovered", "fatalities") and different figures alike ("40 dead" and "12
missing"; "confirmed" and "suspected" cases; one district and the whole province).
``figure_key`` maps a subject, with the qualifiers around it, to one key per figure:
what happened to whom ("killed", "missing", "injured", "evacuated", …) and what
narrows it ("confirmed", "children", "kora"); other subjects keep their own words.
"""

from __future__ import annotations

import re

from claims.lib.extraction.corrections import changes_by, changes_from
from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.subjects import DEMONYMS, subject_key
from claims.lib.extraction.text import text_after, text_before

# --------------------------------------------------------------------------- what happened

_STATE_WORDS = {
    "killed": """dead died die dies dying death deaths killed kill killing fatalities fatality
        fatal perished perish toll tolls bodies body lives life victims victim casualties
        drowned martyrs martyred""",
    "missing": "missing unaccounted disappeared",
    "injured": "injured injuries injury wounded hurt",
    "evacuated": "evacuated evacuees evacuation evacuate",
    "displaced": "displaced homeless",
    "rescued": "rescued saved",
    "aboard": "aboard board",
    "arrested": "arrested detained arrests detentions",
    "hospitalised": "hospitalised hospitalized hospital treated",
    "cases": "cases case infected infections infection positive",
    "recovered": "recoveries recovered",
}
_STATE = {word: state for state, words in _STATE_WORDS.items() for word in words.split()}
# "bodies recovered" is the toll, not recoveries from illness.
_BODY_WORDS = frozenset(("bodies", "body"))
# Words that make another figure of the same count: "confirmed" and "suspected" cases,
# children, crew, workers.
_QUALIFIERS = frozenset(
    """confirmed suspected probable presumed children child adults adult women men
    passengers passenger crew foreigners foreign nationals tourists workers miners
    soldiers civilians police firefighters students pupils staff patients residents
    new daily weekly""".split()
)
_SINGULAR = {
    "children": "child", "adults": "adult", "passengers": "passenger", "women": "woman",
    "men": "man", "foreigners": "foreigner", "tourists": "tourist", "workers": "worker",
    "miners": "miner", "soldiers": "soldier", "civilians": "civilian", "students": "student",
    "pupils": "pupil", "patients": "patient", "residents": "resident", "nationals": "national",
    "foreign": "foreigner",
}  # fmt: skip
# Heads that only say "how many": the state word says what.
_GENERIC = frozenset(
    """people person persons individuals others total number figure count tally toll
    overall official officially estimate estimates""".split()
)
# "57 Canadian victims" is not the 176 aboard.
_NATIONALITIES = frozenset(DEMONYMS.values())
_COUNTED = frozenset("count number total figure tally estimate".split()) | _QUALIFIERS
_PLACE_AFTER = re.compile(
    r"^[^.;!?,\d]{0,40}?\b(?:in|across|from|of)\s+(?:the\s+)?"
    r"(?P<place>(?:[A-Z][\w'’-]+\s+){0,2}?[A-Z][\w'’-]+)"
    r"(?:\s+(?:district|province|region|county|state|city|village|town|area|valley))?",
)
_WHOLE_AREA = re.compile(
    r"^[^.;!?,\d]{0,40}?\b(?:across|throughout|in|for)\s+the\s+(?:whole\s+|entire\s+)?"
    r"(?P<area>province|country|region|state|district|county|island|city)\b",
    re.IGNORECASE,
)
_NATIONWIDE = re.compile(r"\b(?:nationwide|nationally|across the country|national)\b", re.I)
# Capitalised words that are not places when they follow "in".
_NOT_PLACES = frozenset(
    """The A An Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Parliament""".split()
)


def figure_key(q: Quantity, sentence: str) -> str:
    """The key shared by every mention of the figure ``q`` states in ``sentence``."""
    words = re.findall(r"[^\W\d_]+", q.subject.lower())
    if q.unit and q.unit != "%":
        return _other_key(q)  # "the evacuation zone to 3 miles" measures; it counts no one
    state = next((_STATE[w] for w in words if w in _STATE), None)
    if state is None:
        state = _state_after(sentence, q) or _state_before(sentence, q)
    if state is None and set(words) <= _GENERIC | _QUALIFIERS and set(words) & _COUNTED:
        state = "*"  # "the confirmed count": a count of something named before
    if state is None:
        return _other_key(q)
    if state == "recovered" and _BODY_WORDS & set(words):
        state = "killed"
    qualifiers = sorted(
        {
            _SINGULAR.get(w, w)
            for w in words
            if (w in _QUALIFIERS or w in _NATIONALITIES) and _STATE.get(w) != state
        }
    )
    m = _QUALIFIER_AFTER.match(text_after(sentence, q.end)[:60]) or _CONFIRMED_AFTER.match(
        text_after(sentence, q.end)[:60]
    )
    if m:
        qualifiers = sorted({*qualifiers, _SINGULAR.get(m.group(1).lower(), m.group(1).lower())})
    q.place = _place(sentence, q) or ""
    if q.part and not q.place:
        qualifiers.append("part")
    q.base = " ".join([state, *qualifiers])
    return f"{q.base} {q.place}" if q.place else q.base


_CONFIRMED_AFTER = re.compile(
    r"^\s+\w+\s+(?:(?:had|have|has)\s+)?(?:now\s+)?(?:been\s+)?(confirmed|suspected)\b", re.I
)
_QUALIFIER_AFTER = re.compile(
    r"^[^.;,!?\d]{0,40}?\b(?:were|are|was|is)\s+(?:all\s+)?"
    r"(children|women|men|foreigners|tourists|passengers|crew|soldiers|civilians|students)\b",
    re.IGNORECASE,
)


def _other_key(q: Quantity) -> str:
    """Figures that are not tolls: their subject's words, less what was done to them
    ("37 homes" and "homes destroyed" are one count), and a measure's unit."""
    key = subject_key(q.subject)
    kept = [w for w in key.split() if not w.endswith("ed")]
    key = " ".join(kept) if kept else key
    generic = set(re.findall(r"[^\W\d_]+", q.subject.lower())) <= _GENERIC | _COUNTED
    if (not key or generic) and q.unit:
        q.base = "*"  # "about 48,000 hectares": a measure, named by what it measures
        return f"({q.unit})"
    q.base = f"{key} ({q.unit})" if key and q.unit else key
    return q.base


_VERB_BEFORE = re.compile(
    r"\b(?P<verb>kill(?:s|ed|ing)?|claim(?:s|ed|ing)? the lives of|left|leaves|leaving"
    r"|injur(?:es|ed|ing)|wound(?:s|ed|ing)|hurt(?:ing)?|evacuat(?:es|ed|ing)|rescu(?:es|ed|ing)"
    r"|arrest(?:s|ed|ing)|detain(?:s|ed|ing))\s+"
    r"(?:at least\s+|about\s+|more than\s+|nearly\s+|some\s+|over\s+)?$",
    re.IGNORECASE,
)
_VERB_STATES = {
    "kill": "killed", "clai": "killed", "left": "killed", "leav": "killed", "inju": "injured",
    "woun": "injured", "hurt": "injured", "evac": "evacuated", "resc": "rescued",
    "arre": "arrested", "deta": "arrested",
}  # fmt: skip


def _state_before(sentence: str, q: Quantity) -> str | None:
    """What happened, said by the verb before the count: "Typhoon Halcón kills 39",
    "injuring 14 of them"."""
    m = _VERB_BEFORE.search(text_before(sentence, q.start, 40))
    return _VERB_STATES[m.group("verb")[:4].lower()] if m else None


_AREA_BEFORE = re.compile(
    r"\b(?:across|throughout|in)\s+the\s+(?:whole\s+|entire\s+)?"
    r"(?P<area>province|country|region|state|district|county|island|city)\s*,?\s*$",
    re.IGNORECASE,
)


_STATE_VERB_AFTER = re.compile(
    r"^[^.;,!?\d]{0,30}?\b(?:were|was|have been|has been|had been|are|is)?\s*"
    r"(?P<state>killed|dead|died|injured|wounded|hurt|missing|evacuated|displaced|rescued"
    r"|arrested|detained|hospitali[sz]ed|perished|drowned|lost their lives|taken to hospital"
    r"|in hospital|treated for (?:their )?injuries|treated in hospital|tested positive"
    r"|on board|aboard)\b",
    re.IGNORECASE,
)


_ASIDE = re.compile(r"^\s*[\w'’-]*\s*,\s*(?:including|among them|of whom|mostly)[^,.;]{0,50},")


def _state_after(sentence: str, q: Quantity) -> str | None:
    """ "at least 40 have died": the state can follow the figure without a noun between."""
    after = text_after(sentence, q.end)
    aside = _ASIDE.match(after)  # "Nine people, including two firefighters, were taken ..."
    m = _STATE_VERB_AFTER.match((after[aside.end() :] if aside else after)[:60])
    if not m:
        return None
    state = m.group("state").lower()
    return _STATE.get(state.split()[-1] if " " in state else state)


def _place(sentence: str, q: Quantity) -> str | None:  # noqa: PLR0911
    """The place a count is limited to ("12 died in Kora district"), if it names one."""
    after = text_after(sentence, q.end)[:90]
    if _NATIONWIDE.search(after[:60]):
        return "country"
    m = _WHOLE_AREA.match(after) or _AREA_BEFORE.search(text_before(sentence, q.start, 60))
    if m:
        return m.group("area").lower()
    m = _PLACE_AFTER.match(after)
    if not m:
        return None
    place = m.group("place")
    first = re.sub(r"['’]s$", "", place.split()[0])
    if first in _NOT_PLACES or not _is_place_context(after[: m.start("place")]):
        return None
    return place.lower()


def _is_place_context(before_place: str) -> bool:
    """Only a short run of the count's own words may sit between the figure and "in X"."""
    return not re.search(r"\b(?:said|says|told|according|while|but|and)\b", before_place)


# --------------------------------------------------------------------------- how exact

_ABOUT = re.compile(
    r"\b(?:about|around|roughly|approximately|some|close to|closer to|nearer|nearer to"
    r"|an estimated"
    r"|estimated|approx\.?|circa|c\.|an?\s+approximate)\s*$",
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    r"\b(?:at least|more than|over|upwards of|in excess of|no fewer than|not less than"
    r"|a minimum of|at a minimum|no less than)\s*$",
    re.IGNORECASE,
)
_AT_MOST = re.compile(
    r"\b(?:up to|at most|fewer than|less than|under|no more than|not more than|as many as"
    r"|nearly|almost|just under|below"
    r"|a maximum of)\s*$",
    re.IGNORECASE,
)
_AT_LEAST_AFTER = re.compile(r"^\s*(?:or more|and (?:more|counting)|\+|plus)\b", re.I)


def approximation(sentence: str, q: Quantity) -> str:
    before = text_before(sentence, q.start, 40)
    if _AT_LEAST.search(before) or _AT_LEAST_AFTER.match(text_after(sentence, q.end)[:15]):
        return "at_least"
    if _AT_MOST.search(before):
        return "at_most"
    if _ABOUT.search(before):
        return "about"
    return "exact"


# --------------------------------------------------------------------------- ranges

_RANGE_BETWEEN = re.compile(r"^\s*(?:and|-|–|—|to)\s*$", re.IGNORECASE)
_RANGE_DASH = re.compile(r"^\s*(?:-|–|—|to|or)\s*$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
_BY_ALONE_BEFORE = re.compile(r"\bby\s+$", re.IGNORECASE)
_NO_RANGE_BEFORE = re.compile(
    r"\b(?:up|down|rose|fell|risen|fallen|jumped|dropped|increased|decreased|climbed"
    r"|revised|raised|lowered|cut|changed|updated|corrected|adjusted)\s*$",
    re.IGNORECASE,
)


def join_ranges(sentence: str, qs: list[Quantity]) -> list[Quantity]:
    """ "between 30 and 35", "30 to 35", "30-35 people": one figure, from its low to its high."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if nxt is not None and _is_range(sentence, q, nxt):
            scale = _SCALE_ONLY_AFTER_HIGH.match(sentence, nxt.start)
            if scale and not _SCALE_WORD.match(sentence, q.end):
                q.value = q.value * _SCALE_OF[scale.group(1).lower()]  # "1.1 and 1.3 million"
                q.value = int(q.value) if float(q.value).is_integer() else q.value
            q.value_high = nxt.value
            q.end = nxt.end
            q.unit = q.unit or nxt.unit
            q.subject = nxt.subject or q.subject
            q.approximation = "range"
            out.append(q)
            i += 2
            continue
        out.append(q)
        i += 1
    return out


_SCALE_ONLY_AFTER_HIGH = re.compile(r"[\d.,]+\s+(thousand|million|billion)\b", re.I)
_SCALE_WORD = re.compile(r"\s+(?:thousand|million|billion)\b", re.I)
_SCALE_OF = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _is_range(sentence: str, low: Quantity, high: Quantity) -> bool:
    between = sentence[low.end : high.start]
    if low.unit and high.unit and low.unit != high.unit:
        return False
    if not isinstance(low.value, int | float) or high.value <= low.value:
        return False
    before = text_before(sentence, low.start, 80)
    if _BETWEEN_BEFORE.search(before):
        return bool(_RANGE_BETWEEN.match(between))
    if _FROM_BEFORE.search(before):  # "from 200 to 300 people"; "rose from 40 to 52" changes
        return not changes_from(before) and bool(_RANGE_DASH.match(between))
    if _BY_ALONE_BEFORE.search(before):  # "attacked by 20 to 30 gunmen"; "raised by nine to 48"
        return not changes_by(before) and bool(_RANGE_DASH.match(between))
    if _NO_RANGE_BEFORE.search(before):
        return False  # "up 40 to 52": a change, not a range
    return bool(_RANGE_DASH.match(between)) and (low.unit is None or high.unit == low.unit)


# --------------------------------------------------------------------------- names

_STATE_NAMES = {
    "killed": "deaths", "missing": "missing", "injured": "injured", "evacuated": "evacuated",
    "displaced": "displaced", "rescued": "rescued", "arrested": "arrested",
    "hospitalised": "hospitalised", "cases": "cases", "recovered": "recovered",
}  # fmt: skip


def figure_name(key: str) -> str:
    """A name for the figure ``key`` as a desk would write it, with the same subject key:
    "killed" is "Deaths", "cases confirmed" "Confirmed cases", "killed koharan" "Deaths in
    Koharan"."""
    words = [w for w in key.split() if w != "*"]
    if not words or words[0] not in _STATE_NAMES:
        name = " ".join(words)
        return name[:1].upper() + name[1:]
    state, rest = words[0], words[1:]
    qualifiers = [w for w in rest if w in _QUALIFIERS or w in _SINGULAR.values()]
    place = " ".join(w.capitalize() for w in rest if w not in qualifiers and w != "part")
    if state in ("killed", "cases", "recovered"):  # "Child deaths", "Confirmed cases"
        name = " ".join([*qualifiers, _STATE_NAMES[state]])
    else:  # "Injured passengers", "Missing children"
        name = " ".join([_STATE_NAMES[state], *(_PLURALS.get(w, f"{w}s") for w in qualifiers)])
    name = f"{name} in {place}" if place else name
    name = f"{name} (part of a count)" if "part" in rest else name
    return name[:1].upper() + name[1:]


# Subject keys make only regular plurals singular: "child" stays "child" in a name.
_PLURALS = {
    **{w: w for w in "child woman man foreigner".split()},
    **{w: w for w in "confirmed suspected probable presumed new daily weekly crew staff".split()},
}


def figure_of(name: str) -> str:
    """The figure key of a figure the desk named ("Canadian citizens killed on PS752" is
    "killed canadian"), to find the sentences that give it a value however they put it."""
    return figure_key(Quantity(0, None, 0, 0, subject=name), name)
