"""The claim text proposed for a sentence, in the desk's style: who says what, and the figure.

The quote keeps the exact words; the claim text is what the desk would file: "Interior
Ministry revises the death toll to 31, from 40", "Red Crescent says 12 people are missing".
Labels such as "Correction:" and the attribution itself are taken out of the words.
"""

from __future__ import annotations

import re

from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.speakers import SPEECH_VERBS

_LABEL = re.compile(
    r"^(?:correction|update[d]?|breaking|clarification|editor'?s note|latest|urgent|flash)"
    r"\s*[:\-–—]\s*",
    re.IGNORECASE,
)
_SPEECH = f"(?:{SPEECH_VERBS})"
_TRAILING_SAID = re.compile(rf"[,;]?\s+[^,;]{{0,80}}?\b{_SPEECH}\b[^,;]{{0,60}}?[.!?]?$")
_VERB_AFTER = re.compile(rf"^\s*(?:,[^,]{{0,80}},\s*)?(?:has\s+|have\s+|had\s+)?{_SPEECH}\b")
_UP_TO_THAT = re.compile(r"^[^,.;\"“]{0,80}?\bthat\s+")
_ACCORDING = re.compile(r"^\s*according to [^,]{1,80},\s*|,?\s*according to [^,.]{1,80}", re.I)
_LOWER_FIRST = frozenset(
    """the a an at more there it its this these those some many several about around nearly
    up as no none all two three four five six seven eight nine ten between over under
    almost only just fewer less one most nobody everyone none rescuers officials police
    authorities residents""".split()
)


def claim_text(quote: str, speaker: str | None, qs: list[Quantity], corrects) -> str:
    """The proposed claim text for a sentence whose exact words are ``quote``."""
    words = _LABEL.sub("", quote).strip()
    if corrects is not None and speaker:
        old, new = corrects
        subject = _subject_phrase(new)
        revises = "revise" if _plural(speaker) else "revises"
        who = speaker[:1].upper() + speaker[1:]
        return f"{who} {revises} {subject} to {_value(new)}, from {_value(old)}"
    if not speaker:
        return _sentence_case(words)
    content = _without_attribution(words, speaker)
    if not content:
        return _sentence_case(words)
    says = "say" if _plural(speaker) else "says"
    return f"{speaker[:1].upper()}{speaker[1:]} {says} {_lower_first(content)}"


_PLURAL_NOUNS = frozenset(
    """police people staff military authorities media officials sources witnesses residents
    rescuers doctors medics investigators officers soldiers troops workers survivors relatives
    analysts experts activists protesters diplomats firefighters engineers""".split()
)


def _plural(speaker: str) -> bool:
    """Whether the speaker is plural ("police say", "officials say"): a plural common noun
    ends it, not a name that ends in s ("Reuters", "Doctors Without Borders" is one body)."""
    last = speaker.split()[-1].lower()
    if last in _PLURAL_NOUNS:
        return True
    return not speaker[:1].isupper() and last.endswith("s") and not last.endswith("ss")


def _without_attribution(words: str, speaker: str) -> str:
    text = _ACCORDING.sub("", words).strip()
    if text != words.strip():
        return _tidy(text)
    at = text.find(speaker)
    if at < 0:
        return ""
    if len(text[:at].split()) <= 3:  # "The regional governor said (that) ..."
        rest = text[at + len(speaker) :]
        m = _VERB_AFTER.match(rest)
        if not m:
            return ""
        rest = rest[m.end() :]
        that = _UP_TO_THAT.match(rest)  # "told a news conference on Tuesday that ..."
        return _tidy(rest[that.end() :] if that else rest)
    tail = _TRAILING_SAID.search(text, max(0, at - 40))  # "..., the ministry said."
    if tail and tail.start() <= at:
        return _tidy(text[: tail.start()])
    return _tidy(text[:at])


def _tidy(text: str) -> str:
    text = text.strip().strip(",;:").strip()
    if len(text) >= 2 and text[0] in '"“' and text[-1] in '"”,.':
        text = text.strip('"“”').strip()
    return text.rstrip(" ,;:").rstrip(".")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST and first[:1].isupper() and not first.isupper():
        return first.lower() + text[len(first) :]
    return text


def _sentence_case(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def _subject_phrase(q: Quantity) -> str:
    subject = q.subject.strip()
    if not subject:
        return "the figure"
    lower = subject.lower()
    return subject if lower.startswith(("the ", "its ", "their ")) else f"the {subject}"


def _value(q: Quantity) -> str:
    def fmt(v) -> str:
        return f"{v:,}" if isinstance(v, int) else f"{v:,.10g}"

    unit = f" {q.unit}" if q.unit and q.unit not in ("%",) else (q.unit or "")
    if q.value_high is not None:
        return f"{fmt(q.value)}–{fmt(q.value_high)}{unit}"
    return f"{fmt(q.value)}{unit}"
