"""How the desk shows a figure: its reports with their statuses' names, the points of its
chart, and its history in words."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from claims.lib.stepchart import COLOURS, ChartPoint
from claims.models import STATUS_LABELS, Figure, FigureRevision
from claims.models.choices import Approximation, ClaimStatus
from claims.selectors.figures import FigureState, FigureSummary, ReportRow


@dataclass(frozen=True)
class ShownReport:
    """A report as a page lists it: the row, and its status in words."""

    row: ReportRow

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.row.status, self.row.status)

    def __getattr__(self, name: str):
        if name == "row":
            raise AttributeError(name)
        return getattr(self.row, name)


def shown(rows) -> list[ShownReport]:
    return [ShownReport(row) for row in rows]


def point_label(row: ReportRow) -> str:
    said = timezone.localtime(row.said_at)
    who = row.source_name or "no source named"
    status = STATUS_LABELS.get(row.status, row.status).lower()
    return f"{row.shown}, {who}, {said.day} {said:%b %Y %H:%M} ({status})"


def chart_points(summary: FigureSummary) -> list[ChartPoint]:
    """The figure's reports as the step chart draws them, in the desk's time zone."""
    return [
        ChartPoint(
            at=timezone.localtime(row.said_at),
            value=row.value,
            high=row.value_high if row.approximation == Approximation.RANGE else None,
            status=row.status,
            struck=row.superseded,
            label=point_label(row),
        )
        for row in summary.reports
        if not row.hidden  # what moderation hid never counts
    ]


def legend(summary: FigureSummary) -> SafeString:
    """A swatch and a name for each status the chart shows, in the status list's order."""
    seen = {row.status for row in summary.reports if not row.hidden}
    entries = [(value, label) for value, label in ClaimStatus.choices if value in seen]
    return format_html_join(
        "",
        '<li><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
        '<circle cx="6" cy="6" r="{}" fill="{}" stroke="{}" stroke-width="1.5"></circle></svg>'
        " {}</li>",
        (
            (4.5, "#ffffff" if value == "superseded" else COLOURS[value], COLOURS[value], label)
            for value, label in entries
        ),
    )


@dataclass
class HistoryEntry:
    revision: FigureRevision
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    words: str = ""
    link: tuple[str, str] | None = None  # the other figure: its name and page


FIELD_LABELS = {"subject": "Subject", "kind": "Kind", "unit": "Unit"}
KIND_LABELS = dict(Figure.Kind.choices)


def _field(name: str, value) -> str:
    if name == "kind":
        return KIND_LABELS.get(value, str(value))
    return str(value) if value not in (None, "") else "—"


def _reports(ids) -> str:
    ids = list(ids or [])
    numbers = ", ".join(f"#{pk}" for pk in ids)
    return f"{len(ids)} report{'s' if len(ids) != 1 else ''} ({numbers})" if ids else "no reports"


def history_entries(figure: Figure, revisions: list[FigureRevision], names: dict) -> list:
    """Each revision in words; ``names`` gives the subject of each other figure it names."""
    entries = []
    for revision in revisions:
        entry = HistoryEntry(revision)
        before, after = revision.before, revision.after
        other = after.get("into") or after.get("from") or after.get("to")
        if other in names:
            url = reverse("figure_detail", args=[figure.story.slug, other])
            entry.link = (names[other], url)
        kind = revision.kind
        if kind == FigureRevision.Kind.CREATED:
            unit = f", in {after['unit']}" if after.get("unit") else ""
            entry.words = f"Named “{after.get('subject', '')}”: {_field('kind', after.get('kind'))}"
            entry.words += unit
        elif kind == FigureRevision.Kind.RENAMED:
            entry.changes = [
                (label, _field(name, before.get(name)), _field(name, after.get(name)))
                for name, label in FIELD_LABELS.items()
                if name in before or name in after
            ]
        elif kind == FigureRevision.Kind.MERGED_INTO:
            entry.words = f"Merged: its {_reports(after.get('reports'))} moved to"
        elif kind == FigureRevision.Kind.ABSORBED:
            entry.words = f"Took in {_reports(after.get('reports'))} of a merged figure"
        elif kind == FigureRevision.Kind.SPLIT_FROM:
            entry.words = f"Made of {_reports(after.get('reports'))} split off"
        elif kind == FigureRevision.Kind.SPLIT_OFF:
            entry.words = f"{_reports(after.get('reports'))} moved to a new figure:"
        entries.append(entry)
    return entries


def named_figures(revisions: list[FigureRevision]) -> set[int]:
    """The other figures these revisions name (merged into, split off…)."""
    keys = ("into", "from", "to")
    return {r.after[k] for r in revisions for k in keys if isinstance(r.after.get(k), int)}


@dataclass(frozen=True)
class FigureCard:
    """A figure with what it stands at, as its page, the story page and a claim's page show
    it."""

    summary: FigureSummary
    state: FigureState
    current: ShownReport | None
    disagreeing: list[ShownReport]

    @property
    def figure(self) -> Figure:
        return self.summary.figure


def figure_card(summary: FigureSummary) -> FigureCard:
    state = summary.state
    current = ShownReport(state.current) if state.current else None
    return FigureCard(summary, state, current, shown(state.disagreeing))
