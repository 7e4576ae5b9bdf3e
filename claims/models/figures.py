"""Figures: a number a story depends on, and its append-only history.

A figure is what is counted or measured ("Canadian citizens killed on PS752"), in one unit.
Its values are not stored on it: each value is a claim that reports it (``Claim.figure``,
``Claim.value``), said by a source at a time, ruled on like any claim. What the figure stands
at is derived from those reports (``claims.selectors.figures``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from claims.models.choices import Approximation, FigureKind, FigureRevisionKind
from claims.models.claims import Story


class Figure(models.Model):
    Kind = FigureKind

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="figures")
    subject = models.CharField(max_length=200)
    # The subject normalised (``subject_key``), so differently worded mentions find it.
    subject_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COUNT)
    # The counted thing's word for a count ("people"), the currency of an amount ("CAD").
    unit = models.CharField(max_length=50, blank=True)
    # A figure merged into another keeps its history and points to the one that stays.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["story", "subject", "id"]
        permissions = [("manage_figure", "Can rename, merge and split figures")]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "subject_key"],
                condition=models.Q(merged_into__isnull=True),
                name="figure_subject_unique_in_story",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FigureKind.values), name="figure_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="figure_not_merged_into_self"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="figure_version_gte_1"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("figure_detail", args=[self.story.slug, self.pk])

    def get_public_url(self) -> str:
        return reverse("public_figure", args=[self.story.slug, self.pk])

    def describe(self, value, approximation: str = Approximation.EXACT, high=None) -> str:
        return describe_value(value, approximation, high, self.unit, self.kind)


class FigureRevision(models.Model):
    """One change to a figure. Append-only: the database refuses UPDATE and DELETE."""

    Kind = FigureRevisionKind

    figure = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["figure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "number"], name="figure_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"Figure {self.figure_id} r{self.number} ({self.kind})"


_APPROXIMATION_WORDS = {
    Approximation.EXACT: "",
    Approximation.ABOUT: "about ",
    Approximation.AT_LEAST: "at least ",
    Approximation.AT_MOST: "at most ",
}


def describe_value(value, approximation: str, high, unit: str, kind: str = "") -> str:
    """A reported value as a reader reads it: "57 people", "at least 40 people", "40–50 km",
    "12.5%", "1500000 CAD"."""
    if value is None:
        return ""
    if approximation == Approximation.RANGE and high is not None:
        number = f"{format_number(value)}–{format_number(high)}"
    else:
        number = _APPROXIMATION_WORDS.get(approximation, "") + format_number(value)
    if not unit:
        return number
    if kind == FigureKind.PERCENTAGE and unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


def format_number(value) -> str:
    """Decimal values without trailing zeros: 57, 1.5, 1380."""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        return f"{normalized.to_integral():f}"
    return f"{normalized:f}"
