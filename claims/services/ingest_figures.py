"""Which of a story's figures an extracted sentence speaks of, and whether it contradicts or
corrects what that figure stands at.

A sentence speaks of a figure when one of its quantities has the figure's subject key
(``claims.lib.extraction.subject_key``): "the Canadian victims" and "victims from Canada"
find the figure "Canadian victims"; "Canadian citizens killed" is another subject. Its value
is judged against the figure's current report or, while sources disagree, against each
standing report, never against the figure's older reports.

What a figure stands at is derived by ``claims.selectors.figures``. Services do not read
through selectors (the layers keep them apart), so callers hand in the story's figure
summaries: objects with ``figure`` and ``state``, as ``desk_story_figures`` returns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError

from claims.lib.extraction import figure_of, subject_key
from claims.models import Figure, IngestCandidate, Story
from claims.validation import clean_unit, json_number

Flag = IngestCandidate.Flag


class FigureSummary(Protocol):
    figure: Figure
    state: Any  # claims.selectors.figures.FigureState


# Reads a story's figures with what each stands at (the caller's choice of claims counts).
ReadFigures = Callable[[Story], Iterable[FigureSummary]]


@dataclass(frozen=True)
class Judgement:
    """The figure a sentence speaks of, the value it gives it, and the report it contradicts
    (``flag`` conflict) or corrects (``flag`` correction); no report when it agrees."""

    figure: Figure | None = None
    quantity: dict | None = None
    flag: str = Flag.NONE
    report: Any = None  # a ReportRow of the figure

    @property
    def report_id(self) -> int | None:
        return self.report.claim_id if self.report is not None else None


class FigureIndex:
    """A story's unmerged figures by subject key, each with what it stands at."""

    def __init__(self, summaries: Iterable[FigureSummary]) -> None:
        self._by_key: dict[str, FigureSummary] = {}
        for summary in summaries:
            for key in figure_keys(summary.figure):
                self._by_key.setdefault(key, summary)

    def judge(self, quantities: list[dict], corrects: dict | None) -> Judgement:
        """The first figure the sentence contradicts or corrects, else the first it speaks of."""
        found = Judgement()
        for key, said in _asserted_by_subject(quantities, corrects):
            summary = self._by_key.get(key)
            if summary is None:
                continue
            judged = _against(summary, said, corrects)
            if judged.flag != Flag.NONE:
                return judged
            if found.figure is None:
                found = judged
        return found


def figure_keys(figure) -> list[str]:
    """The keys a story's figure is found under: its subject key, and the extractor's
    figure key of its name, so "Canadian citizens killed on PS752" is found by "57
    Canadian victims"."""
    return list(dict.fromkeys((figure.subject_key, subject_key(figure_of(figure.subject)))))


def quantity_keys(quantity: dict) -> list[str]:
    """The subject keys a quantity may be filed under: its subject's, and the extractor's
    figure's, which names one figure however the sentence put it ("death toll", "died")."""
    keys = (subject_key(quantity.get(name) or "") for name in ("subject", "figure"))
    return list(dict.fromkeys(key for key in keys if key))


def _asserted_by_subject(quantities: list[dict], corrects: dict | None):
    """(subject key, the values the sentence asserts for it), in reading order; a corrected
    value ("57, not 63") is mentioned, not asserted."""
    by_key: dict[str, list[dict]] = {}
    old = correction_value(corrects, "old")
    for quantity in quantities or []:
        if old is not None and quantity.get("value") == old:
            continue
        for key in quantity_keys(quantity):
            by_key.setdefault(key, []).append(quantity)
    return by_key.items()


def correction_value(corrects: dict | None, end: str):
    """The old or new value a correction states (a range's bottom), or None."""
    value = (corrects or {}).get(end)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value


def _number(value) -> Decimal:
    return Decimal(str(value))


def _states(report, value: Decimal) -> bool:
    """Whether a report gives this value (a range gives every value within it)."""
    if report.value_high is None:
        return report.value == value
    return report.value <= value <= report.value_high


def _against(summary: FigureSummary, said: list[dict], corrects: dict | None) -> Judgement:
    newest = [q for q in said if q.get("value") == correction_value(corrects, "new")]
    quantity = (newest or said)[0]
    value = _number(quantity["value"])
    state = summary.state
    standing = [state.current] if state.current is not None else list(state.disagreeing)
    if not standing or any(_states(report, value) for report in standing):
        return Judgement(summary.figure, quantity)
    if correction_value(corrects, "old") is not None:
        old = _number(correction_value(corrects, "old"))
        corrected = next((report for report in standing if _states(report, old)), None)
        if corrected is not None:
            return Judgement(summary.figure, quantity, Flag.CORRECTION, corrected)
    return Judgement(summary.figure, quantity, Flag.CONFLICT, standing[0])


def conflicts_with_story(candidates: list[dict], summaries: Iterable[FigureSummary]) -> list[dict]:
    """Conflicts between extracted figures and the story's figures, in the extractor's shape.

    Each lists the contradicted report's value first, then the new values, and names the
    report (``claim``) and its figure (``figure``).
    """
    index = FigureIndex(summaries)
    found: dict[int, dict] = {}
    for position, candidate in enumerate(candidates):
        judged = index.judge(candidate["quantities"], candidate.get("corrects"))
        if judged.report is None:
            continue
        entry = found.setdefault(
            judged.report_id,
            {
                "subject": judged.figure.subject,
                "values": [json_number(judged.report.value)],
                "candidates": [],
                "kind": "disagreement",
                "claim": judged.report_id,
                "figure": judged.figure.pk,
            },
        )
        if judged.quantity["value"] not in entry["values"]:
            entry["values"].append(judged.quantity["value"])
        entry["candidates"].append(position)
        if judged.flag == Flag.CORRECTION:
            entry["kind"] = "correction"
    return list(found.values())


# The kinds an extracted unit may read as, in the order they are tried: a distance before a
# currency, so "nmi" is not read as a currency code.
_MEASURED = (Figure.Kind.PERCENTAGE, Figure.Kind.DISTANCE, Figure.Kind.DURATION)


def figure_kind_for(unit: str | None) -> tuple[str, str]:
    """The kind of figure an extracted unit reads as, and the unit written that kind's way:
    "%" a percentage, "USD" or "$" an amount, "km" a distance; anything else counts."""
    unit = (unit or "").strip()
    if not unit:
        return Figure.Kind.COUNT, ""
    for kind in _MEASURED:
        try:
            return kind, clean_unit(kind, unit)
        except ValidationError:
            continue
    if unit.isupper() or not unit.isalpha():
        try:
            return Figure.Kind.AMOUNT, clean_unit(Figure.Kind.AMOUNT, unit)
        except ValidationError:
            pass
    try:
        return Figure.Kind.COUNT, clean_unit(Figure.Kind.COUNT, unit)
    except ValidationError:
        return Figure.Kind.MEASURE, unit
