"""The figures a sentence states: number words, digits, scales, units and currencies.

Dates, times, years, identifiers ("flight 752") and restated conversions are not
figures and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.lib.extraction.text import Tok, text_after, text_before, tokens

# --------------------------------------------------------------------------- numbers

_ONES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
NUMBER_WORDS = frozenset([*_ONES, *_TENS, "hundred", "dozen", *_SCALES])
_NUMBER_WORD = "|".join([*_ONES, *_TENS, "hundred", "dozen", *_SCALES])
_WORDS_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_DIGITS_RE = re.compile(
    r"(?<![\w.,/:#])(?<![^\W\d_]-)(?<!--)(?P<cur>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![.,]\d)(?P<suffix>[^\W\d_]*%?)"
)
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR"}
_SUFFIX_UNITS = {"km": "km", "kg": "kg", "m": "m", "mi": "mi", "%": "%", "bn": None, "k": None}
_SUFFIX_SCALE = {"bn": 1_000_000_000, "k": 1_000}
_UNIT_WORDS = {
    "km": "km", "kilometers": "km", "kilometres": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kg": "kg", "kilograms": "kg", "tonnes": "t", "tons": "t", "percent": "%", "%": "%",
    "mph": "mph", "feet": "ft", "foot": "ft", "ft": "ft", "hectares": "ha", "acres": "acre",
    "dollars": "USD", "euros": "EUR", "barrels": "barrels", "litres": "l", "liters": "l",
    "degrees": "degrees", "hours": "hours", "hour": "hours", "days": "days", "day": "days",
    "weeks": "weeks", "week": "weeks", "months": "months", "month": "months",
    "years": "years", "year": "years", "minutes": "minutes", "minute": "minutes",
}  # fmt: skip
_DURATIONS = frozenset(("hours", "days", "weeks", "months", "years", "minutes"))
_RELATIVE_TIME = re.compile(r"^\s*(?:ago|after|before|later|earlier|since|into)\b", re.I)
_IDENTIFIER_BEFORE = re.compile(
    r"\b(?:(?:flight|train)\s+(?-i:[A-Z]{1,4})|wards?|flight|train|route|article|resolution"
    r"|section|chapter|page|no\.?|number|room|gate"
    r"|platform|highway|bus|line|vol\.?|volume|paragraph|clause|amendment|episode|season"
    r"|rule|code|level|phase|grade|category|class|version|model|unit|#)\s*$",
    re.IGNORECASE,
)
# Months as dates write them, capitalised: "5 March", not "40 may have died", "5,000 march".
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_AFTER = re.compile(rf"^\s*(?:of\s+)?{_MONTHS}\b")
_DATE_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s*$")
_TIME_AFTER = re.compile(
    r"^(?::\d|\s*(?:[ap]\.?m\b\.?|gmt|bst|utc|est|edt|cet|local time|hrs\b))", re.I
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|of|year|early|late|mid|through|during|before|after"
    r"|between|and|the|to|summer|winter|spring|autumn|fall)\s*$",
    re.IGNORECASE,
)
# "Maren Solvik, 52, told reporters": a name's age.
_NAME_COMMA = re.compile(r"\b[A-Z][a-z’'-]+,\s*$")
_RANGE_OF_IDS_BEFORE = re.compile(
    r"\b(?:wards?|rooms?|platforms?|gates?|routes?|sections?|articles?|pages?|lines?)\s+\d+"
    r"\s*(?:to|-|–|and)\s*$",
    re.IGNORECASE,
)
_COUNT_VERB_BEFORE = re.compile(
    r"\b(?:(?:rose|risen|rises|climbed|jumped|fell|dropped|grew|revised|raised|lowered|cut)"
    r"\s+to|reached|killed|kills|killing|toll of|at least|more than|nearly|some|about)\s*$",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(
    r"\b(?:children|child|kids|babies|infants|people|those|adults|men|women|girls|boys|aged"
    r"|age)\s+(?:under|over|aged|below|above|of)?\s*$",
    re.IGNORECASE,
)
_CONVERSION_BEFORE = re.compile(
    r"\d\s*[^\W\d_]*%?\s*\(\s*(?:about|around|some|roughly|approximately|nearly|almost|or)?\s*$"
)


@dataclass
class Quantity:
    value: int | float
    unit: str | None
    start: int
    end: int
    word_form: bool = False
    subject: str = ""
    value_high: int | float | None = None
    approximation: str = "exact"
    figure: str = ""
    # The figure key's parts: what happened to whom, and the place it is limited to.
    base: str = ""
    place: str = ""
    # Whether the figure counts a part of the one before it ("six of them").
    part: bool = False
    # Whether the subject was read after the figure ("40 people") rather than before it.
    subject_after: bool = False

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "subject": self.subject,
            "figure": self.figure,
            "approximation": self.approximation,
            "value_high": self.value_high,
        }

    @property
    def stated(self) -> int | float | list:
        """The value as a correction names it: a number, or [low, high] for a range."""
        return self.value if self.value_high is None else [self.value, self.value_high]


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 1e18 else float(value)


# A number is read as a figure, or not, from the few words either side of it; the patterns
# that look back span at most a few short words, so they are given only this much text.
_NEAR = 40

Number = tuple[int, Quantity | None]


def digit_numbers(sentence: str) -> Iterator[Number]:
    """Each number written in digits, in reading order: where it starts, and the figure it
    states (None for a date, a time, an identifier or a code)."""
    for m in _DIGITS_RE.finditer(sentence):
        q = _digit_quantity(sentence, m)
        if q is not None and _is_date_or_id(sentence, q, m.group("num")):
            q = None
        yield m.start(), q


def _digit_quantity(sentence: str, m: re.Match) -> Quantity | None:
    suffix = m.group("suffix").lower()
    if suffix and suffix not in _SUFFIX_UNITS:
        return None  # ordinals, decades, times like 10am, codes like 5G
    try:
        value = float(m.group("num").replace(",", ""))
    except ValueError:
        return None
    unit = _CURRENCIES.get(m.group("cur") or "")
    if suffix == "m" and unit:
        value, suffix = value * 1_000_000, ""
    value *= _SUFFIX_SCALE.get(suffix, 1)
    unit = unit or _SUFFIX_UNITS.get(suffix)
    q = Quantity(value, unit, m.start(), m.end())
    compound = _COMPOUND_UNIT.match(sentence, m.end())
    if compound and not suffix and unit is None:  # "a 2-mile radius", "a 10-km stretch"
        q.unit, q.end = _UNIT_WORDS[compound.group(1).lower()], compound.end()
        q.value = _tidy(q.value)
        return q
    _attach_unit_words(sentence, q)
    return q


_COMPOUND_UNIT = re.compile(
    r"-(mile|km|kilometre|kilometer|metre|meter|foot|feet)\b", re.IGNORECASE
)
_SCALE_AFTER = re.compile(r"\s*(thousand|million|billion|trillion|bn|m)\b", re.I)
_UNIT_AFTER = re.compile(
    r"\s*(per ?cent\b|percentage points?\b|%|km/h\b|km an hour\b|km per hour\b|kph\b"
    r"|parts per million\b|ppm\b|(?-i:[A-Z]{3})\b|[^\W\d_]+)",
    re.I,
)
# Units written as more than a word, and currencies named by their code or their name.
_PHRASE_UNITS = {
    "km/h": "km/h", "km an hour": "km/h", "km per hour": "km/h", "kph": "km/h",
    "parts per million": "ppm", "ppm": "ppm", "percentage point": "%", "percentage points": "%",
}  # fmt: skip
_CURRENCY_CODES = frozenset(
    "USD EUR GBP VND IRR INR KES NGN CNY JPY CHF CAD AUD PKR BDT IDR PHP EGP TRY ZAR".split()
)
_CURRENCY_WORDS = {
    "rials": "IRR", "rial": "IRR", "dong": "VND", "rupees": "INR", "rupee": "INR",
    "yuan": "CNY", "naira": "NGN", "yen": "JPY", "pounds": "GBP", "francs": "CHF",
}  # fmt: skip


def _attach_unit_words(sentence: str, q: Quantity) -> None:
    """Extend the quantity over a following scale word and unit ("1.5 million", "50 km")."""
    m = _SCALE_AFTER.match(text_after(sentence, q.end))
    if m and (m.group(1).lower() != "m" or q.unit):
        q.value *= _SCALES.get(m.group(1).lower(), 10**9 if m.group(1) == "bn" else 10**6)
        q.end += m.end()
    m = _UNIT_AFTER.match(text_after(sentence, q.end))
    if m and q.unit is None:
        raw = m.group(1)
        word = raw.lower()
        if raw in _CURRENCY_CODES:
            unit = raw
        elif word in ("per cent", "percent", "%"):
            unit = "%"
        else:
            unit = _PHRASE_UNITS.get(word) or _UNIT_WORDS.get(word) or _CURRENCY_WORDS.get(word)
        if unit is not None:
            q.unit, q.end = unit, q.end + m.end()
    q.value = _tidy(q.value)


def _is_date_or_id(sentence: str, q: Quantity, raw: str) -> bool:
    before, after = text_before(sentence, q.start, _NEAR), text_after(sentence, q.end)
    if _DATE_AFTER.match(after) or _DATE_BEFORE.search(before) or _TIME_AFTER.match(after):
        return True
    if _IDENTIFIER_BEFORE.search(before) or _RANGE_OF_IDS_BEFORE.search(before):
        return True  # "flight 752"; "wards 4 to 11"
    if re.match(r"^-[^\W\d_]", after) and not q.unit:
        return True  # flight 752, Resolution 2231, compound modifiers like "45-year-old"
    if q.unit in _DURATIONS and _RELATIVE_TIME.match(after):
        return True  # "six days after", "two years ago": timing, not a figure to check
    if _AGE_BEFORE.search(before) or (_NAME_COMMA.search(before) and after.startswith(",")):
        return True  # "children under five": an age, not a count
    if q.unit and _CONVERSION_BEFORE.search(before):
        return True  # "50 km (30 miles)": the bracketed figure restates the first
    return _looks_like_year(raw, q, before, after)


def _looks_like_year(raw: str, q: Quantity, before: str, after: str) -> bool:
    if not re.fullmatch(r"\d{4}", raw) or q.unit or not 1800 <= q.value <= 2100:
        return False
    if _COUNT_VERB_BEFORE.search(before):
        return False  # "the death toll rose to 2000", "the quake killed 1900"
    if _YEAR_BEFORE.search(before):
        return True
    nxt = tokens(after[:40])
    return not (nxt and is_np_word(nxt[0]) and nxt[0].text.islower())


def _parse_number_words(words: list[str]) -> list[tuple[int, int, int]]:
    """Parse number words into (value, first word, last word + 1) runs.

    A run stops where the words stop forming one number ("two three" is two runs).
    """
    runs, start, total, current, last = [], 0, 0, 0, None
    for i, word in enumerate(words):
        kind, val = _word_kind(word)
        if last is not None and kind not in _NEXT_KIND[last]:
            runs.append((total + current, start, i))
            start, total, current, last = i, 0, 0, None
        if kind in ("unit", "teen", "ten"):
            current += val
        elif kind in ("hundred", "dozen"):
            current = max(current, 1) * val
        else:
            total, current = total + max(current, 1) * val, 0
        last = kind
    runs.append((total + current, start, len(words)))
    return runs


_NEXT_KIND = {
    "unit": {"hundred", "scale", "dozen"},
    "teen": {"hundred", "scale"},
    "ten": {"unit", "scale"},
    "hundred": {"unit", "teen", "ten", "scale"},
    "dozen": {"scale"},
    "scale": {"unit", "teen", "ten", "hundred"},
}


def _word_kind(word: str) -> tuple[str, int]:
    if word in _ONES:
        return ("unit" if _ONES[word] < 10 else "teen"), _ONES[word]
    if word in _TENS:
        return "ten", _TENS[word]
    if word in ("hundred", "dozen"):
        return word, 100 if word == "hundred" else 12
    return "scale", _SCALES[word]


_ONE_PRONOUN_BEFORE = re.compile(r"\b(?:no|any|every|each|the|this|that|which|a)\s*$", re.I)
_ONE_PRONOUN_AFTER = re.compile(r"^\s*(?:of|another|by|or)\b", re.I)


def word_numbers(sentence: str) -> Iterator[Number]:
    """Each number written in words ("one hundred and seventy-six"), as ``digit_numbers``."""
    for m in _WORDS_RE.finditer(sentence):
        spans = [w for w in re.finditer(r"[A-Za-z]+", m.group()) if w.group().lower() != "and"]
        words = [w.group().lower() for w in spans]
        for value, first, last in _parse_number_words(words):
            start, end = m.start() + spans[first].start(), m.start() + spans[last - 1].end()
            yield start, _word_quantity(sentence, words[first], value, start, end)


def _word_quantity(sentence: str, first: str, value: int, start: int, end: int) -> Quantity | None:
    if first in ("hundred", "dozen", *_SCALES):
        return None  # "hundreds", "a dozen": too vague to check
    if value == 1 and (
        _ONE_PRONOUN_BEFORE.search(text_before(sentence, start, _NEAR))
        or _ONE_PRONOUN_AFTER.match(text_after(sentence, end))
    ):
        return None  # "no one", "one of", "one another": not a count
    q = Quantity(value, None, start, end, word_form=True)
    _attach_unit_words(sentence, q)
    return None if _is_date_or_id(sentence, q, "") else q


# --------------------------------------------------------------------------- noun-phrase words

# Function words and common verbs: they end noun phrases when scanning for a subject.
_STOP = frozenset(
    """a an the this that these those its it their his her our my your some any all each
    every no nor not of in on at to for from by with without into onto over under about
    after before since until during between among against as than then and or but so yet
    if while when where which who whom whose what how why there here is was are were be
    been being am has have had having do does did will would could should may might must
    can shall said says say told tell added stated according reported including include
    includes more most less least only just also very up down out off per via including
    near across around toward towards through amid despite like unlike such both either
    neither other another same own again further once now later earlier today yesterday
    tonight still already even about approximately roughly nearly almost some estimated
    least total last next he she they we i you closer because although though unless
    whereas whether saying adding noting within beyond outside inside upwards upward
    downwards downward again nearer overnight""".split()
)
VERBISH = frozenset(
    """died killed kill kills killing injured wounded arrested detained missing remain
    remained remains rose fell stood stands stand reached hit dropped increased decreased
    grew climbed jumped went came left made took became become were show shows showed
    fled lost lose died dead confirmed reported believed thought expected revised raised
    lowered cut put set declined caused causing""".split()
)
_WEEKDAYS_MONTHS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec""".split()
)


def is_np_word(tok: Tok) -> bool:
    """A word that can sit inside a noun phrase naming what a number counts."""
    if not tok.is_word or tok.lower in _STOP or tok.lower in _WEEKDAYS_MONTHS:
        return False
    if all(part in NUMBER_WORDS for part in tok.lower.split("-")):
        return False
    return not (tok.lower.endswith("ly") and len(tok.lower) > 4)
