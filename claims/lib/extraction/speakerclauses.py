"""The clause around a speech verb: whether it reports anything, and who else it names.

"The government declared 23 August a day of mourning" reports nothing; in "the toll that
her government announced on Thursday" the verb sits in a clause about the toll; "The
ministry denied a report by Canal 9" has two sources; "..., saying" and "... and said"
share the sentence's subject. Each check looks a bounded number of tokens around the verb.
"""

from __future__ import annotations

import re

from claims.lib.extraction.speakerphrases import Speaker, phrase_after
from claims.lib.extraction.text import Tok, TokenIndex

_SPEECH_WORD = re.compile(
    r"(?:said|says|say|told|tells|added|adds|announced|stated|states|reported|reports"
    r"|confirmed|insisted|noted|claimed|warned|wrote|believes?)$"
)
# Verbs that take a plain object when they report nothing: "declared a day of mourning".
_OBJECT_VERBS = frozenset("declared declares declare".split())
_CLAUSE_END = frozenset(". ! ? ; ”".split()) | {'"'}
_SUBORDINATORS = frozenset("until before after once unless when if whether".split())
# What follows a verb whose object a relative clause took ("the toll that the ministry
# announced on Thursday"); "the fire, which the brigade said was deliberate" reports.
_AFTER_RELATIVE = frozenset("on in at last earlier this yesterday today , .".split())
_AUXILIARIES = frozenset(
    """does do did not has have had also later then would will could may might can
    cannot never further""".split()
)
_RESPONSES = frozenset(
    """denied denies deny rejected rejects dismissed dismisses disputed disputes confirmed
    confirms contradicted""".split()
)
_REPORT_NOUNS = frozenset("report reports claim claims statement account accounts".split())
_REPORT_BY = frozenset("by from in on".split())


def reports(index: TokenIndex, speaker: Speaker, cue: re.Match, idx: int) -> bool:
    """Whether a speaker phrase found before its verb is the source of a report."""
    toks = index.toks
    if speaker.end > cue.start():
        return True  # named after the verb: '"...," said the minister'
    first = index.position(speaker.start)
    if first is None:
        return True
    while _word(toks, first - 1) in _DETERMINERS:
        first -= 1  # "until the inquiry reported", "that her government announced"
    before = _word(toks, first - 1)
    after = _word(toks, idx + 1)
    if cue.group() in _OBJECT_VERBS and not _declares_that(toks, idx):
        return False  # "The government declared 23 August a day of national mourning"
    if before in ("that", "which") and after in _AFTER_RELATIVE:
        if not _SPEECH_WORD.match(_word(toks, first - 2)):
            return False  # "the toll of 92 that her government announced on Thursday"
    if before in _SUBORDINATORS and (after in _CLAUSE_END or idx + 1 >= len(toks)):
        return False  # "until the inquiry reported."
    if before == "that":
        before = _word(toks, first - 2)
    return not _SPEECH_WORD.match(before)  # "said survivors had told its staff"


def _declares_that(toks: list[Tok], idx: int) -> bool:
    nxt = toks[idx + 1 : idx + 5]
    if not nxt or nxt[0].text in ',.:;"“':
        return True
    return any(t.lower == "that" for t in nxt)


def _word(toks: list[Tok], k: int) -> str:
    return toks[k].lower if 0 <= k < len(toks) else ""


def source_of_report(index: TokenIndex, cue: re.Match, idx: int) -> Speaker | None:
    """ "denied a report by Canal 9 television": the report's source is attributed too."""
    if cue.group().lower() not in _RESPONSES:
        return None
    toks = index.toks
    k = idx + 1
    while k < len(toks) and k - idx <= 3 and toks[k].is_word and not toks[k].is_cap:
        if toks[k].lower in _REPORT_NOUNS and _word(toks, k + 1) in _REPORT_BY:
            found = phrase_after(index.text, toks, k + 2)
            return found if found is not None and found.text and not found.pronoun else None
        k += 1
    return None


def coordinated(toks: list[Tok], idx: int) -> bool:
    """ "has opened a case and does not exclude sabotage": a second verb of one subject."""
    k = idx - 1
    while k >= 0 and idx - k <= 4 and toks[k].lower in _AUXILIARIES:
        k -= 1
    return k >= 0 and toks[k].lower == "and"


def subject(index: TokenIndex) -> Speaker | None:
    """The name or title opening the sentence, when a verb follows it."""
    toks = index.toks
    found = phrase_after(index.text, toks, 0)
    if found is None or (found.text is None and found.pronoun is None):
        return None
    k = next((i for i, t in enumerate(toks[:20]) if t.start >= found.end), None)
    while k is not None and k < len(toks) and toks[k].lower in _AUXILIARIES:
        k += 1
    ok = k is not None and k < len(toks) and toks[k].is_word and not toks[k].is_cap
    return found if ok and toks[k].lower not in _NOT_VERBS else None


_DETERMINERS = frozenset("the a an his her its their".split())
_NOT_VERBS = frozenset("of in at for from on with and or who which that".split())
