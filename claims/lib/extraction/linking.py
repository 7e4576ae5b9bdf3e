"""Corrections and disagreements across the sentences of a text.

A later value for the same figure by the same speaker replaces the earlier one: a
correction, old value first. A value told as a revision ("has revised the toll to 31",
"Correction: ...") replaces the latest value whoever gave it. A value told as what was
said before ("had said 40") is the old one of the latest. Different speakers giving
different values, neither revising, disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.lib.extraction.corrections import (
    is_past_figure,
    revision_cue,
    strong_revision_cue,
)
from claims.lib.extraction.quantities import Quantity


@dataclass
class Sighting:
    q: Quantity
    speaker: str | None
    index: int
    day: str | None = None  # the day the sentence names: "on Friday", "yesterday"


@dataclass
class Link:
    old: Quantity
    new: Quantity
    candidates: tuple[int, ...]
    reason: str
    kind: str = "correction"


@dataclass
class _Figure:
    sightings: list[Sighting] = field(default_factory=list)

    def last(self, speaker: str | None = None, *, any_speaker: bool = True) -> Sighting | None:
        for s in reversed(self.sightings):
            if any_speaker or _same_who(s.speaker, speaker):
                return s
        return None


def _same_who(a: str | None, b: str | None) -> bool:
    """One speaker under two names: "Ridgeback" and "Ridgeback Resources"."""
    if a is None or b is None:
        return a is b
    words_a, words_b = set(a.split()), set(b.split())
    return a == b or words_a <= words_b or words_b <= words_a


def _who(speaker: str | None) -> str | None:
    return " ".join(speaker.lower().split()) if speaker else None


class Linker:
    """Walks the candidates in reading order, keeping what each figure was last said to be."""

    def __init__(self) -> None:
        self.figures: dict[tuple[str, str | None], _Figure] = {}
        self.links: list[Link] = []
        self._last_key: dict[str | None, str] = {}
        self._revised: dict[str | None, Sighting] = {}
        self._pending: Sighting | None = None
        self._day: str | None = None
        # The figures most recently given a value, by what can match them: their kind's
        # head word, their qualifiers, their unit; a bounded few each, so a text with
        # thousands of figures costs each figure the same few comparisons.
        self._recent: dict[tuple, dict[str, tuple[str, str]]] = {}

    def see(self, index: int, sentence: str, speakers: list, qs: list[Quantity], stated):
        """Read one candidate: ``speakers`` says whose each of its figures ``qs`` is, and
        ``stated`` is the (old, new) its own sentence states, if any. Returns the (old,
        new, reason) correction it makes, if it makes one."""
        cue, past = revision_cue(sentence), is_past_figure(sentence)
        self._day = day = _day(sentence)
        strong = strong_revision_cue(sentence)
        who = _who(speakers[0]) if speakers else None
        made = None
        if cue and not past:
            self.note_revision(index, qs, stated)
        if stated is not None:
            old, new = stated
            if new.figure:
                old.figure = new.figure = self._same_figure(new, True)
            self._record(old, who, index)
            self._record(new, who, index)
            self.links.append(Link(old, new, (index,), "stated as a correction"))
            return None
        pending, self._pending = self._pending, None
        for q, speaker in zip(qs, speakers, strict=True):
            who, past = _who(speaker), is_past_figure(sentence, q)
            if pending is not None and made is None and _answers(pending, q, index):
                # "An earlier version of this report gave 140." "The minister said 104."
                q.figure = q.figure or pending.q.figure
                link = Link(pending.q, q, (pending.index, index), "an earlier figure")
                self.links.append(link)
                made = (link.old, link.new, link.reason)
                self._record(q, who, index)
                continue
            if not q.figure and cue:
                q.figure = self._last_key.get(q.unit, "")
            if not q.figure:
                continue
            q.figure = self._same_figure(q, cue)
            figure = self.figures.setdefault((q.figure, q.unit), _Figure())
            latest = figure.last()
            if latest is None and past and made is None and q.unit is not None:
                revised = self._revised.get(q.unit)
                if revised is not None and index - revised.index <= 5:
                    # "...corrected its turnout figure to 58.9%." "It had said 61.4%."
                    link = Link(q, revised.q, (index, revised.index), "an earlier figure")
                    self.links.append(link)
                    made = (link.old, link.new, link.reason)
                    continue
            if latest is None and past and made is None:
                self._pending = Sighting(q, who, index)  # "An earlier version said 140."
            if latest is None or latest.q.stated == q.stated:
                self._record(q, who, index)
                continue
            mine = figure.last(who, any_speaker=False)
            if past:
                link = Link(q, latest.q, (index, latest.index), "an earlier figure")
            elif (
                mine is not None
                and mine.q.stated != q.stated
                and (cue or (_running(q) and not _other_day(mine, day)))
            ):
                link = Link(mine.q, q, (mine.index, index), "revised by the same speaker")
            elif mine is not None and mine.q.stated != q.stated:
                self._record(q, who, index)
                continue  # the same words for what may be another count: no call made
            elif mine is not None:
                self._record(q, who, index)
                continue  # the speaker repeats what they said before
            elif strong or (cue and (who is None or latest.speaker is None)):
                link = Link(latest.q, q, (latest.index, index), _revised_by(latest, who))
            else:
                link = Link(latest.q, q, (latest.index, index), "", kind="disagreement")
            self.links.append(link)
            if link.kind == "correction" and made is None:
                made = (link.old, link.new, link.reason)
            if not past:
                self._record(q, who, index)
        return made

    def note_revision(self, index: int, qs: list[Quantity], stated) -> None:
        """A sentence that revises a figure: its new value, which a following "had said"
        sentence may give the old value of, under other words."""
        new = stated[1] if stated else next(iter(qs), None)
        if new is not None:
            self._revised[new.unit] = Sighting(new, None, index)

    def _same_figure(self, q: Quantity, cue: bool) -> str:
        """The key of the figure ``q`` is a value of: its own, or, when one of the two
        names no place ("the death toll" after "40 died in the valley"), the latest
        figure of the same kind it can be."""
        if (q.figure, q.unit) in self.figures or not q.base:
            return q.figure
        best, best_rank = q.figure, (False, -1)
        for bucket in _buckets(q.base, q.unit, looking=True):
            for key, (base, place) in self._recent.get(bucket, {}).items():
                if not _bases_match(base, q.base, cue):
                    continue
                if q.place and place != q.place:
                    continue  # "2,340 across the state" is not the district's "212"
                # The same place (or none, like q) first, then the latest.
                rank = (place == q.place, self.figures[(key, q.unit)].sightings[-1].index)
                if rank > best_rank:
                    best, best_rank = key, rank
        return best

    def _record(self, q: Quantity, who: str | None, index: int) -> None:
        if not q.figure:
            return
        self.figures.setdefault((q.figure, q.unit), _Figure()).sightings.append(
            Sighting(q, who, index, self._day)
        )
        if q.base:
            for bucket in _buckets(q.base, q.unit, looking=False):
                recent = self._recent.setdefault(bucket, {})
                recent.pop(q.figure, None)
                recent[q.figure] = (q.base, q.place)
                if len(recent) > _RECENT:
                    del recent[next(iter(recent))]  # the figure least recently given a value
        self._last_key[q.unit] = q.figure


_RECENT = 16
_DAY = re.compile(
    r"\b(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b",
    re.IGNORECASE,
)


def _day(sentence: str) -> str | None:
    m = _DAY.search(sentence)
    return m.group(1).lower() if m else None


def _other_day(earlier: Sighting, day: str | None) -> bool:
    """Whether two counts are of different days ("three arrests on Friday", "five on
    Saturday"): then a new one replaces nothing unless the text says it does."""
    return earlier.day is not None and day is not None and earlier.day != day


def _buckets(base: str, unit: str | None, *, looking: bool) -> list[tuple]:
    """Where a figure of kind ``base`` is kept, or, ``looking``, where the figures it may
    be one with are: the same head word ("killed", "killed child"); a bare count or
    measure ("*") with its qualifiers, or any figure of its unit for a bare "*"."""
    head, _, rest = base.partition(" ")
    if head == "*":
        return [("rest", rest, unit) if rest else ("unit", unit), ("head", "*", unit)]
    kept = [("head", head, unit), ("rest", rest, unit), ("unit", unit)]
    return [("head", head, unit), ("head", "*", unit)] if looking else kept


def _answers(pending: Sighting, q: Quantity, index: int) -> bool:
    """Whether ``q``, right after a sentence that told of an earlier value, gives the
    value now: of the same figure, or of none named ("The minister said 104.")."""
    if index != pending.index + 1 or q.unit != pending.q.unit or q.stated == pending.q.stated:
        return False
    return q.figure in ("", pending.q.figure)


def _bases_match(a: str, b: str, cue: bool) -> bool:
    """Whether two figures' kinds can be one: alike, or, in a sentence that revises a
    figure, one of them a bare count or measure ("*") with the same qualifiers ("raised
    the confirmed count to 236" after "212 confirmed cases")."""
    if a == b:
        return True
    if not cue:
        return False
    if a == "*" or b == "*":
        return True
    bare, qualified = (b, a) if len(b) < len(a) else (a, b)
    if " " not in bare and qualified.startswith(f"{bare} ") and not qualified.endswith(" part"):
        return True  # "the death toll rose to 15" after "11 workers were killed"
    head_a, _, rest_a = a.partition(" ")
    head_b, _, rest_b = b.partition(" ")
    return (head_a == "*" or head_b == "*") and rest_a == rest_b


_RUNNING = frozenset(
    "killed missing injured evacuated displaced rescued arrested hospitalised cases".split()
)


def _running(q: Quantity) -> bool:
    """A count that grows or is corrected as a story runs: a toll, the missing, cases."""
    return q.figure.split(" ", 1)[0] in _RUNNING


def _revised_by(earlier: Sighting, who: str | None) -> str:
    if _same_who(earlier.speaker, who):
        return "revised by the same speaker"
    return "stated as a revision of the earlier figure"


def conflicts(links: list[Link], speakers: list[str | None]) -> list[dict]:
    """The conflicts of the text: each correction once, and per figure the values that
    different sources disagree on."""
    out, seen = [], set()
    disagreements: dict[tuple[str, str | None], dict] = {}
    for link in links:
        if link.kind == "correction":
            key = (repr(link.old.stated), repr(link.new.stated), link.new.figure)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "subject": link.new.subject or link.old.subject,
                    "values": [link.old.stated, link.new.stated],
                    "candidates": sorted(set(link.candidates)),
                    "kind": "correction",
                    "figure": link.new.figure,
                    "old": link.old.stated,
                    "new": link.new.stated,
                    "reason": link.reason,
                }
            )
            continue
        group = disagreements.setdefault(
            (link.new.figure, link.new.unit),
            {
                "subject": link.old.subject or link.new.subject,
                "values": [],
                "candidates": [],
                "kind": "disagreement",
                "figure": link.new.figure,
                "old": None,
                "new": None,
                "reason": "",
            },
        )
        for q, i in ((link.old, link.candidates[0]), (link.new, link.candidates[-1])):
            if q.stated not in group["values"]:
                group["values"].append(q.stated)
            if i not in group["candidates"]:
                group["candidates"].append(i)
        other = speakers[link.candidates[0]]
        source = f"{other} gives" if other else "a different source gives"
        group["reason"] = f"{source} {_fmt(link.old)}"
    for group in disagreements.values():
        group["candidates"].sort()
        out.append(group)
    return out


def _fmt(q: Quantity) -> str:
    stated = q.stated
    if isinstance(stated, list):
        return f"{stated[0]:g}–{stated[1]:g}"
    return f"{stated:g}"
