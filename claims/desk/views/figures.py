"""A figure on the desk: its series of reports, and the forms that report a new value of it
or rename, merge or split it (editors)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from claims import access, services
from claims.desk.forms import apply_service_error
from claims.desk.responses import wants_fragment
from claims.desk.views.figure_page import (
    ACTIONS,
    FigurePage,
    figure_context,
    form_for,
    read_page,
    respond_conflict,
    respond_done,
    respond_refused,
)
from claims.desk.views.inputs import named_source
from claims.models import Figure
from claims.selectors import figures as figure_reads
from claims.services import ConflictError


def _figure(request: HttpRequest, slug: str, figure_id: int) -> Figure:
    story = access.access_story_by_slug(request.user, slug)
    return access.access_figure_by_id(request.user, story, figure_id)


@require_GET
@access.desk_required
@vary_on_headers("HX-Request")
def figure_detail(request: HttpRequest, slug: str, figure_id: int) -> HttpResponse:
    figure = _figure(request, slug, figure_id)
    if figure.merged_into_id is not None:
        return redirect("figure_detail", slug, figure.merged_into_id)
    page = read_page(request.user, figure.story, figure)
    return render(request, "desk/figure_detail.html", figure_context(request, page))


@require_POST
@access.desk_required
def figure_act(request: HttpRequest, slug: str, figure_id: int, name: str) -> HttpResponse:
    """One of the figure page's forms, posted: its fields go to the action's service."""
    figure = _figure(request, slug, figure_id)
    access.require(request.user, ACTIONS[name].permission)
    if figure.merged_into_id is not None:
        messages.error(request, f"“{figure}” was merged into “{figure.merged_into}”: nothing "
                       "was changed. Work on it here.")  # fmt: skip
        return redirect("figure_detail", slug, figure.merged_into_id)
    page = read_page(request.user, figure.story, figure)
    form = form_for(name, page, request.POST)
    if not form.is_valid():
        return respond_refused(request, page, name, form)
    try:
        with transaction.atomic():  # a refused change leaves no new source behind
            message, moved_to = PERFORM[name](request, page, form.cleaned_data)
    except ConflictError as error:
        return _replaced_report_changed(request, page, error)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "expected_version" in error.error_dict:
            return respond_conflict(request, page, name, " ".join(error.messages))
        apply_service_error(form, error)
        return respond_refused(request, page, name, form)
    if moved_to is not None:  # merged: this page now redirects to the figure that stays
        messages.success(request, message)
        if wants_fragment(request):
            return HttpResponseClientRedirect(moved_to.get_absolute_url())
        return redirect(moved_to)
    return respond_done(request, page, name, message)


def _report(request: HttpRequest, page: FigurePage, data: dict):
    replaced = data["supersedes"]
    supersedes = _replaced_report(request, replaced[0]) if replaced else None
    try:
        claim = services.figure_report(
            figure=page.figure,
            value=data["value"],
            approximation=data["approximation"],
            value_high=data["value_high"],
            text=data["text"],
            source=named_source(data["source"], request.user),
            said_at=data["said_at"],
            quote=data["quote"],
            outlet=data["outlet"],
            url=data["url"],
            supersedes=supersedes,
            supersedes_version=replaced[1] if replaced else None,
            confirm_mismatch=data["confirm_mismatch"],
            note=data["note"],
            actor=request.user,
        )
    except PermissionDenied as error:  # a reporter replacing another source's report
        raise ValidationError({"supersedes": str(error)}) from None
    return f"New value reported: claim #{claim.pk}.", None


def _replaced_report(request: HttpRequest, claim_id: int):
    try:
        return access.access_claim_by_id(request.user, claim_id)
    except Http404:
        raise ValidationError({"supersedes": "That report is no longer on the desk."}) from None


def _replaced_report_changed(request, page: FigurePage, error: ConflictError) -> HttpResponse:
    """The report the new value replaces changed since the page was loaded."""
    fresh = read_page(request.user, page.story, page.figure)
    claim_id = error.claim.pk
    version = fresh.standing.get(claim_id)
    message = (
        f"Report #{claim_id} changed since you loaded this page. Nothing was saved. Check it "
        "in the series, then submit again."
    )
    if version is None:
        message += " It no longer stands, so it cannot be replaced."
    choice = f"{claim_id}:{version}" if version is not None else ""
    return respond_conflict(request, fresh, "report", message, supersedes=choice)


def _update(request: HttpRequest, page: FigurePage, data: dict):
    services.figure_update(
        figure=page.figure,
        subject=data["subject"],
        kind=data["kind"],
        unit=data["unit"],
        note=data["note"],
        expected_version=data["version"],
        actor=request.user,
    )
    return "Figure renamed.", None


def _merge(request: HttpRequest, page: FigurePage, data: dict):
    into = services.figure_merge(
        figure=page.figure,
        into=data["into"],
        note=data["note"],
        expected_version=data["version"],
        actor=request.user,
    )
    into.story = page.story
    return f"“{page.figure}” merged into “{into}”: its reports are listed here now.", into


def _split(request: HttpRequest, page: FigurePage, data: dict):
    claims = access.visible_claims(request.user)
    new = services.figure_split(
        figure=page.figure,
        claims=figure_reads.reports_by_id(page.figure, claims, data["reports"]),
        subject=data["subject"],
        note=data["note"],
        expected_version=data["version"],
        actor=request.user,
    )
    return f"{len(data['reports'])} reports moved to the new figure “{new}”.", None


PERFORM = {"report": _report, "update": _update, "merge": _merge, "split": _split}
