"""Speaker phrases: the words next to a speech verb that name who is speaking.

Each function looks a bounded number of tokens before or after the verb, so finding the
speakers of a sentence costs time linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from claims.lib.extraction.sourcekinds import ANONYMOUS, ORGANISATION, PERSON, guess_kind
from claims.lib.extraction.text import Tok, TokenIndex, text_before

_SPEAKER_SKIP = frozenset(
    """also just has have had later earlier again then previously separately reportedly
    further repeatedly today yesterday publicly privately once now first initially
    originally recently has since subsequently formally officially quickly since""".split()
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
    neighbors campaigners union board report reports study survey data figures engineer
    engineers rescuers doctor nurse nurses manager operator presidency department
    ministries civil defence service services fire coastguard navy council firm charity
    broadcaster television tv radio newspaper channel office embassy commission committee
    inquiry utility brigade guard forces troops coastguard presidency cabinet parliament
    district province county region city town village area coast disaster finance
    opposition transport interior provincial county's sheriff sheriff's inspectorate
    bureau directorate steering operator command guild institute press campaign
    commissioner""".split()
)
_LEADING_DROP = frozenset(
    """the a an but and so then meanwhile however now also still later earlier yet or gmt
    bst ist utc cet cest est edt pst pdt""".split()
)
_PRONOUNS = frozenset("he she it they".split())
_POSSESSIVES = frozenset("his her its their".split())
_NOT_SPEAKERS = frozenset(
    "i we you it they this that there which who what these those its their".split()
)
_APPOSITIVE_START = frozenset("a an the who whose which speaking citing".split())
# "according to a statement from the ministry": the source is who issued the document.
_DOCUMENT_FROM = frozenset(
    """statement report figures data estimates count tally post bulletin update information
    statements reports""".split()
)
_FROM = frozenset("from by of issued released published".split())
_LOOK = 14  # tokens a speaker phrase may span


@dataclass
class Speaker:
    """An attribution: the speaker phrase as written (``text``; ``None`` for a pronoun),
    its offsets, and what it needs to be resolved."""

    text: str | None
    start: int
    end: int
    pronoun: str | None = None  # "he", "she", "it", "they"
    title: str | None = None  # a role reference: "the minister", "the ministry"
    anonymous: bool = False
    owner: str | None = None  # "her" in "her office said"


_QUOTE_THEN = re.compile(
    r"[,.!?…][\"”’]\s+(?P<np>(?:[\w'’-]+\s+){0,7}?[\w'’-]+)\s+"
    rf"(?:(?:{'|'.join(sorted(_SPEAKER_SKIP))})\s+)?$"
)


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the sorted, disjoint ``spans``."""
    i = bisect_left(spans, (position,)) - 1  # the last span starting before ``position``
    return i >= 0 and position < spans[i][1]


def phrase_before_quote(index: TokenIndex, verb_start: int) -> Speaker | None:
    """`"...," anti-government protesters in Babil province chanted`: everything between
    the closing quote and the verb is the speaker, lowercase words included."""
    before = text_before(index.text, verb_start)
    m = _QUOTE_THEN.search(before)
    if not m:
        return None
    offset = verb_start - len(before)
    return _make_speaker(index.text, index.within(offset + m.start("np"), offset + m.end("np")))


def phrase_before(sentence: str, toks: list[Tok], idx: int) -> Speaker | None:
    """Speaker phrase ending right before the speech verb at ``idx``."""
    i = idx - 1
    while i >= 0 and toks[i].lower in _SPEAKER_SKIP:
        i -= 1
    if i >= 0 and toks[i].text == ",":
        return _before_comma(sentence, toks, i)
    if i >= 1 and toks[i].is_word and not toks[i].is_cap and toks[i - 1].is_cap:
        if toks[i - 1].text.endswith(("'s", "’s")) and toks[i].base not in _NOT_SPEAKERS:
            owner = _phrase_ending(sentence, toks, i - 1)  # "Solvay's campaign said"
            if owner is not None and owner.text and owner.title is None:
                return Speaker(sentence[owner.start : toks[i].end], owner.start, toks[i].end)
    if i >= 0 and not _is_speaker_word(toks[i]):
        relative = _before_relative(sentence, toks, i)
        if relative is not None:
            return relative
    return _phrase_ending(sentence, toks, i)


def _phrase_ending(sentence: str, toks: list[Tok], end: int) -> Speaker | None:
    if end >= 1 and toks[end].text.lower() in _WEEKDAYS and toks[end - 1].lower == "on":
        end -= 2  # "the ministry on Tuesday said"
    i = end
    while i >= 0 and end - i < _LOOK:
        if _is_speaker_word(toks[i]):
            i -= 1
        elif i >= 1 and toks[i].lower in _LINKS and _is_speaker_word(toks[i - 1]):
            i -= 1  # "a spokesman for the ministry", "officials at the hospital"
        elif i >= 2 and toks[i].lower == "the" and toks[i - 1].lower in _LINKS:
            i -= 2
        else:
            break
    i = _lowercase_title_start(toks, i, end)
    return _make_speaker(sentence, toks[i + 1 : end + 1], toks[i] if i >= 0 else None)


def _lowercase_title_start(toks: list[Tok], i: int, end: int) -> int:
    """Step back over "the county emergency management office" or "the Nordhaven water
    board" to its article."""
    if i < 0 or end <= i or not toks[i].is_word or toks[i + 1].is_cap:
        return i
    if not any(t.base in TITLE_HEADS for t in toks[i + 1 : end + 1]):
        return i
    for k in range(i, max(-1, i - 4), -1):
        if toks[k].lower in ("the", "its"):
            return k
        if not toks[k].is_word:
            return i
    return i


_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today tonight".split()
)
_LINKS = frozenset("for at from in of".split())


def _before_comma(sentence: str, toks: list[Tok], comma: int) -> Speaker | None:
    """ ", a senior investigator at Bellingcat, told" or "the chief engineer, Lena Varga,
    said": the name on either side of the commas."""
    for j in range(comma - 1, max(-1, comma - 25), -1):
        if toks[j].text == ",":
            inner = [t for t in toks[j + 1 : comma] if t.text != "."]
            if inner and all(_is_speaker_word(t) for t in inner) and inner[-1].is_cap:
                return _make_speaker(sentence, inner, toks[j])
            speaker = _phrase_ending(sentence, toks, j - 1)
            if (speaker is None or not speaker.text) and toks[j + 1].lower == "the":
                named = phrase_after(sentence, toks, j + 1)  # "The organisers, the Guild
                if named is not None and named.end == toks[comma - 1].end:  # of X, said"
                    return named if named.title is None else None
            if speaker is None or not speaker.text:
                return None
            if toks[j + 1].lower in _APPOSITIVE_START or guess_kind(speaker.text) == PERSON:
                clause = sentence[toks[j].start : toks[comma].end]
                if _ANONYMOUS_CLAUSE.search(clause):
                    speaker.anonymous, speaker.title = True, None
                return speaker
            return None
        if toks[j].text in '"“”;:()' or (toks[j].text == "." and not _honorific(toks, j)):
            return None
    return None


_ANONYMOUS_CLAUSE = re.compile(
    r"anonymity|not (?:to )?(?:be )?(?:named|identified)|authori[sz]ed to speak", re.I
)
_HONORIFICS = frozenset("mr mrs ms dr prof gen col capt lt sgt rev st".split())


def _honorific(toks: list[Tok], dot: int) -> bool:
    return dot > 0 and toks[dot - 1].lower in _HONORIFICS


def _before_relative(sentence: str, toks: list[Tok], i: int) -> Speaker | None:
    """ "a senior official who spoke on condition of anonymity said": the phrase before
    "who" is the speaker, and such a phrase is anonymous when the clause says so."""
    for j in range(i, max(-1, i - 20), -1):
        word = toks[j].lower
        if word in ("who", "familiar", "speaking"):
            speaker = _phrase_ending(sentence, toks, j - 1)
            if speaker is not None and speaker.text:
                clause = sentence[toks[j].start : toks[i].end]
                if guess_kind(f"{speaker.text} {clause}") == ANONYMOUS:
                    speaker.anonymous, speaker.title = True, None
            return speaker
        if not toks[j].is_word and toks[j].text not in "-'’":
            return None
    return None


def _is_speaker_word(tok: Tok) -> bool:
    if not tok.is_word:
        return False
    return (
        tok.is_cap
        or tok.base in _ROLE_WORDS
        or tok.lower in _PRONOUNS
        or tok.lower.startswith(("al-", "el-"))
    )


def phrase_after(
    sentence: str, toks: list[Tok], idx: int, *, documents: bool = True
) -> Speaker | None:
    """Speaker phrase starting at ``idx`` ("said Prime Minister X", "according to X")."""
    j = idx
    while j < len(toks) and toks[j].lower in ("the", "a", "an"):
        j += 1
    titled = j > idx and toks[j - 1].lower == "the"
    issuer = _issuer_of_document(sentence, toks, j) if documents else None
    if issuer is not None:  # "according to figures from the health ministry"
        return issuer
    end = j
    while end < len(toks) and end - j < _LOOK:
        tok = toks[end]
        if tok.lower in _HONORIFICS and end + 2 < len(toks) and toks[end + 1].text == ".":
            end += 2  # "according to Mr. Tavakoli"
        elif end > j and tok.lower in _LINKS and end + 1 < len(toks):
            nxt = end + 2 if toks[end + 1].lower == "the" and end + 2 < len(toks) else end + 1
            if not (toks[nxt].is_cap or toks[nxt].base in _ROLE_WORDS) or not toks[nxt].is_word:
                break
            end = nxt  # "the Steering Committee for Natural Disaster Prevention"
        elif tok.is_word and (tok.is_cap or tok.base in _ROLE_WORDS):
            end += 1
        elif end > j and tok.text[0].isdigit() and toks[end - 1].is_cap:
            end += 1  # "Canal 9 television"
        else:
            end = _lowercase_head(toks, end)
            break
    named = _name_after_comma(toks, end)
    if named is not None:  # "said the ministry's spokesman, Ali Khan."
        return _make_speaker(sentence, named)
    speaker = _make_speaker(sentence, toks[j:end], toks[j - 1] if titled else None)
    if speaker is not None and end < len(toks) and toks[end].lower == "who":
        clause = sentence[toks[end].start : toks[min(len(toks), end + 12) - 1].end]
        speaker.anonymous = guess_kind(f"{speaker.text} {clause}") == ANONYMOUS
    return speaker


def _lowercase_head(toks: list[Tok], end: int) -> int:
    """ "the provincial housing office": lowercase words up to a body's head noun belong
    to the phrase; anything else ends it where it stopped."""
    for k in range(end, min(len(toks), end + 3)):
        if not toks[k].is_word or toks[k].is_cap:
            return end
        if toks[k].base in ORG_HEADS:
            return k + 1
    return end


def _issuer_of_document(sentence: str, toks: list[Tok], j: int) -> Speaker | None:
    """ "figures from the health ministry", "a preliminary report by the inspectorate",
    "the information of the Ministry of Shipping": who issued the document speaks."""
    for k in range(j, min(len(toks) - 1, j + 3)):
        if not toks[k].is_word or toks[k].is_cap:
            return None
        if toks[k].base in _DOCUMENT_FROM and toks[k + 1].lower in _FROM:
            skip = 2 if toks[k + 1].lower in ("issued", "released", "published") else 1
            issuer = phrase_after(sentence, toks, k + 1 + skip, documents=False)
            return issuer if issuer is not None and issuer.text else None
    return None


def _name_after_comma(toks: list[Tok], comma: int) -> list[Tok] | None:
    """The name in ", Ali Khan," or ", Ali Khan." right after a role."""
    if comma >= len(toks) or toks[comma].text != ",":
        return None
    k = comma + 1
    while k < len(toks) and k - comma <= 4 and toks[k].is_word and toks[k].is_cap:
        k += 1
    if k == comma + 1 or (k < len(toks) and toks[k].text not in ",.;"):
        return None
    return toks[comma + 1 : k]


def _make_speaker(sentence: str, words: list[Tok], before: Tok | None = None) -> Speaker | None:
    article = before.lower if before is not None else None
    for k in range(len(words) - 1, 0, -1):
        if words[k].text in ("The", "A", "An"):  # "10:45 GMT The ministry said"
            words = words[k:]
            break
    while len(words) > 1 and words[0].lower in _LEADING_DROP | _POSSESSIVES:
        article, words = words[0].lower, words[1:]  # "Her office said"
    while words and words[0].lower in _LINKS:
        article, words = None, words[1:]
    while words and words[-1].lower in ("of", "for", "at", "from", "the"):
        words = words[:-1]
    for k, word in enumerate(words[:-1]):
        if word.text.endswith(("'s", "’s")) and all(
            w.base in _DOCUMENT_FROM or w.base in _DOCUMENT_WORDS for w in words[k + 1 :]
        ):
            words = words[: k + 1]  # "the ministry's statement said": the ministry
            break
    words = _body_of_mouthpiece(words)
    if words and words[0].lower == "the":
        article, words = "the", words[1:]
    if not words:
        return None
    if len(words) == 1 and words[0].lower in _PRONOUNS:
        return Speaker(None, words[0].start, words[0].end, pronoun=words[0].lower)
    last = words[-1]
    if (last.lower in _NOT_SPEAKERS and not last.text.isupper()) or last.lower in _PRONOUNS:
        return None  # "which said", "it said" name nobody; "WHO said" names a body
    end = words[-1].end - (2 if words[-1].text.endswith(("'s", "’s")) else 0)
    text = sentence[words[0].start : end]
    speaker = Speaker(text, words[0].start, end, anonymous=guess_kind(text) == ANONYMOUS)
    if article == "this":
        return None  # "an earlier version of this report gave"
    if article in ("the", "its", "their"):
        speaker.title = _title(words)
    elif article in ("his", "her") and words[-1].base in ORG_HEADS | _OWNED:
        speaker.owner = article  # "her office said": the office of the person last named
    elif article is None and len(words) > 1 and not any(w.is_cap for w in words):
        speaker.title = _title(words)  # "says rail operator", in a headline
    return speaker


_OWNED = frozenset("campaign spokesman spokeswoman spokesperson lawyer lawyers".split())
_MOUTHPIECE = frozenset("press service spokesman spokeswoman spokesperson spokespeople".split())


def _body_of_mouthpiece(words: list[Tok]) -> list[Tok]:
    """ "the press service of the ministry", "a spokesman for the ministry": the body
    speaks, so the words after the link are the speaker."""
    for k, word in enumerate(words[1:-1], 1):
        if word.lower in ("of", "for") and all(w.lower in _MOUTHPIECE for w in words[:k]):
            return words[k + 1 :]
        if word.lower not in _MOUTHPIECE:
            return words
    return words


_DOCUMENT_WORDS = frozenset("statement report figures data communique release".split())


def _title(words: list[Tok]) -> str | None:
    """ "the minister", "the health ministry": a role with no name, to be resolved."""
    if not words or any(not w.is_word or w.lower in _LINKS for w in words):
        return None
    if words[-1].base not in TITLE_HEADS:
        return None
    if any(w.is_cap for w in words) and len(words) > 1:
        return None  # "the Interior Ministry" is a name
    return "the " + " ".join(w.base for w in words)


PERSON_HEADS = frozenset(
    """minister president premier chancellor mayor governor spokesman spokeswoman
    spokesperson secretary director chief commander general envoy ambassador prosecutor
    judge engineer chairman chairwoman leader head commissioner constable sergeant inspector
    superintendent sheriff coroner captain colonel detective lieutenant""".split()
)
ORG_HEADS = frozenset(
    """office committee inspectorate bureau ministry department agency company firm
    airline group charity organisation
    organization council army police union operator utility service authority
    commission presidency government administration hospital court broadcaster
    newspaper channel coastguard navy board institute guild inspectorate directorate
    campaign treasury""".split()
)
TITLE_HEADS = PERSON_HEADS | ORG_HEADS
# "the company" may be any organisation; the others need their word in the name.
ORG_HEAD_KINDS = {
    "company": (ORGANISATION,), "firm": (ORGANISATION,), "group": (ORGANISATION,),
    "charity": (ORGANISATION,), "organisation": (ORGANISATION,),
    "organization": (ORGANISATION,), "operator": (ORGANISATION,),
    "utility": (ORGANISATION,), "airline": (ORGANISATION,),
    "agency": ("agency", "government", ORGANISATION), "broadcaster": ("outlet",),
    "newspaper": ("outlet",), "channel": ("outlet",),
}  # fmt: skip
