"""The claim page and the actions on it: rule, edit, add evidence or an attribution, take
it, note, supersede or merge it into another claim, and follow it."""

from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims import access, services
from claims.access import Action
from claims.desk.assignment import assigned_message, assignee_of
from claims.desk.forms import SupersedeForm, WatchForm
from claims.desk.responses import wants_fragment
from claims.desk.views.claim_page import (
    ACTIONS,
    claim_action,
    claim_context,
    respond_done,
)
from claims.desk.views.inputs import named_source, report_arguments
from claims.models import Claim
from claims.selectors import desk as selectors

# The service behind each action of the claim page; the action's form fields are its
# arguments ("version" is the version the user started from).
SERVICES = {
    "status": services.claim_set_status,
    "edit": services.claim_edit,
    "evidence": services.evidence_add,
    "attribution": services.attribution_add,
    "assign": services.claim_assign,
    "note": services.note_add,
}


@require_GET
@access.desk_required
@vary_on_headers("HX-Request")
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access.access_claim_by_id(request.user, claim_id)
    return render(request, "desk/claim_detail.html", claim_context(request, claim))


@require_POST
@access.desk_required
def claim_act(request: HttpRequest, claim_id: int, name: str) -> HttpResponse:
    """One of the claim page's forms, posted: its fields go to the action's service."""

    @transaction.atomic  # a refused change leaves no new source or figure behind
    def perform(claim: Claim, data: dict) -> str | None:
        arguments = dict(data)
        if "version" in arguments:
            arguments["expected_version"] = arguments.pop("version")
        if ACTIONS[name].source_kind:
            arguments["source"] = named_source(
                arguments["source"], request.user, kind=ACTIONS[name].source_kind
            )
        if name == "edit":
            arguments = report_arguments(arguments, story=claim.story, actor=request.user)
        if name == "assign":
            arguments["assignee"] = assignee_of(arguments, request.user)
        SERVICES[name](claim=claim, actor=request.user, **arguments)
        if name == "assign":
            return assigned_message(arguments["assignee"], request.user)
        return None

    return claim_action(request, claim_id, name, perform)


@require_http_methods(["GET", "POST"])
@access.desk_required
@vary_on_headers("HX-Request")
def claim_supersede(request: HttpRequest, claim_id: int) -> HttpResponse:
    """POST replaces the claim by another, or merges it into one it duplicates; GET searches
    the story for that claim."""
    if request.method == "POST":
        return claim_action(request, claim_id, "supersede", _replace(request))
    claim = access.access_claim_by_id(request.user, claim_id)
    access.require(request.user, Action.SUPERSEDE)
    q = request.GET.get("q", "")[:200]
    candidates = selectors.similar_claims(
        user=request.user, story=claim.story, text=q, exclude_id=claim.pk
    )
    prefetch_related_objects(candidates, "figure")  # each shows the value it reports
    if wants_fragment(request):
        context = {"claim": claim, "candidates": candidates, "q": q}
        return render(request, "desk/claim_detail.html#supersede-candidates", context)
    form = SupersedeForm(initial={"version": claim.version, "q": q}, auto_id="supersede-%s")
    context = claim_context(request, claim, bound={"supersede": form}, candidates=candidates)
    return render(request, "desk/claim_detail.html", context)


def _replace(request: HttpRequest):
    def perform(claim: Claim, data: dict) -> str:
        try:
            other = access.access_claim_by_id(request.user, data["replacement_id"])
        except Http404:
            raise ValidationError(
                {"by_number": f"There is no claim number {data['replacement_id']}."}
            ) from None
        common = {"claim": claim, "actor": request.user, "note": data["note"]}
        if data["how"] == SupersedeForm.MERGE:
            services.claim_merge(into=other, expected_version=data["version"], **common)
            return f"Claim merged into #{other.pk}."
        services.claim_supersede(by=other, expected_version=data["version"], **common)
        return ""

    return perform


@require_POST
@access.desk_required
def claim_watch(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Follow the claim, or stop following it: its rulings are e-mailed to its watchers."""
    claim = access.access_claim_by_id(request.user, claim_id)
    watching = watch_from_form(request, claim=claim)
    message = "You follow this claim." if watching else "You no longer follow this claim."
    return respond_done(request, claim.pk, "watch", message)


def watch_from_form(request: HttpRequest, **target) -> bool:
    """Follow or unfollow ``target`` (a claim or a story) as the button pressed says, and
    return whether the user now follows it; a form that is neither button is a 400."""
    form = WatchForm(request.POST)
    if not form.is_valid():
        raise BadRequest("Choose to follow it or to stop following it.")
    return services.watch_set(user=request.user, watching=form.cleaned_data["watching"], **target)
