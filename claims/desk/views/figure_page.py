"""The figure page: what it shows, and how it answers a form posted on it.

Like the claim page, an action validates its form, calls one service and answers with the
parts that changed (htmx) or a redirect back to the page (a plain post). A refused input
re-renders the form with its errors and what the user typed (422); a change started from an
older version of the figure, or of the report it replaces, answers 409 with the form kept
and carrying the fresh version.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from claims import access
from claims.access import Action
from claims.desk import figure_display
from claims.desk.figure_forms import (
    FigureMergeForm,
    FigureReportForm,
    FigureSplitForm,
    FigureUpdateForm,
)
from claims.desk.responses import HTTP_CONFLICT, HTTP_UNPROCESSABLE, wants_fragment
from claims.desk.time_fields import story_zone
from claims.lib.stepchart import step_chart
from claims.models import Figure, Story
from claims.selectors import desk as desk_selectors
from claims.selectors import figures as figure_reads
from claims.selectors.figures import FigureSummary, desk_figure


@dataclass(frozen=True)
class FigureAction:
    form: type
    permission: Action
    done: str


ACTIONS = {
    "report": FigureAction(FigureReportForm, Action.CREATE, "New value reported."),
    "update": FigureAction(FigureUpdateForm, Action.MANAGE_FIGURES, "Figure renamed."),
    "merge": FigureAction(FigureMergeForm, Action.MANAGE_FIGURES, "Figure merged."),
    "split": FigureAction(FigureSplitForm, Action.MANAGE_FIGURES, "Reports split off."),
}
# The parts of the page every action may change, swapped together out of band.
STATE_FRAGMENTS = ["figure-state", "figure-series", "figure-history"]


@dataclass
class FigurePage:
    """What one request reads of the figure, shared by the page and its forms."""

    story: Story
    figure: Figure
    summary: FigureSummary
    standing: dict[int, int]  # the version of each report still standing, by claim id
    others: list[Figure]  # the story's other figures, for merging (editors only)


def read_page(user, story: Story, figure: Figure) -> FigurePage:
    figure.story = story
    claims = access.visible_claims(user)
    summary = desk_figure(figure, claims)
    may_report = access.can(user, Action.CREATE)
    standing = figure_reads.standing_versions(figure, claims) if may_report else {}
    others = []
    if access.can(user, Action.MANAGE_FIGURES):
        others = [f for f in figure_reads.story_figures(story) if f.pk != figure.pk]
    return FigurePage(story, figure, summary, standing, others)


def may_act(user, name: str) -> bool:
    return access.can(user, ACTIONS[name].permission)


def form_for(name: str, page: FigurePage, data=None, **kwargs):
    options = {"auto_id": f"{name}-%s", **kwargs}
    rows = page.summary.newest_first
    if name == "report":
        standing = [(r.claim_id, page.standing[r.claim_id], _described(r))
                    for r in rows if r.claim_id in page.standing]  # fmt: skip
        zone = story_zone(page.story)
        return FigureReportForm(data, standing=standing, time_zone=zone, **options)
    if name == "merge":
        return FigureMergeForm(data, others=page.others, **options)
    if name == "split":
        reports = [(r.claim_id, _described(r)) for r in page.summary.reports]
        return FigureSplitForm(data, reports=reports, **options)
    return FigureUpdateForm(data, **options)


def _described(row) -> str:
    said = timezone.localtime(row.said_at)
    return f"{row.shown} — {row.source_name or 'no source'}, {said.day} {said:%b %Y}"


def _initial(name: str, figure: Figure) -> dict:
    initial = {"version": figure.version}
    if name == "update":
        initial.update(subject=figure.subject, kind=figure.kind, unit=figure.unit)
    return initial


def _applies(name: str, page: FigurePage) -> bool:
    """Merging needs another figure to merge into; splitting, two reports at least."""
    if name == "merge":
        return bool(page.others)
    return name != "split" or len(page.summary.reports) > 1


def figure_context(request: HttpRequest, page: FigurePage, *, bound: dict | None = None) -> dict:
    user, figure, summary = request.user, page.figure, page.summary
    bound = bound or {}
    forms = {
        name: bound.get(name) or form_for(name, page, initial=_initial(name, figure))
        for name in ACTIONS
        if may_act(user, name) and (name in bound or _applies(name, page))
    }
    revisions = figure_reads.figure_history(figure)
    names = figure_reads.figure_names(figure_display.named_figures(revisions))
    sources = sorted({row.source_name for row in summary.reports if row.source_name})
    recent = desk_selectors.recent_source_names() if "report" in forms else []
    return {
        "story": page.story,
        "figure": figure,
        "summary": summary,
        "card": figure_display.figure_card(summary),
        "series": figure_display.shown(summary.newest_first),
        "chart": step_chart(
            figure_display.chart_points(summary), title=f"{figure.subject}: reports over time"
        ),
        "legend": figure_display.legend(summary),
        "history": figure_display.history_entries(figure, revisions, names),
        "forms": forms,
        "source_names": sorted({*sources, *recent}) if "report" in forms else [],
    }


def render_fragments(request, context: dict, names: list[str], status: int) -> HttpResponse:
    html = "".join(
        render_to_string(f"desk/figure_detail.html#{name}", context, request) for name in names
    )
    return HttpResponse(html, status=status)


def _all_forms(context: dict, first: str) -> list[str]:
    """The acted form first (the swap's target), then every other form, out of band."""
    return [f"form-{first}", *(f"form-{n}" for n in context["forms"] if n != first)]


def respond_done(request, page: FigurePage, name: str, message: str) -> HttpResponse:
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect(page.figure)
    fresh = access.access_figure_by_id(request.user, page.story, page.figure.pk)
    context = figure_context(request, read_page(request.user, page.story, fresh))
    context |= {"oob": True, "done": message, "acted": name}
    names = _all_forms(context, name) if name in context["forms"] else []
    return render_fragments(request, context, [*names, *STATE_FRAGMENTS], 200)


def respond_refused(request, page: FigurePage, name: str, form, status=HTTP_UNPROCESSABLE):
    """The form again, with its errors and everything the user typed; a conflict (409)
    refreshes the rest of the page around it."""
    context = figure_context(request, page, bound={name: form}) | {"acted": name}
    if not wants_fragment(request):
        return render(request, "desk/figure_detail.html", context, status=status)
    if status != HTTP_CONFLICT:
        return render_fragments(request, context, [f"form-{name}"], status)
    context["oob"] = True
    return render_fragments(request, context, [*_all_forms(context, name), *STATE_FRAGMENTS],
                            status)  # fmt: skip


def respond_conflict(request, page: FigurePage, name: str, message: str, **fresh) -> HttpResponse:
    """409: the page as it is now, the user's input kept, with the fresh versions (``fresh``
    gives the fields to set: the figure's ``version``, the replaced report's choice)."""
    figure = access.access_figure_by_id(request.user, page.story, page.figure.pk)
    page = read_page(request.user, page.story, figure)
    data = request.POST.copy()
    data["version"] = str(figure.version)
    for field, value in fresh.items():
        data[field] = value
    form = form_for(name, page, data)
    form.is_valid()
    form.add_error(None, message)
    return respond_refused(request, page, name, form, status=HTTP_CONFLICT)
