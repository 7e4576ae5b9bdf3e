"""A figure's series of reports and what it stands at, derived, never stored.

The current value is the newest confirmed report, else the newest report still standing (not
superseded, not ruled false, misleading or disputed, not hidden by moderation). When standing
reports from different sources give different values the figure has no current value: the
sources disagree, and the desk is asked to rule. ``figure_state`` is a pure function of the
reports, so the same rule holds on the desk, on public pages, in feeds and in the benchmark.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.access import public_claim_q
from claims.models import Attribution, Claim, Figure, FigureRevision, Story
from claims.models.choices import ClaimStatus

# Reports that no longer stand: replaced, or ruled wrong or contested by the desk.
FALLEN = frozenset(
    {ClaimStatus.SUPERSEDED, ClaimStatus.FALSE, ClaimStatus.MISLEADING, ClaimStatus.DISPUTED}
)


@dataclass(frozen=True)
class ReportRow:
    """One report of a figure as its pages show it."""

    claim_id: int
    text: str
    status: str
    value: Decimal
    approximation: str
    value_high: Decimal | None
    source_id: int | None
    source_name: str
    said_at: datetime
    superseded_by_id: int | None
    shown: str = ""  # the value in the figure's unit: "57 people"
    # Listed for those who see hidden claims, but never what the figure stands at.
    hidden: bool = False

    @property
    def standing(self) -> bool:
        return self.status not in FALLEN and not self.hidden

    @property
    def superseded(self) -> bool:
        return self.status == ClaimStatus.SUPERSEDED

    @property
    def amount(self) -> tuple[Decimal, Decimal | None, str]:
        return (self.value, self.value_high, self.approximation)


@dataclass(frozen=True)
class FigureState:
    """Exactly one of: a current report, a disagreement, or nothing standing."""

    current: ReportRow | None
    disagreeing: tuple[ReportRow, ...] = ()

    @property
    def disagree(self) -> bool:
        return bool(self.disagreeing)

    @property
    def kind(self) -> str:
        if self.disagree:
            return "disagree"
        return "current" if self.current else "none"


def figure_state(reports: list[ReportRow]) -> FigureState:
    """What a figure stands at, from its reports (any order)."""
    newest_first = sorted(reports, key=lambda r: (r.said_at, r.claim_id), reverse=True)
    confirmed = [r for r in newest_first if r.status == ClaimStatus.CONFIRMED and r.standing]
    pool = confirmed or [r for r in newest_first if r.standing]
    if not pool:
        return FigureState(current=None)
    clashing = _disagreeing(pool)
    if clashing:
        return FigureState(current=None, disagreeing=tuple(clashing))
    return FigureState(current=pool[0])


def _disagreeing(pool: list[ReportRow]) -> list[ReportRow]:
    """The reports in a clash: two sources giving different values. Each source counts with
    its newest report only, as a source's later word is what it now says."""
    latest: dict[object, ReportRow] = {}
    for report in pool:  # newest first
        latest.setdefault(report.source_id or ("claim", report.claim_id), report)
    if len({r.amount for r in latest.values()}) < 2:
        return []
    return list(latest.values())


@dataclass
class FigureSummary:
    figure: Figure
    reports: list[ReportRow] = field(default_factory=list)  # oldest first

    @property
    def state(self) -> FigureState:
        return figure_state(self.reports)

    @property
    def newest_first(self) -> list[ReportRow]:
        return list(reversed(self.reports))


def _first_attribution(column: str) -> Subquery:
    return Subquery(
        Attribution.objects.filter(claim_id=OuterRef("pk"))
        .order_by(F("said_at").asc(nulls_last=True), "id")
        .values(column)[:1]
    )


def _report_rows(claims: QuerySet[Claim], figures: dict[int, Figure]) -> dict[int, list]:
    """Each figure's reports, oldest first, read in one query."""
    rows = (
        claims.filter(figure_id__in=list(figures))
        .annotate(
            source_ref=_first_attribution("source_id"),
            source_label=_first_attribution("source__name"),
            said=Coalesce(_first_attribution("said_at"), "created_at"),
        )
        .order_by("said", "id")
        .values_list(
            "id", "figure_id", "text", "status", "value", "approximation", "value_high",
            "source_ref", "source_label", "said", "superseded_by_id", "is_hidden",
        )
    )  # fmt: skip
    series: dict[int, list[ReportRow]] = {pk: [] for pk in figures}
    for pk, figure_id, text, status, value, approx, high, source_id, name, said, by, hidden in rows:
        figure = figures[figure_id]
        series[figure_id].append(
            ReportRow(
                claim_id=pk, text=text, status=status, value=value, approximation=approx,
                value_high=high, source_id=source_id, source_name=name or "",
                said_at=said, superseded_by_id=by,
                shown=figure.describe(value, approx, high), hidden=hidden,
            )
        )  # fmt: skip
    return series


def _summaries(story: Story, claims: QuerySet[Claim], figure_ids=None) -> list[FigureSummary]:
    figures = story.figures.filter(merged_into__isnull=True)
    if figure_ids is not None:
        figures = figures.filter(pk__in=figure_ids)
    by_id = {f.pk: f for f in figures.order_by("subject", "id")}
    for figure in by_id.values():
        figure.story = story
    series = _report_rows(claims, by_id)
    return [FigureSummary(figure, series[pk]) for pk, figure in by_id.items()]


def desk_story_figures(story: Story, claims: QuerySet[Claim]) -> list[FigureSummary]:
    """The story's figures for the desk, each with the reports ``claims`` (the user's
    visible claims) holds: two queries."""
    return _summaries(story, claims)


def desk_figure(figure: Figure, claims: QuerySet[Claim]) -> FigureSummary:
    return FigureSummary(figure, _report_rows(claims, {figure.pk: figure})[figure.pk])


def public_story_figures(story: Story) -> list[FigureSummary]:
    """The figures of a public story with their public reports; figures with none left out."""
    summaries = _summaries(story, Claim.objects.filter(public_claim_q()))
    return [s for s in summaries if s.reports]


def public_figure(figure: Figure) -> FigureSummary:
    claims = Claim.objects.filter(public_claim_q())
    return FigureSummary(figure, _report_rows(claims, {figure.pk: figure})[figure.pk])


def sibling_reports(claim: Claim, claims: QuerySet[Claim]) -> FigureSummary | None:
    """The figure a claim reports and its other reports, for the claim's page."""
    if claim.figure_id is None:
        return None
    return desk_figure(claim.figure, claims)


# What the desk's figure pages read beside the series: the figures to pick from, the
# versions of the reports a new one may replace, and a figure's history.


def story_figures(story: Story) -> list[Figure]:
    """The story's figures (not those merged into another), by subject: one query."""
    figures = list(
        Figure.objects.filter(story=story, merged_into__isnull=True).order_by("subject", "id")
    )
    for figure in figures:
        figure.story = story
    return figures


def standing_versions(figure: Figure, claims: QuerySet[Claim]) -> dict[int, int]:
    """The version of each of the figure's reports that still stands, by claim id: what a
    form that replaces one carries."""
    reports = claims.filter(figure=figure, is_hidden=False).exclude(status__in=FALLEN)
    return dict(reports.values_list("pk", "version"))


def figure_history(figure: Figure) -> list[FigureRevision]:
    """Every change to the figure, newest first."""
    return list(figure.revisions.select_related("actor").order_by("-number"))


def reports_by_id(figure: Figure, claims: QuerySet[Claim], ids: list[int]) -> list[Claim]:
    return list(claims.filter(figure=figure, pk__in=ids).order_by("pk"))


def figure_names(ids: set[int]) -> dict[int, str]:
    """The subjects of these figures (those a figure's history names), in one query or none."""
    if not ids:
        return {}
    return dict(Figure.objects.filter(pk__in=ids).values_list("pk", "subject"))
