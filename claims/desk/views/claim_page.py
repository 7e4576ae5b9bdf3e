"""The claim page: what it shows, and how it answers an action on the claim.

An action validates its form, calls one service and answers with the fragments that changed
(htmx) or a redirect back to the page (a plain post). A refused input re-renders the form
with its errors and everything the user typed; a stale edit answers 409 with what changed
since the user loaded the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from claims import access
from claims.access import Action
from claims.desk import fragments, public_links
from claims.desk.figure_display import figure_card, shown
from claims.desk.figure_forms import EditForm, edit_initial
from claims.desk.forms import (
    AssignForm,
    AttributionForm,
    EvidenceForm,
    NoteForm,
    StatusForm,
    SupersedeForm,
    apply_service_error,
)
from claims.desk.responses import HTTP_CONFLICT, HTTP_UNPROCESSABLE, wants_fragment
from claims.desk.time_fields import story_zone
from claims.models import Claim
from claims.selectors import desk as selectors
from claims.selectors import queue as queue_selectors
from claims.selectors.figures import sibling_reports, story_figures
from claims.selectors.work import desk_people
from claims.services import ConflictError
from sources.models import Source


@dataclass(frozen=True)
class ClaimAction:
    form: type
    permission: Action
    done: str
    # The kind of source a new name in the form's "source" field creates.
    source_kind: str = ""


ACTIONS = {
    "status": ClaimAction(StatusForm, Action.SET_STATUS, "Status changed."),
    "edit": ClaimAction(EditForm, Action.EDIT, "Claim edited."),
    "evidence": ClaimAction(
        EvidenceForm, Action.ADD_EVIDENCE, "Evidence added.", Source.Kind.OUTLET
    ),
    "attribution": ClaimAction(
        AttributionForm, Action.ADD_ATTRIBUTION, "Attribution added.", Source.Kind.PERSON
    ),
    "assign": ClaimAction(AssignForm, Action.EDIT, "Assigned to you."),
    "supersede": ClaimAction(SupersedeForm, Action.SUPERSEDE, "Claim superseded."),
    "note": ClaimAction(NoteForm, Action.ADD_NOTE, "Note added."),
}
# The parts of the claim page every action may change, swapped together out of band.
STATE_FRAGMENTS = ["claim-state", "claim-timeline", "claim-notes", "claim-counts"]


def _initial(name: str, claim: Claim) -> dict:
    initial = {"version": claim.version}
    if name == "status":
        initial.update(status=claim.status, rationale=claim.rationale)
    if name == "edit":
        initial.update(edit_initial(claim))
    return initial


def may_act(user, claim: Claim, name: str) -> bool:
    if name == "edit":
        return access.may_edit_words(user, claim)
    return access.can(user, ACTIONS[name].permission)


def form_for(name: str, claim: Claim, data=None, **kwargs):
    """The action's form for this claim: the edit form offers the story's figures, and for
    a ruled claim asks for a note and offers to keep the ruling."""
    options = {}
    if name == "edit":
        options = {
            "ruled": access.is_ruled(claim),
            "reports": claim.figure_id is not None,
            "figures": _story_figures(claim),
        }
    if name == "status":
        options = {"current": claim.status}
    if name == "attribution":
        options = {"time_zone": story_zone(claim.story)}
    return ACTIONS[name].form(data, auto_id=f"{name}-%s", **options, **kwargs)


def _story_figures(claim: Claim) -> list:
    """The story's figures, read once per claim in hand: the edit form offers them, and the
    one the claim reports is among them."""
    if not hasattr(claim, "_story_figures"):
        claim._story_figures = story_figures(claim.story)
    return claim._story_figures


def _figure_of(user, claim: Claim):
    """The figure the claim reports with its other reports, and the figure handed to the
    claims it replaced or was replaced by (a report is replaced only within its figure)."""
    if claim.figure_id is None:
        return None
    known = {figure.pk: figure for figure in _story_figures(claim)}
    if claim.figure_id in known:
        claim.figure = known[claim.figure_id]
    summary = sibling_reports(claim, access.visible_claims(user))
    if summary is None:
        return None
    summary.figure.story = claim.story
    if claim.superseded_by is not None and claim.superseded_by.figure_id == claim.figure_id:
        claim.superseded_by.figure = summary.figure
    return figure_card(summary)


def claim_context(
    request: HttpRequest,
    claim: Claim,
    *,
    bound: dict | None = None,
    conflict: dict | None = None,
    candidates: list[Claim] | None = None,
) -> dict:
    user = request.user
    bound = bound or {}
    forms = {}
    for name in ACTIONS:
        if may_act(user, claim, name):
            forms[name] = bound.get(name) or form_for(name, claim, initial=_initial(name, claim))
    names_source = "evidence" in forms or "attribution" in forms
    figure = _figure_of(user, claim)
    replaces = selectors.claim_replaces(user=user, claim=claim)
    for old in replaces:
        if figure is not None and old.figure_id == claim.figure_id:
            old.figure = figure.figure
    return {
        "claim": claim,
        "story": claim.story,
        "card": figure,
        "siblings": shown(figure.summary.newest_first) if figure else [],
        "forms": forms,
        "source_names": selectors.recent_source_names() if names_source else [],
        "conflict": conflict,
        "candidates": candidates,
        "attributions": selectors.claim_attributions(claim=claim),
        "evidence_groups": selectors.claim_evidence_by_stance(claim=claim),
        "replaces": replaces,
        "replacement": access.visible_replacement(user, claim),
        "public_links": public_links.claim_links(claim, claim.story),
        "source_renames": selectors.source_renames(claim=claim),
        "logger_hidden": not access.sees_redacted(user)
        and selectors.logger_is_redacted(claim=claim),
        "timeline_html": fragments.version_markup(claim, forms, reveal=access.sees_redacted(user)),
        "notes": selectors.claim_notes(claim=claim),
        "counts": queue_selectors.queue_counts(story=claim.story),
        "watching": selectors.is_watching(user=user, claim=claim),
        "desk_people": desk_people(user) if "assign" in forms else [],
    }


def render_fragments(request, context: dict, names: list[str], status: int) -> HttpResponse:
    html = "".join(
        render_to_string(f"desk/claim_detail.html#{name}", context, request) for name in names
    )
    return HttpResponse(html, status=status)


def respond_done(request: HttpRequest, claim_id: int, name: str, message: str) -> HttpResponse:
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect("claim_detail", claim_id=claim_id)
    claim = access.access_claim_by_id(request.user, claim_id)
    context = claim_context(request, claim) | {"oob": True, "done": message, "acted": name}
    return render_fragments(request, context, [f"form-{name}", *STATE_FRAGMENTS, "versions"], 200)


def respond_refused(request: HttpRequest, claim: Claim, name: str, form) -> HttpResponse:
    """The form again, with its errors and everything the user typed."""
    context = claim_context(request, claim, bound={name: form})
    if not wants_fragment(request):
        return render(request, "desk/claim_detail.html", context, status=HTTP_UNPROCESSABLE)
    return render_fragments(request, context, [f"form-{name}"], HTTP_UNPROCESSABLE)


def respond_conflict(request: HttpRequest, error: ConflictError, name: str) -> HttpResponse:
    """409: who changed what since the user loaded the page, the fresh claim, and their input
    kept in the form, now carrying the fresh version so they can submit it again."""
    claim = access.access_claim_by_id(request.user, error.claim.pk)
    data = request.POST.copy()
    data["version"] = str(claim.version)
    form = form_for(name, claim, data)
    revisions = selectors.claim_revisions_since(
        claim=claim,
        version=error.expected_version,
        last=error.last_revision,
        reveal=access.sees_redacted(request.user),
    )
    conflict = {"revisions": revisions, "version": error.expected_version}
    context = claim_context(request, claim, bound={name: form}, conflict=conflict)
    context["conflict_form"] = name
    if not wants_fragment(request):
        return render(request, "desk/claim_detail.html", context, status=HTTP_CONFLICT)
    context["oob"] = True
    fragments_ = [f"form-{name}", *STATE_FRAGMENTS, "versions"]
    return render_fragments(request, context, fragments_, HTTP_CONFLICT)


def claim_action(
    request: HttpRequest, claim_id: int, name: str, perform: Callable[[Claim, dict], str | None]
) -> HttpResponse:
    """Validate the form, let ``perform`` call one service, and answer with what changed.

    ``perform`` may return the message to show, when it is not the action's own."""
    claim = access.access_claim_by_id(request.user, claim_id)
    action = ACTIONS[name]
    if name == "edit":
        access.require_may_edit_words(request.user, claim)
    elif not access.can(request.user, action.permission):
        raise PermissionDenied("You are not allowed to do this.")
    form = form_for(name, claim, request.POST)
    if not form.is_valid():
        return respond_refused(request, claim, name, form)
    try:
        message = perform(claim, form.cleaned_data)
    except ConflictError as error:
        return respond_conflict(request, error, name)
    except ValidationError as error:
        apply_service_error(form, error)
        return respond_refused(request, claim, name, form)
    return respond_done(request, claim.pk, name, message or action.done)
