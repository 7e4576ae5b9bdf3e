"""The extraction pipeline: sentences to candidates, then conflicts across candidates."""

from __future__ import annotations

from dataclasses import dataclass

from claims.lib.extraction.corrections import find_correction, unify_correction
from claims.lib.extraction.quantities import Quantity
from claims.lib.extraction.scoring import is_checkworthy, score_sentence
from claims.lib.extraction.speakers import SpeakerContext, find_speaker
from claims.lib.extraction.subjects import find_quantities, subject_key
from claims.lib.extraction.text import Deadline, normalise, sentences, validate


@dataclass
class _Candidate:
    sentence: str
    speaker: str | None
    quantities: list[Quantity]
    score: float
    correction: tuple[Quantity, Quantity] | None = None

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


def _candidate(sentence: str, context: SpeakerContext) -> _Candidate | None:
    found = find_speaker(sentence)
    speaker = context.resolve(sentence, found)
    qs = find_quantities(sentence, found if found is not None and not found.pronoun else None)
    if not is_checkworthy(sentence, speaker is not None, qs):
        return None
    correction = find_correction(sentence, qs)
    if correction:
        unify_correction(*correction)
    score = score_sentence(sentence, speaker is not None, qs, correction is not None)
    return _Candidate(sentence, speaker, qs, score, correction)


def _conflicts(candidates: list[_Candidate]) -> list[dict]:
    """Subjects given more than one value across the candidates.

    Figures are grouped by subject key and unit: "50 km" and "30 miles" of the same place
    are not a disagreement.
    """
    groups: dict[tuple[str, str | None], list[tuple[int, Quantity]]] = {}
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
    candidates: list[_Candidate], members: list[tuple[int, Quantity]], values: list
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
    """The values in order, each once (numbers hash alike when equal: 57 and 57.0)."""
    return list(dict.fromkeys(values))


def extract(text: str, *, time_limit: float | None = None) -> dict:
    """Extract candidate claims and numeric conflicts from live-updates text.

    Raises ExtractionError for empty, binary or oversized input, and its ExtractionTimeout
    once more than ``time_limit`` seconds have gone by (checked at least once a sentence,
    and each sentence's work is bounded).
    """
    deadline = Deadline(time_limit)
    validate(text)
    context = SpeakerContext()
    candidates = []
    for sentence in sentences(normalise(text), deadline):
        deadline.check()
        cand = _candidate(sentence, context)
        if cand is not None:
            candidates.append(cand)
    return {
        "candidates": [c.as_dict() for c in candidates],
        "conflicts": _conflicts(candidates),
    }
