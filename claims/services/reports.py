"""The value a claim reports of a figure, checked: a finite number, a sound range, a figure of
the claim's own story, and words that state it.

Shared by creating a claim, editing one and filing a new report (``figures.figure_report``).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from claims.lib.extraction.quantities import digit_numbers, word_numbers
from claims.models import Claim, Figure, Story
from claims.models.choices import Approximation
from claims.validation import clean_flag, clean_value


@dataclass(frozen=True)
class Report:
    """What a claim says of a figure; ``figure`` None for a claim that reports none."""

    figure: Figure | None = None
    value: Decimal | None = None
    approximation: str = ""
    value_high: Decimal | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "value": self.value,
            "approximation": self.approximation,
            "value_high": self.value_high,
        }

    def state(self) -> dict[str, Any]:
        """As a revision records it."""
        return {
            "figure": self.figure.pk if self.figure else None,
            "value": _json(self.value),
            "approximation": self.approximation,
            "value_high": _json(self.value_high),
        }


def report_of(claim: Claim) -> Report:
    figure = claim.figure if claim.figure_id else None
    return Report(figure, claim.value, claim.approximation, claim.value_high)


def _json(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def clean_report(
    *,
    story: Story,
    figure: Any,
    value: Any,
    approximation: Any = "",
    value_high: Any = None,
    fresh: bool = False,
) -> Report:
    """A report's parts, cleaned; no figure and no value is a claim that reports none.

    The figure is read again under a row lock (``fresh`` when the caller has just read it so),
    so a figure merged since the form was opened, or while this report is filed, is refused
    rather than given a report."""
    if figure is None or figure == "":
        if value not in (None, "") or value_high not in (None, ""):
            raise ValidationError({"figure": "Choose the figure this value is of."})
        return Report()
    if not isinstance(figure, Figure):
        raise ValidationError({"figure": "Choose one of the story's figures."})
    if not fresh:
        figure = lock_report_figure(figure)
    if figure.story_id != story.pk:
        raise ValidationError({"figure": "That figure belongs to another story."})
    if figure.merged_into_id is not None:
        raise ValidationError(
            {"figure": f"That figure was merged into “{figure.merged_into}”: report it there."}
        )
    number = clean_value(value)
    if number is None:
        raise ValidationError({"value": "Give the value the claim reports."})
    approximation = approximation or Approximation.EXACT
    if approximation not in Approximation.values:
        raise ValidationError(
            {"approximation": "Choose exactly, about, at least, at most or between."}
        )
    high = clean_value(value_high, field="value_high")
    if approximation == Approximation.RANGE:
        if high is None:
            raise ValidationError({"value_high": "A range needs its top value too."})
        if high < number:
            raise ValidationError(
                {"value_high": "The top of the range is below its bottom (low > high)."}
            )
    elif high is not None:
        raise ValidationError({"value_high": "Only a range has a top value."})
    if figure.kind == Figure.Kind.PERCENTAGE and figure.unit == "%":
        if not all(0 <= v <= 1000 for v in (number, high) if v is not None):
            raise ValidationError({"value": "A percentage between 0 and 1000, please."})
    return Report(figure, number, approximation, high)


def check_refiling(claim: Claim, old: Report, figure: Any) -> None:
    """A report stays with its figure (supersessions never cross figures): it moves to another
    only by merging or splitting figures, and leaves its figure only when it replaces no
    report and none replaces it."""
    if old.figure is None or figure is None:
        if old.figure is not None and (claim.superseded_by_id or claim.supersedes.exists()):
            raise ValidationError(
                {"figure": "This report replaces or was replaced by another report of the "
                 "figure, so it stays a report of it."}
            )  # fmt: skip
        return
    if not isinstance(figure, Figure) or figure.pk != old.figure.pk:
        raise ValidationError(
            {"figure": "A report moves to another figure by merging or splitting figures."}
        )


def lock_report_figure(figure: Figure) -> Figure:
    """The figure as it is now, its row locked against a merge or split until the report is
    filed (other reports of it wait too; claims naming it do not)."""
    try:
        return Figure.objects.select_for_update(no_key=True).get(pk=figure.pk)
    except Figure.DoesNotExist:
        raise ValidationError({"figure": "That figure no longer exists."}) from None


def check_words_state_value(text: str, report: Report, confirm_mismatch: Any) -> bool:
    """Refuse words that do not state the value they report ("at least 40 people died"
    filed as 31), unless the editor confirms the mismatch; return whether they confirmed."""
    confirmed = clean_flag(confirm_mismatch, field="confirm_mismatch")
    if report.figure is None or words_state_value(text, report):
        return False
    if confirmed:
        return True
    wanted = report.figure.describe(report.value, report.approximation, report.value_high)
    raise ValidationError(
        {
            "confirm_mismatch": f"The words do not state the value {wanted}. Put the number "
            "in the claim's words, or tick “the words and the value differ on purpose”."
        }
    )


def words_state_value(text: str, report: Report) -> bool:
    """Whether ``text`` states the report's value (and a range's top), in digits or words."""
    stated = stated_numbers(text)
    wanted = [report.value] + ([report.value_high] if report.value_high is not None else [])
    return all(_normal(v) in stated for v in wanted)


def stated_numbers(text: str) -> set[Decimal]:
    """Every number the words state: "57", "1,380", "1.5 million", "fifty-seven"."""
    found: set[Decimal] = set()
    for _, quantity in [*digit_numbers(text), *word_numbers(text)]:
        if quantity is not None:
            found.add(_normal(Decimal(str(quantity.value))))
    # Numbers the figure finder reads as dates or codes still count as stated.
    for raw in _raw_numbers(text):
        found.add(raw)
    return found


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A minus sign that starts a word ("-3 degrees", "−12%"), not a dash between two numbers.
_NEGATIVE = re.compile(r"(?<![\w.,])[-\u2212](\d[\d,]*(?:\.\d+)?)")


def _raw_numbers(text: str) -> set[Decimal]:
    numbers = set()
    found = [(m.group(), 1) for m in _DIGITS.finditer(text)]
    found += [(m.group(1), -1) for m in _NEGATIVE.finditer(text)]
    for digits, sign in found:
        try:
            numbers.add(_normal(sign * Decimal(digits.replace(",", ""))))
        except ArithmeticError:
            continue
    return numbers


def _normal(value: Decimal) -> Decimal:
    return value.normalize() if value != 0 else Decimal(0)
