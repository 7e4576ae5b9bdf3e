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
from claims.desk.forms import IngestForm, apply_service_error
from claims.desk.ingest_forms import (
    NEW_FIGURE,
    NO_FIGURE,
    CandidateAcceptForm,
    CandidateReportForm,
)
from claims.desk.responses import HTTP_CONFLICT, HTTP_UNPROCESSABLE, template_for
from claims.models import Claim, Figure, IngestCandidate, IngestJob
from claims.selectors.desk import recent_ingest_jobs
from claims.selectors.figures import FigureSummary, desk_story_figures
from claims.services import ConflictError, ingest

DECISIONS = ("accept", "report", "dismiss")


@dataclass
class CandidateRow:
    """One candidate as the page shows it to this user, with its figure as it stands now."""

    candidate: IngestCandidate
    figure: FigureSummary | None = None
    conflict: Claim | None = None  # the report it contradicts, when the user may see it
    claim: Claim | None = None  # the claim it became, when the user may see it
    differs_in_text: bool = False
    accept_form: CandidateAcceptForm | None = None
    report_form: CandidateReportForm | None = None
    new_figure_open: bool = False
    error: str = ""


def _rows(job: IngestJob, user, *, only: int | None = None, bound=None, error="") -> list:
    """The job's candidates (or the one with pk ``only``), each with its figure as it
    stands for this user: three queries, however many candidates and figures."""
    candidates = job.candidates.select_related(
        "conflicting_claim__figure", "claim", "figure__merged_into"
    )
    if only is not None:
        candidates = candidates.filter(pk=only)
    summaries = {s.figure.pk: s for s in desk_story_figures(job.story, access.visible_claims(user))}
    in_text = {index for conflict in job.conflicts for index in conflict.get("candidates", [])}
    rows = []
    for candidate in candidates.order_by("index"):
        row = CandidateRow(candidate, differs_in_text=candidate.index in in_text)
        row.figure = summaries.get(_surviving(candidate.figure, summaries))
        row.conflict = _visible(user, candidate.conflicting_claim)
        row.claim = _visible(user, candidate.claim)
        if candidate.decision == IngestCandidate.Decision.OPEN:
            _add_forms(row, [s.figure for s in summaries.values()], bound)
            row.error = error
        rows.append(row)
    return rows


def _surviving(figure: Figure | None, summaries: dict) -> int | None:
    """The figure a candidate speaks of now: a merged one's reports live where it went."""
    seen = set()
    while figure is not None and figure.pk not in summaries and figure.pk not in seen:
        seen.add(figure.pk)
        figure = figure.merged_into
    return figure.pk if figure is not None else None


def _visible(user, claim: Claim | None) -> Claim | None:
    return claim if claim is not None and access.may_see_claim(user, claim) else None


def _add_forms(row: CandidateRow, figures: list[Figure], bound) -> None:
    candidate = row.candidate
    if isinstance(bound, CandidateAcceptForm):
        row.accept_form = bound
    else:
        initial = _accept_initial(candidate, row.figure)
        row.accept_form = CandidateAcceptForm(candidate=candidate, figures=figures, initial=initial)
    row.new_figure_open = row.accept_form["figure"].value() == NEW_FIGURE
    conflict = row.conflict
    if conflict is None or conflict.figure_id is None or conflict.superseded_by_id:
        return
    if isinstance(bound, CandidateReportForm):
        row.report_form = bound
    else:
        initial = {"supersedes_version": conflict.version}
        row.report_form = CandidateReportForm(candidate=candidate, initial=initial)


def _accept_initial(candidate: IngestCandidate, figure: FigureSummary | None) -> dict:
    """A linked figure's report; else a new figure named from the extracted value, when the
    sentence has a speaker to credit it to; else a claim with no figure."""
    if figure is not None:
        return {"figure": str(figure.figure.pk)}
    quantity = ingest.proposed_quantity(candidate)
    if quantity is None or not candidate.speaker:
        return {"figure": NO_FIGURE}
    kind, unit = ingest.figure_kind_for(quantity.get("unit"))
    subject = (quantity.get("subject") or "").strip()
    return {"figure": NEW_FIGURE, "subject": subject[:1].upper() + subject[1:], "kind": kind,
            "unit": unit}  # fmt: skip


def _job_context(job: IngestJob, user) -> dict:
    return {"job": job, "rows": _rows(job, user)}


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


@dataclass
class Outcome:
    error: str = ""
    status: int = 200
    form: CandidateAcceptForm | CandidateReportForm | None = None


@login_required
@require_POST
def ingest_decide(request, candidate_id: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    # A 403 like the job page, not a flash message.
    candidate = access.access_candidate_by_id(request.user, candidate_id)
    outcome = _decide(request, candidate, decision)
    if request.htmx:
        job = candidate.job
        [row] = _rows(job, request.user, only=candidate.pk, bound=outcome.form, error=outcome.error)
        context = {"job": job, "row": row}
        return render(request, "desk/ingest_detail.html#candidate", context, status=outcome.status)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, f"Candidate {candidate.index + 1}: {decision} done.")
    return redirect(candidate.job)


def _decide(request, candidate: IngestCandidate, decision: str) -> Outcome:
    """Apply the desk's decision; the outcome says what went wrong, if anything."""
    form = None
    try:
        if decision == "dismiss":
            ingest.ingest_candidate_dismiss(candidate=candidate, actor=request.user)
            return Outcome()
        form = _decision_form(request, candidate, decision)
        if not form.is_valid():
            problems = [message for errors in form.errors.values() for message in errors]
            return Outcome(" ".join(problems), HTTP_UNPROCESSABLE, form)
        data = form.cleaned_data
        if decision == "accept":
            ingest.ingest_candidate_accept(
                candidate=candidate, actor=request.user, figure=form.chosen_figure(),
                said_at=data["said_at"],
            )  # fmt: skip
        else:
            ingest.ingest_candidate_report(
                candidate=candidate, actor=request.user, said_at=data["said_at"],
                supersedes_version=data["supersedes_version"],
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


def _decision_form(request, candidate: IngestCandidate, decision: str):
    if decision == "report":
        return CandidateReportForm(request.POST, candidate=candidate)
    figures = Figure.objects.filter(story_id=candidate.job.story_id, merged_into__isnull=True)
    return CandidateAcceptForm(
        request.POST, candidate=candidate, figures=list(figures.order_by("subject", "id"))
    )


@login_required
@require_safe
@vary_on_headers("HX-Request")
def evidence_capture_state(request, evidence_id: int):
    """The capture state of one piece of evidence; the fragment polls itself while pending."""
    evidence = access.access_evidence_by_id(request.user, evidence_id)
    template = template_for(request, "desk/evidence_capture.html", "desk/_capture_state.html")
    return render(request, template, {"evidence": evidence})
