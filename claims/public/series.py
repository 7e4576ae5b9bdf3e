"""A figure's series as readers see it: each report with its claim's link and status, what
replaced it, whether it is the figure's current value, and the chart's points."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from claims.lib.stepchart import ChartPoint, step_chart
from claims.models import STATUS_LABELS, claim_slug
from claims.selectors.figures import FigureSummary, ReportRow


@dataclass(frozen=True)
class ShownReport:
    row: ReportRow
    url: str
    status_label: str
    replaced_by_url: str = ""  # the report that replaced this one, when readers see it
    current: bool = False
    disagreeing: bool = False

    @property
    def said_at(self) -> datetime:
        return self.row.said_at


@dataclass(frozen=True)
class Series:
    summary: FigureSummary
    reports: list[ShownReport]  # newest first

    @property
    def figure(self):
        return self.summary.figure

    @property
    def state(self):
        return self.summary.state


def claim_url(claim_id: int, text: str) -> str:
    return reverse("public_claim", args=[claim_id, claim_slug(text)])


def series(summary: FigureSummary) -> Series:
    """The summary's reports, newest first, ready to show."""
    state = summary.state
    current = state.current.claim_id if state.current else None
    disagreeing = {row.claim_id for row in state.disagreeing}
    urls = {row.claim_id: claim_url(row.claim_id, row.text) for row in summary.reports}
    shown = [
        ShownReport(
            row=row,
            url=urls[row.claim_id],
            status_label=STATUS_LABELS.get(row.status, row.status),
            replaced_by_url=urls.get(row.superseded_by_id, ""),
            current=row.claim_id == current,
            disagreeing=row.claim_id in disagreeing,
        )
        for row in summary.newest_first
    ]
    return Series(summary, shown)


def chart(summary: FigureSummary):
    """The figure's step chart: a mark per report, the superseded ones struck."""
    points = []
    for report in summary.reports:
        said = timezone.localtime(report.said_at)
        source = report.source_name or "unattributed"
        status = STATUS_LABELS.get(report.status, report.status).lower()
        points.append(
            ChartPoint(
                at=said,
                value=report.value,
                high=report.value_high,
                status=report.status,
                struck=report.superseded,
                label=f"{report.shown}, {source}, {said.day} {said:%b %Y}, {status}",
            )
        )
    return step_chart(points, title=f"{summary.figure.subject}: reports over time")
