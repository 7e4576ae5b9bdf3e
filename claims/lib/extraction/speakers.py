"""Who said it: the attribution in a sentence, and carrying it across sentences."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from claims.lib.extraction.text import QUOTED, Tok, TokenIndex, text_before

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
class Speaker:
    text: str | None
    start: int
    end: int
    pronoun: bool = False


def find_speaker(sentence: str) -> Speaker | None:
    """The first attribution in the sentence, in reading order."""
    index = TokenIndex(sentence)
    quoted = [m.span() for m in QUOTED.finditer(sentence)]
    for cue in _SPEECH_RE.finditer(sentence):
        if _inside(quoted, cue.start()):
            continue  # "as the Secretary has said" inside a quote is not the attribution
        idx = index.position(cue.start())
        if idx is None:
            continue
        toks = index.toks
        if cue.group().lower() == "according to":
            found = _phrase_after(sentence, toks, idx + 2)
        else:
            found = _phrase_before_quote(index, cue.start()) or _phrase_before(sentence, toks, idx)
            if found is None and idx > 0 and toks[idx - 1].text in ',"”:':
                found = _phrase_after(sentence, toks, idx + 1)
        if found is not None:
            return found
    return None


_QUOTE_THEN = re.compile(
    r"[,.!?…][\"”’]\s+(?P<np>(?:[\w'’-]+\s+){0,7}?[\w'’-]+)\s+"
    rf"(?:(?:{'|'.join(sorted(_SPEAKER_SKIP))})\s+)?$"
)


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the sorted, disjoint ``spans``."""
    i = bisect_left(spans, (position,)) - 1  # the last span starting before ``position``
    return i >= 0 and position < spans[i][1]


def _phrase_before_quote(index: TokenIndex, verb_start: int) -> Speaker | None:
    """`"...," anti-government protesters in Babil province chanted`: everything between
    the closing quote and the verb is the speaker, lowercase words included."""
    before = text_before(index.text, verb_start)
    m = _QUOTE_THEN.search(before)
    if not m:
        return None
    offset = verb_start - len(before)
    return _make_speaker(index.text, index.within(offset + m.start("np"), offset + m.end("np")))


def _phrase_before(sentence: str, toks: list[Tok], idx: int) -> Speaker | None:
    """Speaker phrase ending right before the speech verb at ``idx``."""
    i = idx - 1
    while i >= 0 and toks[i].lower in _SPEAKER_SKIP:
        i -= 1
    i = _skip_appositive(toks, i)
    end = i
    while i >= 0 and _is_speaker_word(toks[i]):
        i -= 1
    return _make_speaker(sentence, toks[i + 1 : end + 1])


def _skip_appositive(toks: list[Tok], i: int) -> int:
    """Step over ", a senior investigator at Bellingcat," back to the name before it."""
    if i < 1 or toks[i].text != ",":
        return i
    for j in range(i - 1, max(-1, i - 25), -1):
        if toks[j].text == ",":
            return j - 1 if toks[j + 1].lower in _APPOSITIVE_START else i
        if not toks[j].is_word and not toks[j].text[0].isdigit() and toks[j].text != "-":
            return i
    return i


def _is_speaker_word(tok: Tok) -> bool:
    if not tok.is_word:
        return False
    return tok.is_cap or tok.base in _ROLE_WORDS or tok.lower in _PRONOUNS


def _phrase_after(sentence: str, toks: list[Tok], idx: int) -> Speaker | None:
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


def _make_speaker(sentence: str, words: list[Tok]) -> Speaker | None:
    while words and words[0].lower in _LEADING_DROP:
        words = words[1:]
    while words and words[-1].lower == "of":
        words = words[:-1]
    if not words:
        return None
    if len(words) == 1 and words[0].lower in _PRONOUNS:
        return Speaker(None, words[0].start, words[0].end, pronoun=True)
    if words[-1].lower in _NOT_SPEAKERS or words[-1].lower in _PRONOUNS:
        return None
    return Speaker(sentence[words[0].start : words[-1].end], words[0].start, words[-1].end)


def _is_named_person(speaker: str) -> bool:
    """Whether "he"/"she" in a later sentence can refer back to this speaker."""
    last = speaker.split()[-1]
    return last[:1].isupper() and not last.isupper() and last.lower() not in _ORG_WORDS


class SpeakerContext:
    """Carries attribution across sentences: "he added" and follow-on quote paragraphs."""

    def __init__(self) -> None:
        self.last_person: str | None = None
        self.previous: str | None = None
        self.previous_quoted = False

    def resolve(self, sentence: str, found: Speaker | None) -> str | None:
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
        self.previous, self.previous_quoted = speaker, bool(QUOTED.search(sentence))
        return speaker
