"""Acting on many claims of the queue at once (editors): assign them, move them to In
review, or rule on them with one status and one rationale.

Each ticked row carries the version it showed, and each claim goes through its own service
call, with its own revision and version check, in its own transaction: one refusal (a
verdict without evidence, a claim changed since the queue was loaded) leaves the others
done. The answer lists what was done and what was refused, claim by claim; with htmx it
also swaps the acted rows in place, with their new state and version.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import access, services
from claims.access import BulkAction
from claims.desk.responses import HTTP_UNPROCESSABLE, wants_fragment
from claims.desk.work_forms import BulkForm
from claims.models import STATUS_LABELS, Claim
from claims.selectors import queue as queue_selectors
from claims.selectors import work as selectors
from claims.services.revisions import ConflictError, conflict_author


@dataclass(frozen=True)
class Outcome:
    claim_id: int
    done: bool
    message: str


@require_POST
@access.desk_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    if not access.may_work_in_bulk(request.user):
        raise PermissionDenied("Only editors act on many claims at once.")
    form = BulkForm(request.POST)
    if not form.is_valid():
        return _respond(request, form, [], status=HTTP_UNPROCESSABLE)
    data = form.cleaned_data
    access.require_bulk_action(request.user, BulkAction(data["action"]))
    picked = data["claims"]
    claims = selectors.claims_by_id(user=request.user, ids=[claim_id for claim_id, _ in picked])
    outcomes = [
        _act(request.user, claims.get(claim_id), claim_id, version, data)
        for claim_id, version in picked
    ]
    return _respond(request, form, outcomes, shown=list(claims))


def _act(actor, claim: Claim | None, claim_id: int, version: int, data: dict) -> Outcome:
    if claim is None:
        return Outcome(claim_id, False, "there is no such claim.")
    try:
        message = _perform(actor, claim, version, data)
    except ConflictError as error:
        who = conflict_author(error)
        return Outcome(claim_id, False, f"changed by {who} since you loaded the queue.")
    except ValidationError as error:
        return Outcome(claim_id, False, " ".join(error.messages))
    except PermissionDenied as error:
        return Outcome(claim_id, False, str(error))
    return Outcome(claim_id, True, message)


def _perform(actor, claim: Claim, version: int, data: dict) -> str:
    action = data["action"]
    if action == BulkAction.ASSIGN:
        assignee = data["assignee"]
        services.claim_assign(claim=claim, assignee=assignee, actor=actor, expected_version=version)
        return f"assigned to {assignee.get_username()}."
    if action == BulkAction.REVIEW:
        status, rationale = Claim.Status.IN_REVIEW, claim.rationale
    else:
        status, rationale = data["ruling"], data["rationale"]
    services.claim_set_status(
        claim=claim, status=status, rationale=rationale, actor=actor, expected_version=version
    )
    return f"status set to {STATUS_LABELS[status]}."


def _respond(
    request: HttpRequest,
    form: BulkForm,
    outcomes: list[Outcome],
    *,
    shown: Sequence[int] = (),
    status: int = 200,
) -> HttpResponse:
    next_query = form.cleaned_data.get("next", "") if form.is_bound and not form.errors else ""
    context = {
        "form": form,
        "done": [outcome for outcome in outcomes if outcome.done],
        "refused": [outcome for outcome in outcomes if not outcome.done],
        "queue_url": reverse("review_queue") + (f"?{next_query}" if next_query else ""),
    }
    if not wants_fragment(request):
        return render(request, "desk/bulk_result.html", context, status=status)
    html = render_to_string("desk/_bulk_result.html", context, request)
    return HttpResponse(html + _fresh_rows(shown), status=status)


def _fresh_rows(ids: Sequence[int]) -> str:
    """The rows of the claims acted on, as they are now (their checkbox carries the new
    version), swapped out of band; a refused claim's row shows what changed it."""
    claims = queue_selectors.queue_rows_to_render(list(ids)) if ids else []
    rows = "".join(
        render_to_string(
            "desk/queue.html#queue-row", {"claim": claim, "selectable": True, "oob": True}
        )
        for claim in claims
    )
    return f"<template>{rows}</template>" if rows else ""
