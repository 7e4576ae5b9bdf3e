"""The extraction pipeline: sentences to candidates, then corrections across candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from claims.lib.extraction.claimtext import claim_text
from claims.lib.extraction.corrections import find_correction, find_difference, unify_correction
from claims.lib.extraction.figures import approximation, figure_key, join_ranges
from claims.lib.extraction.linking import Linker, conflicts
from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.scoring import Score, is_checkworthy, score_sentence
from claims.lib.extraction.speakers import SpeakerContext, find_speakers
from claims.lib.extraction.subjects import find_quantities, subject_after_aside
from claims.lib.extraction.text import Deadline, entries, normalise, validate
from claims.lib.extraction.times import stamp_time

_DIFFERENCE_AFTER = re.compile(r"\s+(?:more|additional|further)\b", re.IGNORECASE)


@dataclass
class _Candidate:
    sentence: str
    time: str | None
    attributions: list[dict]
    quantities: list[Quantity]
    correction: tuple[Quantity, Quantity] | None = None
    reason: str = ""
    score: Score | None = None
    claim: str = ""
    extra_reasons: list[str] = field(default_factory=list)

    @property
    def speaker(self) -> str | None:
        return self.attributions[0]["speaker"] if self.attributions else None

    def as_dict(self) -> dict:
        corrects = None
        if self.correction:
            old, new = self.correction
            corrects = {
                "old": old.stated,
                "new": new.stated,
                "subject": new.subject or old.subject,
                "figure": new.figure,
                "reason": self.reason,
            }
        return {
            "sentence": self.sentence,
            "quote": self.sentence,
            "claim_text": self.claim,
            "speaker": self.speaker,
            "speaker_kind": self.attributions[0]["kind"] if self.attributions else None,
            "attributions": self.attributions,
            "time": self.time,
            "quantities": [q.as_dict() for q in self.quantities],
            "score": self.score.value,
            "score_label": self.score.label,
            "reasons": list(self.score.reasons),
            "corrects": corrects,
        }


def _figures(sentence: str, found: list) -> tuple[list[Quantity], tuple | None]:
    """The sentence's figures, each with its figure key and exactness, and the
    correction the sentence itself states."""
    qs = join_ranges(sentence, find_quantities(sentence, found))
    for q in qs:
        if q.value_high is None:
            q.approximation = approximation(sentence, q)
    difference = find_difference(sentence, qs)
    if difference is not None:
        change, old, new = difference
        new.subject = new.subject or change.subject  # "raised the toll by two to 19"
        qs = [q for q in qs if q is not change]
    # "12 more bodies were found": by how much a count grew, not a count.
    qs = [q for q in qs if q.unit is not None or not _DIFFERENCE_AFTER.match(sentence, q.end)]
    correction = find_correction(sentence, qs)
    if correction:
        old_q, new_q = correction
        if not (old_q.subject or new_q.subject):
            new_q.subject = subject_after_aside(sentence, max(old_q.end, new_q.end))
        unify_correction(*correction)
    for q in qs:
        q.figure = figure_key(q, sentence)
    if correction is None and difference is not None:
        old.figure, old.subject = new.figure, new.subject
        correction = (old, new)
    return qs, correction


def _attributions(sentence: str, context: SpeakerContext, when: str | None):
    """Who said it, each attribution resolved and timed, and the speaker the sentence
    names itself (whose words are not what a figure counts)."""
    found = find_speakers(sentence)
    said = context.resolve_all(sentence, found)
    for a in said:
        a["when"] = when
    return said, [f for f in found if not f.pronoun]


_CLAUSE_BREAK = re.compile(
    r",?\s+(?:while|whereas|but|although)\s+|;\s+|,\s+and\s+(?=\w+\s+\w*\s*said)"
)


def _speakers_of(sentence: str, qs: list[Quantity], said: list[dict], spans) -> list:
    """Whose each figure is: the attribution in its own clause when a sentence has more
    than one ("X said 80 were killed, while Y put the toll at 65"), else the sentence's."""
    first = said[0]["speaker"] if said else None
    if len(said) < 2 or len(spans) != len(said):
        return [first] * len(qs)
    breaks = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]

    def clause(at: int) -> int:
        return next(i for i, b in enumerate(breaks[1:]) if at < b or b == breaks[-1])

    by_clause = {}
    for attribution, (start, _) in zip(said, spans, strict=True):
        by_clause.setdefault(clause(start), attribution["speaker"])
    return [by_clause.get(clause(q.start), first) for q in qs]


def extract(
    text: str,
    *,
    time_limit: float | None = None,
    story_date: date | None = None,
    time_zone: tzinfo | str | None = None,
) -> dict:
    """Extract candidate claims, their figures and the corrections and disagreements
    between them from live-updates text.

    ``story_date`` and ``time_zone`` say which day and zone live-blog timestamps ("09:12")
    are in. Raises ExtractionError for empty, binary or oversized input, and its
    ExtractionTimeout once more than ``time_limit`` seconds have gone by (checked at
    least once a sentence, and each sentence's work is bounded).
    """
    deadline = Deadline(time_limit)
    validate(text)
    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    context = SpeakerContext()
    linker = Linker()
    candidates: list[_Candidate] = []
    for sentence, stamp in entries(normalise(text), deadline):
        deadline.check()
        moment = stamp_time(stamp, story_date, zone) if stamp else None
        when = moment.isoformat() if moment else None
        said, found = _attributions(sentence, context, when)
        qs, correction = _figures(sentence, found)
        if not is_checkworthy(sentence, bool(said), qs):
            continue
        cand = _Candidate(sentence, when, said, qs, correction)
        whose = _speakers_of(sentence, qs, said, context.spans)
        made = linker.see(len(candidates), sentence, whose, qs, correction)
        if correction is not None:
            cand.reason = "stated as a correction"
        elif made is not None:
            cand.correction, cand.reason = (made[0], made[1]), made[2]
        cand.score = score_sentence(sentence, bool(said), qs, cand.correction is not None)
        candidates.append(cand)
    for cand in candidates:  # after the text is read: a title may be named only later
        cand.claim = claim_text(cand.sentence, cand.speaker, cand.quantities, cand.correction)
    return {
        "candidates": [c.as_dict() for c in candidates],
        "conflicts": conflicts(linker.links, [c.speaker for c in candidates]),
    }
