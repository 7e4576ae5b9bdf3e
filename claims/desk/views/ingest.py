"""Ingest pages (paste live updates, review candidates) and the evidence capture fragment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from claims import access
from claims.access import Action
from claims.desk.forms import IngestForm
from claims.desk.responses import template_for
from claims.models import IngestCandidate, IngestJob
from claims.selectors.desk import recent_ingest_jobs
from claims.services import ConflictError, ingest

DECISIONS = ("accept", "merge", "dismiss")


def _job_context(job: IngestJob, user) -> dict:
    candidates = job.candidates.select_related("conflicting_claim", "claim").order_by("index")
    in_text = {index for conflict in job.conflicts for index in conflict.get("candidates", [])}
    candidates = [_seen_by(candidate, user) for candidate in candidates]
    return {"job": job, "candidates": candidates, "in_text_conflicts": in_text}


def _seen_by(candidate: IngestCandidate, user) -> IngestCandidate:
    """The claim a sentence conflicts with, as ``conflict``, when the user may see it."""
    claim = candidate.conflicting_claim
    candidate.conflict = claim if claim is not None and access.may_see_claim(user, claim) else None
    return candidate


@login_required
@require_http_methods(["GET", "POST"])
def ingest_new(request):
    access.require(request.user, Action.CREATE)
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = ingest.ingest_job_create(
                story=form.cleaned_data["story"],
                text=form.cleaned_data["content"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(job)
    context = {"form": form, "recent": recent_ingest_jobs()}
    return render(request, "desk/ingest_new.html", context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def ingest_detail(request, job_id: int):
    job = access.access_ingest_job_by_id(request.user, job_id)
    page = "desk/ingest_detail.html"
    return render(
        request, template_for(request, page, f"{page}#job-body"), _job_context(job, request.user)
    )


@login_required
@require_safe
@vary_on_headers("HX-Request")
def ingest_status(request, job_id: int):
    """What the job page polls: its progress, then its candidates once extraction is done."""
    job = access.access_ingest_job_by_id(request.user, job_id)
    if not request.htmx:
        return redirect(job)
    return render(request, "desk/ingest_detail.html#job-body", _job_context(job, request.user))


@login_required
@require_POST
def ingest_decide(request, candidate_id: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    # A 403 like the job page, not a flash message.
    candidate = access.access_candidate_by_id(request.user, candidate_id)
    error = _decide(request, candidate, decision)
    if request.htmx:
        candidate.refresh_from_db()
        context = {
            **_job_context(candidate.job, request.user),
            "candidate": _seen_by(candidate, request.user),
            "error": error,
        }
        return render(request, "desk/ingest_detail.html#candidate", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Candidate {candidate.index + 1}: {decision} done.")
    return redirect(candidate.job)


def _decide(request, candidate: IngestCandidate, decision: str) -> str:
    """Apply the editor's decision; return an error message, or "" when it was applied."""
    try:
        if decision == "accept":
            ingest.ingest_candidate_accept(candidate=candidate, actor=request.user)
        elif decision == "dismiss":
            ingest.ingest_candidate_dismiss(candidate=candidate, actor=request.user)
        else:
            _merge(request, candidate)
    except ValidationError as error:
        return " ".join(error.messages)
    except (PermissionDenied, ConflictError) as error:
        return str(error)
    return ""


def _merge(request, candidate: IngestCandidate) -> None:
    target = _seen_by(candidate, request.user).conflict
    if target is None:
        raise ValidationError("There is no existing claim to merge this sentence into.")
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        raise ValidationError("The form is missing the claim's version; reload the page.") from None
    ingest.ingest_candidate_merge(
        candidate=candidate, into=target, actor=request.user, expected_version=expected
    )


@login_required
@require_safe
@vary_on_headers("HX-Request")
def evidence_capture_state(request, evidence_id: int):
    """The capture state of one piece of evidence; the fragment polls itself while pending."""
    evidence = access.access_evidence_by_id(request.user, evidence_id)
    template = template_for(request, "desk/evidence_capture.html", "desk/_capture_state.html")
    return render(request, template, {"evidence": evidence})
