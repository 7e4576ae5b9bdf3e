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
    precisely an a as of from corrected adjusted amended updated changed downgraded
    upgraded reduced brought scaled pushed taken took climbs rises upwards upward downwards
    downward sharply again further significantly slightly initial original earlier previous
    knocked trimmed pared slashed lifted nudged bumped closer nearer would could will may
    might""".split()
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
    if q.unit == "%":
        # "the deficit to 3.8% of national output": a share is named by what it is of last
        before = _np_before(look, q.start)
        m = _MEASURE_OBJECT.match(after)
        q.subject = before or (_np_after(after[m.end() :]) if m else "")
        q.subject_after = not before and bool(q.subject)
        return
    if q.unit:
        m = _MEASURE_OBJECT.match(after)
        q.subject = _np_after(after[m.end() :]) if m else ""
    else:
        q.subject = _with_state(after, _np_after(after))
    q.subject_after = bool(q.subject)
    if not q.subject:
        q.subject = _np_before(look, q.start)


_STATES = frozenset(
    """killed dead died injured wounded hurt arrested detained missing displaced evacuated
    rescued affected infected damaged destroyed hospitalised hospitalized perished drowned
    trapped stranded martyred""".split()
)
_STATE_AFTER = re.compile(
    r"^\s+(?:(?:who|that)\s+)?"
    r"(?:(?:were|was|are|is|have been|has been|had been|have|had|remain|remained)\s+)?"
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
    if len(toks) > 1 and toks[0].lower == "of" and toks[1].lower in _OF_WHOSE:
        toks = toks[2:] if toks[1].lower not in ("them", "those", "these") else []
    words: list[Tok] = []
    for i, tok in enumerate(toks):
        hedged = tok.lower in _HEDGED and i + 1 < len(toks) and toks[i + 1].lower in _STATES
        if not words and hedged:
            words.extend((tok, toks[i + 1]))  # "Sixty-one feared dead"
            break
        if not words and tok.lower in _QUALIFYING and i + 1 < len(toks) and is_np_word(toks[i + 1]):
            words.append(tok)  # "87 confirmed cases": the participle qualifies the noun
            continue
        if tok.lower == "and" and len(words) == 1 and i + 1 < len(toks):
            if is_np_word(toks[i + 1]) and toks[i + 1].lower not in VERBISH:
                words.extend((tok, toks[i + 1]))
            break
        if not is_np_word(tok) or len(words) == 4 or tok.text.endswith(("'s", "’s")):
            break
        if tok.lower in VERBISH and (words or tok.lower not in _STATES):
            break  # "five remain in hospital" counts nothing named; "12 injured" does
        if not words and tok.lower.endswith("ed") and tok.lower not in _STATES | _QUALIFYING:
            break  # "27 from the 19 announced": a participle alone names nothing counted
        if words and tok.lower.endswith("ed"):
            if tok.lower in _STATES:
                words.append(tok)  # "the number of people killed in ..."
            break
        words.append(tok)
    return text[words[0].start : words[-1].end] if words else ""


_OF_WHOSE = frozenset("the them those these its their his her our".split())
_HEDGED = frozenset("feared presumed believed reported thought".split())
_QUALIFYING = frozenset("confirmed suspected reported registered recorded injured".split())


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
        text = self.sentence[start : min(end, start + _NP_AFTER_CHARS)]
        return _with_state(text, _np_after(text))

    def last_count_of(self, end: int) -> int | None:
        """Where the last "number of" before ``end`` ends, if no figure comes between."""
        i = bisect_right(self.count_of_ends, end) - 1
        if i < 0:
            return None
        after = self.count_of_ends[i]
        j = bisect_left(self.number_starts, after)
        return None if j < len(self.number_starts) and self.number_starts[j] < end else after


_TOLL = re.compile(
    r"\b(?:death\s+|(?P<kind>injury|casualty|missing|arrest)\s+)?toll\b(?![^\d]{120})[^\d]*$",
    re.IGNORECASE,
)


def _np_before(look: _Lookback, end: int) -> str:
    """The subject named before a figure that starts at ``end``."""
    m = _TOLL.search(look.sentence, max(0, end - 120), end)
    if m:  # "raised the death toll from Typhoon Halcón by nine to 48"; "the injury toll"
        return f"{m.group('kind').lower()} toll" if m.group("kind") else "death toll"
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
    while (
        tok is not None
        and is_np_word(tok)
        and len(words) < 4
        and (tok.lower not in VERBISH or (words and tok.lower in _QUALIFYING))
    ):
        words.append(tok)  # "the confirmed count": the participle qualifies the noun
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
    start = m.end() if m else look.leading_gap
    owner = _POSSESSIVE.match(look.sentence, start, end)  # "Castavia's annual inflation rate"
    return look.np_from(owner.end() if owner else start, end)


_POSSESSIVE = re.compile(r"[A-Z][\w-]*['’]s\s+")


def find_quantities(sentence: str, speakers: list[Speaker]) -> list[Quantity]:
    """Figures in reading order, minus those inside a speaker ("Two officials said"),
    among the sentence's first MAX_NUMBERS numbers."""
    numbers = heapq.merge(digit_numbers(sentence), word_numbers(sentence), key=itemgetter(0))
    look = _Lookback(sentence)
    named = [s for s in speakers if s.text]
    kept: list[Quantity] = []
    for _, q in islice(numbers, MAX_NUMBERS):
        if q is None or any(s.start <= q.start < s.end for s in named):
            continue
        _assign_subject(look, q)
        if kept and _AMONG_BEFORE.search(look.sentence, max(0, q.start - 30), q.start):
            # "27, among them nine children": a part of the figure before it
            q.subject, q.part = f"{kept[-1].subject} {q.subject}".strip(), True
        elif kept and kept[-1].unit == q.unit and _OF_THEM.match(look.sentence, q.end):
            # "14 died, 11 of them in ...": a part of the figure before it
            q.subject, q.subject_after, q.part = kept[-1].subject, True, True
        if q.subject and any(_overlaps(q.subject, s.text) for s in named):
            q.subject = ""  # "Mayor Ivan Petrov says 52": the speaker is not what is counted
        if q.subject or not q.word_form or _CONTRAST_BEFORE.search(look.sentence, 0, q.start):
            kept.append(q)  # a number word with nothing to count is usually not a figure,
            # unless it is the figure another replaces: "52, not forty"
    return kept


_AMONG_BEFORE = re.compile(
    r"\b(?:among them|among whom|including|of them|of whom)\s+$", re.IGNORECASE
)
_OF_THEM = re.compile(r"\s+of (?:them|those|these|whom)\b", re.IGNORECASE)
_CONTRAST_BEFORE = re.compile(r"\b(?:not|instead of|rather than|from)\s+$", re.IGNORECASE)


# --------------------------------------------------------------------------- subjects keys

_KEY_STOP = frozenset(
    """the a an of from in on at for to by with and or its their his her our this that
    these those all some total number count figure tally on board""".split()
)
DEMONYMS = {
    "canada": "canadian", "iran": "iranian", "ukraine": "ukrainian", "iraq": "iraqi",
    "us": "american", "usa": "american", "america": "american", "uk": "british",
    "britain": "british", "france": "french", "germany": "german", "israel": "israeli",
    "russia": "russian", "china": "chinese", "afghanistan": "afghan", "sweden": "swedish",
    "syria": "syrian", "lebanon": "lebanese", "india": "indian", "pakistan": "pakistani",
}  # fmt: skip


# Country names and casualty wording that newsrooms use interchangeably.
_SYNONYMS = {
    **DEMONYMS,
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


def subject_after_aside(sentence: str, end: int) -> str:
    """What "52, not forty, homes were destroyed" counts: the noun phrase after the aside."""
    after = text_after(sentence, end)
    if not after.startswith(","):
        return ""
    return _with_state(after[1:], _np_after(after[1:]))


def _overlaps(subject: str, speaker: str) -> bool:
    return subject in speaker or speaker in subject
