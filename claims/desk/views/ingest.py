"""Ingest pages (paste live updates, review candidates) and the evidence capture fragment."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from claims import access
from claims.access import Action
from claims.desk.forms import apply_service_error
from claims.desk.ingest_display import bound_form, candidate_rows, job_page, text_changes
from claims.desk.ingest_forms import REPORT, CandidateForm, IngestTextForm
from claims.desk.responses import HTTP_CONFLICT, HTTP_UNPROCESSABLE, template_for
from claims.models import IngestCandidate, IngestJob
from claims.selectors.desk import recent_ingest_jobs
from claims.services import ConflictError, ingest

DECISIONS = ("accept", "report", "dismiss")
PAGE = "desk/ingest_detail.html"


def _job_context(job: IngestJob, user, score: str = "") -> dict:
    return {"job": job, "page": job_page(job, user, score=score), "changes": text_changes(job)}


@login_required
@require_http_methods(["GET", "POST"])
def ingest_new(request):
    access.require(request.user, Action.CREATE)
    form = IngestTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = ingest.ingest_job_create(
                story=data["story"], text=data["content"], actor=request.user,
                story_date=data["story_date"], time_zone=data["time_zone"],
            )  # fmt: skip
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect(job)
    context = {"form": form, "recent": recent_ingest_jobs()}
    return render(request, "desk/ingest_new.html", context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def ingest_detail(request, job_id: int):
    job = access.access_ingest_job_by_id(request.user, job_id)
    context = _job_context(job, request.user, request.GET.get("score", ""))
    return render(request, template_for(request, PAGE, f"{PAGE}#job-body"), context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def ingest_status(request, job_id: int):
    """What the job page polls: its progress, then its candidates once extraction is done."""
    job = access.access_ingest_job_by_id(request.user, job_id)
    if not request.htmx:
        return redirect(job)
    return render(request, f"{PAGE}#job-body", _job_context(job, request.user))


@dataclass
class Outcome:
    error: str = ""
    status: int = 200
    form: CandidateForm | None = None


@login_required
@require_POST
def ingest_decide(request, candidate_id: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    # A 403 like the job page, not a flash message.
    candidate = access.access_candidate_by_id(request.user, candidate_id)
    outcome = _decide(request, candidate, decision)
    if request.htmx:
        return _decided_fragment(request, candidate, outcome)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, f"Candidate {candidate.index + 1}: {decision} done.")
    return redirect(candidate.job)


def _decided_fragment(request, candidate: IngestCandidate, outcome: Outcome):
    """The decided candidate; once decided, with the job's other open candidates about the
    same figure swapped out of band, as a value filed or replaced changes their offer."""
    job = candidate.job
    rows = candidate_rows(
        job, request.user, decided=candidate.pk, bound=outcome.form, error=outcome.error
    )
    [row] = [r for r in rows if r.candidate.pk == candidate.pk]
    figure = row.figure.figure.pk if row.figure and not outcome.error else None
    others = [
        r for r in rows
        if r is not row and r.form is not None and r.figure and r.figure.figure.pk == figure
    ]  # fmt: skip
    context = {"job": job, "row": row, "others": others}
    return render(request, "desk/_ingest_decided.html", context, status=outcome.status)


def _decide(request, candidate: IngestCandidate, decision: str) -> Outcome:
    """Apply the desk's decision; the outcome says what went wrong, if anything."""
    form = None
    try:
        if decision == "dismiss":
            ingest.ingest_candidate_dismiss(candidate=candidate, actor=request.user)
            return Outcome()
        form = bound_form(request, candidate, decision)
        if not form.is_valid():
            problems = [message for errors in form.errors.values() for message in errors]
            return Outcome(" ".join(problems), HTTP_UNPROCESSABLE, form)
        data = form.cleaned_data
        if decision == REPORT:
            ingest.ingest_candidate_report(
                candidate=candidate, actor=request.user, filing=form.filing(),
                supersedes=data["supersedes"], supersedes_version=data["supersedes_version"],
            )  # fmt: skip
        else:
            ingest.ingest_candidate_accept(
                candidate=candidate, actor=request.user, figure=form.chosen_figure(),
                filing=form.filing(),
            )  # fmt: skip
    except ValidationError as error:
        if form is not None:
            apply_service_error(form, error)
        return Outcome(" ".join(error.messages), HTTP_UNPROCESSABLE, form)
    except ConflictError as error:
        return Outcome(str(error), HTTP_CONFLICT, None)
    except PermissionDenied as error:
        return Outcome(str(error), HTTP_UNPROCESSABLE, form)
    return Outcome()


@login_required
@require_safe
@vary_on_headers("HX-Request")
def evidence_capture_state(request, evidence_id: int):
    """The capture state of one piece of evidence; the fragment polls itself while pending."""
    evidence = access.access_evidence_by_id(request.user, evidence_id)
    template = template_for(request, "desk/evidence_capture.html", "desk/_capture_state.html")
    return render(request, template, {"evidence": evidence})
