"""What a figure counts or measures, and the key that matches differently worded subjects."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from itertools import islice
from operator import itemgetter

from claims.lib.extraction.quantities import (
    NUMBER_WORDS,
    VERBISH,
    Quantity,
    digit_numbers,
    is_np_word,
    word_numbers,
)
from claims.lib.extraction.speakers import Speaker
from claims.lib.extraction.text import QUOTE_MARKS, Tok, TokenIndex, iter_tokens, text_after

# A sentence that mentions more numbers than this is a table or a list, not a claim to
# check: its first ones are read, the rest are not, so a sentence's cost stays bounded.
MAX_NUMBERS = 40

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


def _assign_subject(look: _Lookback, q: Quantity) -> None:
    """Name what the number counts or measures.

    Counts take the noun phrase that follows ("176 passengers and crew"). Measures and
    bare predicate numbers ("the toll is 57", "is 50 km north") take the noun phrase they
    are said of: "number of X", then the phrase just before the verb, then the clause's
    opening noun phrase.
    """
    after = text_after(look.sentence, q.end)
    if q.unit:
        m = _MEASURE_OBJECT.match(after)
        q.subject = _np_after(after[m.end() :]) if m else ""
    else:
        q.subject = _with_state(after, _np_after(after))
    if not q.subject:
        q.subject = _np_before(look, q.start)


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
    toks = _first_tokens(text)
    if len(toks) > 1 and toks[0].lower == "of" and toks[1].lower in ("the", "them", "those"):
        toks = toks[2:] if toks[1].lower != "them" else []
    words: list[Tok] = []
    for i, tok in enumerate(toks):
        if tok.lower == "and" and len(words) == 1 and i + 1 < len(toks):
            if is_np_word(toks[i + 1]) and toks[i + 1].lower not in VERBISH:
                words.extend((tok, toks[i + 1]))
            break
        if not is_np_word(tok) or len(words) == 4 or tok.text.endswith(("'s", "’s")):
            break
        if tok.lower in VERBISH and (words or tok.lower not in _STATES):
            break  # "five remain in hospital" counts nothing named; "12 injured" does
        if words and tok.lower.endswith("ed"):
            break
        words.append(tok)
    return text[words[0].start : words[-1].end] if words else ""


def _first_tokens(text: str) -> list[Tok]:
    """The tokens _np_after can reach, of its first 120 characters: a skipped "of the", four
    words, the one that ends them and the one after an "and" are never more than eight."""
    return list(islice(iter_tokens(text, 0, _NP_AFTER_CHARS), 8))


_NP_AFTER_CHARS = 120
_NUMBER_START = re.compile(r"(?<!\w)\d")
_LEADING_GAP = re.compile(r"\W*")
_LEADING_ARTICLE = re.compile(r"(?:the|a|an|its|their)\s+", re.IGNORECASE)


class _Lookback:
    """What looking back from a figure needs, read once per sentence rather than per figure."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence

    @cached_property
    def tokens(self) -> TokenIndex:
        return TokenIndex(self.sentence)

    @cached_property
    def count_of_ends(self) -> list[int]:
        return [m.end() for m in _COUNT_OF_ANY.finditer(self.sentence)]

    @cached_property
    def number_starts(self) -> list[int]:
        return [m.start() for m in _NUMBER_START.finditer(self.sentence)]

    @cached_property
    def leading_gap(self) -> int:
        return _LEADING_GAP.match(self.sentence).end()

    def np_from(self, start: int, end: int) -> str:
        return _np_after(self.sentence[start : min(end, start + _NP_AFTER_CHARS)])

    def last_count_of(self, end: int) -> int | None:
        """Where the last "number of" before ``end`` ends, if no figure comes between."""
        i = bisect_right(self.count_of_ends, end) - 1
        if i < 0:
            return None
        after = self.count_of_ends[i]
        j = bisect_left(self.number_starts, after)
        return None if j < len(self.number_starts) and self.number_starts[j] < end else after


def _np_before(look: _Lookback, end: int) -> str:
    """The subject named before a figure that starts at ``end``."""
    phrase_end = look.last_count_of(end)
    if phrase_end is not None:
        found = look.np_from(phrase_end, end)
        if found:
            return found
    toks = (t for t in look.tokens.before(end) if t.text not in QUOTE_MARKS)
    tok = next(toks, None)
    while tok is not None and tok.lower in _FILLER_BEFORE:
        tok = next(toks, None)
    if tok is not None and _is_number_token(tok):
        return ""  # "from 22 to 18": the figure shares the subject of its neighbour
    words: list[Tok] = []  # last first
    while tok is not None and is_np_word(tok) and len(words) < 4 and tok.lower not in VERBISH:
        words.append(tok)
        tok = next(toks, None)
    if words:
        return look.sentence[words[-1].start : words[0].end]
    return _leading_np(look, end)


def _is_number_token(tok: Tok) -> bool:
    return tok.text[0].isdigit() or all(p in NUMBER_WORDS for p in tok.lower.split("-"))


def _leading_np(look: _Lookback, end: int) -> str:
    """The noun phrase a sentence opens with, e.g. "The Dujail district, where ... is 50 km"."""
    if look.leading_gap >= end:
        return ""
    m = _LEADING_ARTICLE.match(look.sentence, look.leading_gap, end)
    return look.np_from(m.end() if m else look.leading_gap, end)


def find_quantities(sentence: str, speaker: Speaker | None) -> list[Quantity]:
    """Figures in reading order, minus those inside the speaker ("Two officials said"),
    among the sentence's first MAX_NUMBERS numbers."""
    numbers = heapq.merge(digit_numbers(sentence), word_numbers(sentence), key=itemgetter(0))
    look = _Lookback(sentence)
    kept: list[Quantity] = []
    for _, q in islice(numbers, MAX_NUMBERS):
        if q is None or (speaker is not None and speaker.start <= q.start < speaker.end):
            continue
        _assign_subject(look, q)
        if q.subject or not q.word_form:
            kept.append(q)  # a number word with nothing to count is usually not a figure
    return kept


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
