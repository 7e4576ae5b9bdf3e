"""Candidate-claim extraction from live-updates text.

``extract`` turns the raw text of a live blog, wire copy or rolling report into the
check-worthy sentences a verification desk should look at: who said it, which numbers it
states (with what they count), how check-worthy it is, and where numbers about the same
thing disagree or are corrected. Pure Python; the only dependency is pysbd.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pysbd

MAX_BYTES = 2 * 1024 * 1024
# Share of non-space characters that may be control/replacement characters before the
# input is treated as binary rather than text.
MAX_CONTROL_RATIO = 0.3

__all__ = ["ExtractionError", "extract", "subject_key", "MAX_BYTES"]


class ExtractionError(ValueError):
    """The input cannot be treated as live-updates text."""


# --------------------------------------------------------------------------- input checks

# Invisible formatting characters pasted in from CMSs and social embeds; they break word
# boundaries without carrying meaning. ZWJ/ZWNJ stay: they matter in Persian and emoji.
_INVISIBLE = dict.fromkeys(
    map(
        ord, "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    ),
    None,
)


def _validate(text: object) -> None:
    """Reject input that is not usable text, with a message an editor can act on."""
    if not isinstance(text, str):
        raise ExtractionError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ExtractionError(f"text is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
    if "\x00" in text:
        raise ExtractionError("text contains NUL bytes; it looks like a binary file")
    visible = [c for c in text.translate(_INVISIBLE) if not c.isspace()]
    if not visible:
        raise ExtractionError("text is empty")
    bad = sum(1 for c in visible if _is_binary_char(c))
    if bad / len(visible) > MAX_CONTROL_RATIO:
        raise ExtractionError("text is mostly control or binary characters; it is not text")


def _is_binary_char(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


def _normalise(text: str) -> str:
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


# --------------------------------------------------------------------------- sentences

_BOILERPLATE = re.compile(
    r"^(?:read more|full coverage|more to follow|more soon|click here|watch|listen"
    r"|follow (?:us|our|live)|sign up|subscribe|advertisement|share this|see also|related"
    r"|refresh|this (?:page|blog|story) (?:will|is being)|we(?:'ll| will) (?:bring|have|update)"
    r"|live updates?\b|updated?\s*:|breaking\s*:?$|developing\s*:?$)",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…\"'”’)\]]\s*$")
_HEADING_MAX_WORDS = 15


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _sentences(text: str) -> list[str]:
    """Split per line first (live blogs put one post or paragraph per line), then pysbd."""
    out: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or _is_heading(line):
            continue
        parts = [p for chunk in _chunks(line) for p in _segment(chunk)]
        for sentence in _merge_open_quotes(parts):
            if sentence and not _BOILERPLATE.match(sentence):
                out.append(sentence)
    return out


# pysbd slows down sharply on very long paragraphs, so long lines are cut at likely
# sentence ends first; pysbd still decides the actual boundaries inside each chunk.
_CHUNK_CHARS = 4000
_ROUGH_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])")


def _chunks(line: str) -> list[str]:
    if len(line) <= _CHUNK_CHARS:
        return [line]
    chunks, current = [], ""
    for piece in _ROUGH_BOUNDARY.split(line):
        while len(piece) > _CHUNK_CHARS:  # no sentence end in sight: cut at a space
            cut = piece.rfind(" ", 0, _CHUNK_CHARS) + 1 or _CHUNK_CHARS
            chunks.append(piece[:cut])
            piece = piece[cut:]
        if current and len(current) + len(piece) > _CHUNK_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current} {piece}" if current else piece
    return [*chunks, current] if current else chunks


def _is_heading(line: str) -> bool:
    """Short lines without closing punctuation are headlines, timestamps or labels."""
    return not _TERMINAL.search(line) and len(line.split()) <= _HEADING_MAX_WORDS


def _segment(line: str) -> list[str]:
    try:
        parts = _segmenter().segment(line)
    except Exception:  # pysbd has known crash inputs; a naive split still yields sentences
        parts = re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", line)
    return [p.strip() for p in parts if p.strip()]


def _quote_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


# A stray quote mark must not glue the rest of a long paragraph into one "sentence".
_MAX_QUOTE_CHARS = 1500


def _merge_open_quotes(parts: list[str]) -> list[str]:
    """Keep a multi-sentence quotation and its attribution together as one statement."""
    merged: list[str] = []
    for part in parts:
        if merged and _quote_open(merged[-1]) and len(merged[-1]) < _MAX_QUOTE_CHARS:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)*|\S")


@dataclass
class _Tok:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def base(self) -> str:
        """Lowercase word without a possessive ending."""
        return re.sub(r"['’]s?$", "", self.lower)


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


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
    least total""".split()
)
_VERBISH = frozenset(
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


def _is_np_word(tok: _Tok) -> bool:
    """A word that can sit inside a noun phrase naming what a number counts."""
    if not tok.is_word or tok.lower in _STOP or tok.lower in _WEEKDAYS_MONTHS:
        return False
    if all(part in _NUMBER_WORDS for part in tok.lower.split("-")):
        return False
    return not (tok.lower.endswith("ly") and len(tok.lower) > 4)


# --------------------------------------------------------------------------- speakers

_SPEECH = (
    "said|says|say|told|tells|added|adds|announced|announces|stated|states|claimed|claims"
    "|reported|reports|continued|acknowledged|acknowledges|believe|believes|reiterated"
    "|confirmed|confirms|denied|denies|warned|warns|insisted|insists|noted|notes|explained"
    "|declared|tweeted|wrote|writes|posted|argued|argues|alleged|alleges|estimated"
    "|estimates|suggested|chanted|testified|admitted|admits|disclosed|revealed|asserted"
)
# Case-sensitive on purpose: "States" in "United States" is not a speech verb.
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH})\b|\b[Aa]ccording to\b")
_SPEAKER_SKIP = frozenset(
    """also just has have had later earlier again then previously separately reportedly
    further repeatedly today yesterday publicly privately once now first initially
    originally recently""".split()
)
# Lowercase words that still belong to a speaker phrase ("senior Trump administration
# officials", "police sources", "the ministry's spokesman").
_ROLE_WORDS = frozenset(
    """official officials source sources spokesman spokeswoman spokesperson spokespeople
    minister ministry ministers president vice prime foreign defence defense interior
    health security intelligence military police army government administration senior
    junior top former deputy chief head director secretary general commander commanders
    investigator investigators witness witnesses resident residents analyst analysts
    expert experts authorities authority agency agencies news outlet outlets media
    multiple several many some local western anonymous unnamed diplomat diplomats
    diplomatic state federal regional provincial city hospital medical medics doctors
    rescue emergency workers staff aid group groups organisation organization company
    airline airlines spokesmen officers officer protesters activists lawmakers lawmaker
    senator senators representative prosecutor prosecutors judge court statement
    one two three four five six seven eight nine ten team leader leaders of mayor
    governor sheriff coroner chairman chairwoman chair ambassador envoy colonel captain
    inspector superintendent detective councillor councilor premier chancellor professor
    scientist scientists researcher researchers economist economists lawyer lawyers
    attorney attorneys eyewitness eyewitnesses survivor survivors relatives neighbours
    neighbors campaigners union board report reports study survey data figures""".split()
)
_LEADING_DROP = frozenset(
    "the a an but and so then meanwhile however now also still later earlier yet or".split()
)
_PRONOUNS = frozenset("he she".split())
_NOT_SPEAKERS = frozenset("i we you it they this that there which who what these those".split())
_APPOSITIVE_START = frozenset("a an the who whose which".split())
_ORG_WORDS = frozenset(
    """department ministry agency office council committee court army police news times
    post guardian reuters press house senate congress government administration
    pentagon kremlin commission union party service forces""".split()
)


@dataclass
class _Speaker:
    text: str | None
    start: int
    end: int
    pronoun: bool = False


def _find_speaker(sentence: str) -> _Speaker | None:
    """The first attribution in the sentence, in reading order."""
    toks = _tokens(sentence)
    quoted = [m.span() for m in _QUOTED.finditer(sentence)]
    for cue in _SPEECH_RE.finditer(sentence):
        if any(start < cue.start() < end for start, end in quoted):
            continue  # "as the Secretary has said" inside a quote is not the attribution
        idx = next((i for i, t in enumerate(toks) if t.start == cue.start()), None)
        if idx is None:
            continue
        if cue.group().lower() == "according to":
            found = _phrase_after(sentence, toks, idx + 2)
        else:
            found = _phrase_before_quote(sentence, cue.start()) or _phrase_before(
                sentence, toks, idx
            )
            if found is None and idx > 0 and toks[idx - 1].text in ',"”:':
                found = _phrase_after(sentence, toks, idx + 1)
        if found is not None:
            return found
    return None


_QUOTE_THEN = re.compile(
    r"[,.!?…][\"”’]\s+(?P<np>(?:[\w'’-]+\s+){0,7}?[\w'’-]+)\s+"
    rf"(?:(?:{'|'.join(sorted(_SPEAKER_SKIP))})\s+)?$"
)


def _phrase_before_quote(sentence: str, verb_start: int) -> _Speaker | None:
    """`"...," anti-government protesters in Babil province chanted`: everything between
    the closing quote and the verb is the speaker, lowercase words included."""
    m = _QUOTE_THEN.search(sentence[:verb_start])
    if not m:
        return None
    return _make_speaker(sentence, _tokens_in(sentence, m.start("np"), m.end("np")))


def _tokens_in(sentence: str, start: int, end: int) -> list[_Tok]:
    return [t for t in _tokens(sentence) if t.start >= start and t.end <= end]


def _phrase_before(sentence: str, toks: list[_Tok], idx: int) -> _Speaker | None:
    """Speaker phrase ending right before the speech verb at ``idx``."""
    i = idx - 1
    while i >= 0 and toks[i].lower in _SPEAKER_SKIP:
        i -= 1
    i = _skip_appositive(toks, i)
    end = i
    while i >= 0 and _is_speaker_word(toks[i]):
        i -= 1
    return _make_speaker(sentence, toks[i + 1 : end + 1])


def _skip_appositive(toks: list[_Tok], i: int) -> int:
    """Step over ", a senior investigator at Bellingcat," back to the name before it."""
    if i < 1 or toks[i].text != ",":
        return i
    for j in range(i - 1, max(-1, i - 25), -1):
        if toks[j].text == ",":
            return j - 1 if toks[j + 1].lower in _APPOSITIVE_START else i
        if not toks[j].is_word and not toks[j].text[0].isdigit() and toks[j].text != "-":
            return i
    return i


def _is_speaker_word(tok: _Tok) -> bool:
    if not tok.is_word:
        return False
    return tok.is_cap or tok.base in _ROLE_WORDS or tok.lower in _PRONOUNS


def _phrase_after(sentence: str, toks: list[_Tok], idx: int) -> _Speaker | None:
    """Speaker phrase starting at ``idx`` ("said Prime Minister X", "according to X")."""
    j = idx
    while j < len(toks) and toks[j].lower in ("the", "a", "an"):
        j += 1
    end = j
    while (
        end < len(toks)
        and toks[end].is_word
        and (toks[end].is_cap or toks[end].base in _ROLE_WORDS)
    ):
        end += 1
    return _make_speaker(sentence, toks[j:end])


def _make_speaker(sentence: str, words: list[_Tok]) -> _Speaker | None:
    while words and words[0].lower in _LEADING_DROP:
        words = words[1:]
    while words and words[-1].lower == "of":
        words = words[:-1]
    if not words:
        return None
    if len(words) == 1 and words[0].lower in _PRONOUNS:
        return _Speaker(None, words[0].start, words[0].end, pronoun=True)
    if words[-1].lower in _NOT_SPEAKERS or words[-1].lower in _PRONOUNS:
        return None
    return _Speaker(sentence[words[0].start : words[-1].end], words[0].start, words[-1].end)


def _is_named_person(speaker: str) -> bool:
    """Whether "he"/"she" in a later sentence can refer back to this speaker."""
    last = speaker.split()[-1]
    return last[:1].isupper() and not last.isupper() and last.lower() not in _ORG_WORDS


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
_NUMBER_WORDS = frozenset([*_ONES, *_TENS, "hundred", "dozen", *_SCALES])
_NUMBER_WORD = "|".join([*_ONES, *_TENS, "hundred", "dozen", *_SCALES])
_WORDS_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_DIGITS_RE = re.compile(
    r"(?<![\w.,/:#-])(?P<cur>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![.,]\d)(?P<suffix>[^\W\d_]*%?)"
)
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR"}
_SUFFIX_UNITS = {"km": "km", "kg": "kg", "m": "m", "mi": "mi", "%": "%", "bn": None, "k": None}
_SUFFIX_SCALE = {"bn": 1_000_000_000, "k": 1_000}
_UNIT_WORDS = {
    "km": "km", "kilometers": "km", "kilometres": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kg": "kg", "kilograms": "kg", "tonnes": "t", "tons": "t", "percent": "%", "%": "%",
    "mph": "mph", "feet": "ft", "ft": "ft", "hectares": "ha", "acres": "acre",
    "dollars": "USD", "euros": "EUR", "barrels": "barrels", "litres": "l", "liters": "l",
    "degrees": "degrees", "hours": "hours", "hour": "hours", "days": "days", "day": "days",
    "weeks": "weeks", "week": "weeks", "months": "months", "month": "months",
    "years": "years", "year": "years", "minutes": "minutes", "minute": "minutes",
}  # fmt: skip
_DURATIONS = frozenset(("hours", "days", "weeks", "months", "years", "minutes"))
_RELATIVE_TIME = re.compile(r"^\s*(?:ago|after|before|later|earlier|since|into)\b", re.I)
_IDENTIFIER_BEFORE = re.compile(
    r"\b(?:flight|route|article|resolution|section|chapter|page|no\.?|number|room|gate"
    r"|platform|highway|bus|line|vol\.?|volume|paragraph|clause|amendment|episode|season"
    r"|rule|code|level|phase|grade|category|class|version|model|unit|#)\s*$",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_AFTER = re.compile(rf"^\s*(?:of\s+)?{_MONTHS}\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^(?::\d|\s*(?:[ap]\.?m\b\.?|gmt|bst|utc|est|edt|cet|local time|hrs\b))", re.I
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|of|year|early|late|mid|through|during|before|after"
    r"|between|and|the|to|summer|winter|spring|autumn|fall)\s*$",
    re.IGNORECASE,
)
_CONVERSION_BEFORE = re.compile(
    r"\d\s*[^\W\d_]*%?\s*\(\s*(?:about|around|some|roughly|approximately|nearly|almost|or)?\s*$"
)


@dataclass
class _Quantity:
    value: int | float
    unit: str | None
    start: int
    end: int
    word_form: bool = False
    subject: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "subject": self.subject}


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 1e18 else float(value)


def _digit_quantities(sentence: str) -> list[_Quantity]:
    found = []
    for m in _DIGITS_RE.finditer(sentence):
        q = _digit_quantity(sentence, m)
        if q is not None and not _is_date_or_id(sentence, q, m.group("num")):
            found.append(q)
    return found


def _digit_quantity(sentence: str, m: re.Match) -> _Quantity | None:
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
    q = _Quantity(value, unit, m.start(), m.end())
    _attach_unit_words(sentence, q)
    return q


def _attach_unit_words(sentence: str, q: _Quantity) -> None:
    """Extend the quantity over a following scale word and unit ("1.5 million", "50 km")."""
    m = re.match(r"\s*(thousand|million|billion|trillion|bn|m)\b", sentence[q.end :], re.I)
    if m and (m.group(1).lower() != "m" or q.unit):
        q.value *= _SCALES.get(m.group(1).lower(), 10**9 if m.group(1) == "bn" else 10**6)
        q.end += m.end()
    m = re.match(r"\s*(per ?cent|percentage points?|%|[^\W\d_]+)", sentence[q.end :], re.I)
    if m and q.unit is None:
        word = m.group(1).lower()
        unit = "%" if word.startswith("per") or word == "%" else _UNIT_WORDS.get(word)
        if unit is not None:
            q.unit, q.end = unit, q.end + m.end()
    q.value = _tidy(q.value)


def _is_date_or_id(sentence: str, q: _Quantity, raw: str) -> bool:
    before, after = sentence[: q.start], sentence[q.end :]
    if _DATE_AFTER.match(after) or _DATE_BEFORE.search(before) or _TIME_AFTER.match(after):
        return True
    if _IDENTIFIER_BEFORE.search(before) or re.match(r"^-\w", after):
        return True  # flight 752, Resolution 2231, compound modifiers like "45-year-old"
    if q.unit in _DURATIONS and _RELATIVE_TIME.match(after):
        return True  # "six days after", "two years ago": timing, not a figure to check
    if q.unit and _CONVERSION_BEFORE.search(before):
        return True  # "50 km (30 miles)": the bracketed figure restates the first
    return _looks_like_year(raw, q, before, after)


def _looks_like_year(raw: str, q: _Quantity, before: str, after: str) -> bool:
    if not re.fullmatch(r"\d{4}", raw) or q.unit or not 1800 <= q.value <= 2100:
        return False
    if _YEAR_BEFORE.search(before):
        return True
    nxt = _tokens(after[:40])
    return not (nxt and _is_np_word(nxt[0]) and nxt[0].text.islower())


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


def _word_quantities(sentence: str) -> list[_Quantity]:
    found = []
    for m in _WORDS_RE.finditer(sentence):
        spans = [w for w in re.finditer(r"[A-Za-z]+", m.group()) if w.group().lower() != "and"]
        words = [w.group().lower() for w in spans]
        for value, first, last in _parse_number_words(words):
            if words[first] in ("hundred", "dozen", *_SCALES):
                continue  # "hundreds", "a dozen": too vague to check
            start, end = m.start() + spans[first].start(), m.start() + spans[last - 1].end()
            if value == 1 and (
                _ONE_PRONOUN_BEFORE.search(sentence[:start])
                or _ONE_PRONOUN_AFTER.match(sentence[end:])
            ):
                continue  # "no one", "one of", "one another": not a count
            q = _Quantity(value, None, start, end, word_form=True)
            _attach_unit_words(sentence, q)
            if not _is_date_or_id(sentence, q, ""):
                found.append(q)
    return found


# --------------------------------------------------------------------------- subjects

_COUNT_OF_ANY = re.compile(
    r"\b(?:number|total|tally|count|toll|figure)\s+of\s+(?:the\s+)?", re.IGNORECASE
)
_FILLER_BEFORE = frozenset(
    """is was are were be been has have had now stood stands stand at to reached rose
    risen fell fallen climbed about around nearly almost some roughly approximately least
    more than over under up down by totals totalled totaled hit jumped dropped increased
    decreased grew revised raised lowered cut put estimated reported just only exactly
    precisely an a as of from""".split()
)
_MEASURE_OBJECT = re.compile(r"^\s*(?:of|in|for)\s+(?:the\s+)?", re.IGNORECASE)


def _assign_subject(sentence: str, q: _Quantity) -> None:
    """Name what the number counts or measures.

    Counts take the noun phrase that follows ("176 passengers and crew"). Measures and
    bare predicate numbers ("the toll is 57", "is 50 km north") take the noun phrase they
    are said of: "number of X", then the phrase just before the verb, then the clause's
    opening noun phrase.
    """
    after = sentence[q.end :]
    if q.unit:
        m = _MEASURE_OBJECT.match(after)
        q.subject = _np_after(after[m.end() :]) if m else ""
    else:
        q.subject = _with_state(after, _np_after(after))
    if not q.subject:
        q.subject = _np_before(sentence[: q.start])


_STATES = frozenset(
    """killed dead died injured wounded hurt arrested detained missing displaced evacuated
    rescued affected infected damaged destroyed hospitalised hospitalized""".split()
)
_STATE_AFTER = re.compile(
    r"^\s+(?:(?:were|was|are|is|have been|has been|had been|have|had|remain|remained)\s+)?"
    r"(?:(?:reportedly|also|later|now|since|all)\s+)?(?P<state>[a-z]+)\b"
)


def _with_state(after: str, phrase: str) -> str:
    """Count subjects carry what happened to them: "40 people were killed" counts
    "people killed", so it is not mistaken for a disagreement with "22 people injured"."""
    if not phrase or phrase.split()[-1].lower() in _STATES:
        return phrase
    m = _STATE_AFTER.match(after[after.find(phrase) + len(phrase) :])
    if m and m.group("state") in _STATES:
        return f"{phrase} {m.group('state')}"
    return phrase


def _np_after(text: str) -> str:
    toks = _tokens(text[:120])
    if len(toks) > 1 and toks[0].lower == "of" and toks[1].lower in ("the", "them", "those"):
        toks = toks[2:] if toks[1].lower != "them" else []
    words: list[_Tok] = []
    for i, tok in enumerate(toks):
        if tok.lower == "and" and len(words) == 1 and i + 1 < len(toks):
            if _is_np_word(toks[i + 1]) and toks[i + 1].lower not in _VERBISH:
                words.extend((tok, toks[i + 1]))
            break
        if not _is_np_word(tok) or len(words) == 4 or tok.text.endswith(("'s", "’s")):
            break
        if tok.lower in _VERBISH and (words or tok.lower not in _STATES):
            break  # "five remain in hospital" counts nothing named; "12 injured" does
        if words and tok.lower.endswith("ed"):
            break
        words.append(tok)
    return text[words[0].start : words[-1].end] if words else ""


def _np_before(text: str) -> str:
    matches = list(_COUNT_OF_ANY.finditer(text))
    phrase = matches[-1] if matches else None
    if phrase and not re.search(r"(?<!\w)\d", text[phrase.end() :]):
        found = _np_after(text[phrase.end() :])
        if found:
            return found
    toks = [t for t in _tokens(text) if t.text not in ('"', "“", "”")]
    i = len(toks) - 1
    while i >= 0 and toks[i].lower in _FILLER_BEFORE:
        i -= 1
    if i >= 0 and _is_number_token(toks[i]):
        return ""  # "from 22 to 18": the figure shares the subject of its neighbour
    end = i
    while i >= 0 and _is_np_word(toks[i]) and end - i < 4 and toks[i].lower not in _VERBISH:
        i -= 1
    if end > i:
        return text[toks[i + 1].start : toks[end].end]
    return _leading_np(text)


def _is_number_token(tok: _Tok) -> bool:
    return tok.text[0].isdigit() or all(p in _NUMBER_WORDS for p in tok.lower.split("-"))


def _leading_np(text: str) -> str:
    """The noun phrase a sentence opens with, e.g. "The Dujail district, where ... is 50 km"."""
    m = re.match(r"\W*(?:(?:the|a|an|its|their)\s+)?", text, re.IGNORECASE)
    return _np_after(text[m.end() :])


def _quantities(sentence: str, speaker: _Speaker | None) -> list[_Quantity]:
    """Numbers in reading order, minus those inside the speaker ("Two officials said")."""
    found = sorted(_digit_quantities(sentence) + _word_quantities(sentence), key=lambda q: q.start)
    if speaker is not None:
        found = [q for q in found if not speaker.start <= q.start < speaker.end]
    kept = []
    for q in found:
        _assign_subject(sentence, q)
        if q.subject or not q.word_form:
            kept.append(q)  # a number word with nothing to count is usually not a figure
    return kept


# --------------------------------------------------------------------------- corrections

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
_REVISION_VERB = re.compile(
    r"\b(?:revis|correct|lower|rais|updat|cut|reduc|increas|decreas|adjust|amend|chang|"
    r"downgrad|upgrad|hik|slash)\w*",
    re.I,
)
_EARLIER_BEFORE = re.compile(
    r"(?:\b(?:correct|revis|updat|amend|replac)\w*\s+(?:[\w'’-]+\s+){0,5}(?:of|from|at|as)"
    r"|\b(?:earlier|previously|initially|originally|first)\s+(?:been\s+)?(?:reported|stated"
    r"|given|announced|estimated|put|said|thought|believed)(?:\s+(?:as|at|to be|to have been))?)"
    r"\s+(?:an?\s+|the\s+)?$",
    re.I,
)


def _find_correction(sentence: str, qs: list[_Quantity]) -> tuple[_Quantity, _Quantity] | None:
    """(old, new) when the sentence states that one figure replaces another."""
    for a, b in zip(qs, qs[1:], strict=False):
        between, before_a = sentence[a.end : b.start], sentence[: a.start]
        if _NOT_BETWEEN.match(between) or _FROM_BETWEEN.match(between):
            return b, a  # "57, not 63"; "52, up from 40"
        if _TO_BEFORE.search(before_a) and _PLAIN_FROM_BETWEEN.match(between):
            return b, a  # "revised to 18 from 22"
        if (
            _FROM_BEFORE.search(before_a)
            and _PLAIN_TO_BETWEEN.match(between)
            and _REVISION_VERB.search(before_a)
        ):
            return a, b  # "revised the toll from 22 to 18"; a bare "from 10 to 20" is a range
    for old in qs:
        if _EARLIER_BEFORE.search(sentence[: old.start]):
            new = _nearest_other(qs, old)
            if new is not None:
                return old, new  # "45 died, correcting the earlier reported toll of 72"
    return None


def _nearest_other(qs: list[_Quantity], old: _Quantity) -> _Quantity | None:
    others = [q for q in qs if q is not old and (q.unit == old.unit or not old.unit)]
    return min(others, key=lambda q: abs(q.start - old.start), default=None)


def _unify_correction(old: _Quantity, new: _Quantity) -> None:
    """Both figures of a correction describe the same thing."""
    subject = new.subject or old.subject
    unit = new.unit or old.unit
    for q in (old, new):
        q.subject, q.unit = subject, unit


# --------------------------------------------------------------------------- scoring

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
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def _quoted_share(sentence: str) -> float:
    return sum(len(m.group()) for m in _QUOTED.finditer(sentence)) / max(len(sentence), 1)


def _score(sentence: str, has_speaker: bool, qs: list[_Quantity], corrected: bool) -> float:
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


def _is_checkworthy(sentence: str, has_speaker: bool, qs: list[_Quantity]) -> bool:
    return bool(has_speaker or qs or _ASSERTION.search(sentence) or _HEDGE.search(sentence))


# --------------------------------------------------------------------------- subjects keys

_KEY_STOP = frozenset(
    """the a an of from in on at for to by with and or its their his her our this that
    these those all some total number count figure tally on board""".split()
)
_DEMONYMS = {
    "canada": "canadian", "iran": "iranian", "ukraine": "ukrainian", "iraq": "iraqi",
    "us": "american", "usa": "american", "america": "american", "uk": "british",
    "britain": "british", "france": "french", "germany": "german", "israel": "israeli",
    "russia": "russian", "china": "chinese", "afghanistan": "afghan", "sweden": "swedish",
    "syria": "syrian", "lebanon": "lebanese", "india": "indian", "pakistan": "pakistani",
}  # fmt: skip


# Country names and casualty wording that newsrooms use interchangeably.
_SYNONYMS = {
    **_DEMONYMS,
    **dict.fromkeys(("dead", "died", "death", "deaths", "killed", "fatalities"), "killed"),
    **dict.fromkeys(("hurt", "injured", "wounded", "injuries"), "injured"),
}


def subject_key(subject: str) -> str:
    """Normalise a subject so differently worded mentions of the same thing match.

    Lowercases, drops possessives, function words and simple plurals, maps a few country
    names to their adjective and ignores word order, so "the Canadian victims",
    "Canadian victims" and "victims from Canada" share the key "canadian victim".
    """
    text = re.sub(r"['’]s?\b", "", subject.lower())
    words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", text)
    kept = {_singular(_SYNONYMS.get(w, w)) for w in words if w not in _KEY_STOP}
    return " ".join(sorted(kept))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# --------------------------------------------------------------------------- assembly


@dataclass
class _Candidate:
    sentence: str
    speaker: str | None
    quantities: list[_Quantity]
    score: float
    correction: tuple[_Quantity, _Quantity] | None = None

    def as_dict(self) -> dict:
        corrects = None
        if self.correction:
            old, new = self.correction
            corrects = {"old": old.value, "new": new.value, "subject": new.subject}
        return {
            "sentence": self.sentence,
            "speaker": self.speaker,
            "quantities": [q.as_dict() for q in self.quantities],
            "score": self.score,
            "corrects": corrects,
        }


class _SpeakerContext:
    """Carries attribution across sentences: "he added" and follow-on quote paragraphs."""

    def __init__(self) -> None:
        self.last_person: str | None = None
        self.previous: str | None = None
        self.previous_quoted = False

    def resolve(self, sentence: str, found: _Speaker | None) -> str | None:
        if found is not None and found.pronoun:
            speaker = self.last_person
        elif found is not None:
            speaker = found.text
        elif sentence[:1] in '"“' and self.previous_quoted:
            speaker = self.previous  # a quote paragraph continuing the previous speaker
        else:
            speaker = None
        if found is not None and not found.pronoun and speaker and _is_named_person(speaker):
            self.last_person = speaker
        self.previous, self.previous_quoted = speaker, bool(_QUOTED.search(sentence))
        return speaker


def _candidate(sentence: str, context: _SpeakerContext) -> _Candidate | None:
    found = _find_speaker(sentence)
    speaker = context.resolve(sentence, found)
    qs = _quantities(sentence, found if found is not None and not found.pronoun else None)
    if not _is_checkworthy(sentence, speaker is not None, qs):
        return None
    correction = _find_correction(sentence, qs)
    if correction:
        _unify_correction(*correction)
    score = _score(sentence, speaker is not None, qs, correction is not None)
    return _Candidate(sentence, speaker, qs, score, correction)


def _conflicts(candidates: list[_Candidate]) -> list[dict]:
    """Subjects given more than one value across the candidates.

    Figures are grouped by subject key and unit: "50 km" and "30 miles" of the same place
    are not a disagreement.
    """
    groups: dict[tuple[str, str | None], list[tuple[int, _Quantity]]] = {}
    for index, cand in enumerate(candidates):
        for q in cand.quantities:
            key = subject_key(q.subject)
            if key:
                groups.setdefault((key, q.unit), []).append((index, q))
    out = []
    for members in groups.values():
        values = _unique([q.value for _, q in members])
        if len(values) > 1:
            out.append(_conflict(candidates, members, values))
    return out


def _conflict(
    candidates: list[_Candidate], members: list[tuple[int, _Quantity]], values: list
) -> dict:
    indexes = sorted({i for i, _ in members})
    in_group = {id(q) for _, q in members}
    stated = [
        c.correction
        for c in (candidates[i] for i in indexes)
        if c.correction and id(c.correction[1]) in in_group
    ]
    subject, kind = members[0][1].subject, "disagreement"
    if stated:
        old, new = stated[0]
        subject, kind = new.subject, "correction"
        values = _unique([old.value, new.value, *values])
    return {"subject": subject, "values": values, "candidates": indexes, "kind": kind}


def _unique(values: list) -> list:
    seen: list = []
    for value in values:
        if not any(value == s for s in seen):
            seen.append(value)
    return seen


def extract(text: str) -> dict:
    """Extract candidate claims and numeric conflicts from live-updates text.

    Raises ExtractionError for empty, binary or oversized input.
    """
    _validate(text)
    context = _SpeakerContext()
    candidates = []
    for sentence in _sentences(_normalise(text)):
        cand = _candidate(sentence, context)
        if cand is not None:
            candidates.append(cand)
    return {
        "candidates": [c.as_dict() for c in candidates],
        "conflicts": _conflicts(candidates),
    }
