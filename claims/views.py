"""The desk: review queue, claim page and its actions, new claim, story page.

Each URL serves a full page and, for htmx requests, only the fragment that changed. Every
action also works as a plain form post: success redirects back to the claim page, a refused
input re-renders the page with the form's errors.

Status codes for refused input: 422 when the form or the service rejects it (htmx swaps it
in place, see the htmx-config meta in base.html), 409 when the claim changed since the user
loaded it, 403 when the user may not do this, 404 for claims they cannot see.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims import selectors, services
from claims.diffs import revision_changes
from claims.forms import (
    AssignForm,
    AttributionForm,
    ClaimCreateForm,
    EditForm,
    EvidenceForm,
    NoteForm,
    QueueFilterForm,
    StatusForm,
    SupersedeForm,
    apply_service_error,
)
from claims.models import Claim, Revision, format_quantity
from claims.permissions import Action, can
from claims.services import ConflictError
from claims.svg import story_timeline_svg
from sources.models import Source
from sources.selectors import recent_source_names
from sources.services import source_get_or_create

HTTP_CONFLICT = 409
HTTP_UNPROCESSABLE = 422


def desk_required(view: Callable) -> Callable:
    """Logged-in desk staff only: anonymous users go to the login page, others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not selectors.is_desk_user(request.user):
            raise PermissionDenied("This page is for the newsroom desk.")
        return view(request, *args, **kwargs)

    return wrapped


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request swaps a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# Review queue ------------------------------------------------------------------------------


@require_GET
@desk_required
@vary_on_headers("HX-Request")
def review_queue(request: HttpRequest) -> HttpResponse:
    show_hidden = selectors.sees_hidden(request.user)
    form = QueueFilterForm(request.GET, show_hidden=show_hidden)
    data = form.valid_data()
    filters = selectors.QueueFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        story=data.get("story"),
        assignee=data.get("assignee"),
        source=data.get("source"),
        no_evidence=bool(data.get("no_evidence")),
        mine=bool(data.get("mine")),
        hidden=bool(data.get("hidden")),
    )
    page = selectors.claim_queue(
        user=request.user,
        filters=filters,
        after=request.GET.get("after", "")[:120],
        before=request.GET.get("before", "")[:120],
    )
    context = {
        "form": form,
        "page": page,
        "row_html": _queue_rows(page.rows),
        "filters": filters,
        "counts": selectors.queue_counts(story=filters.story),
    }
    template = "claims/queue.html#results" if wants_fragment(request) else "claims/queue.html"
    return render(request, template, context)


QUEUE_ROW_SECONDS = 600


def _queue_rows(rows: list) -> list[str]:
    """Each row's HTML, rendered once per claim version and then read from the cache.

    Every change to a claim bumps its version, and a story's edits its updated_at, so a
    key changes whenever a row would; a renamed source shows within QUEUE_ROW_SECONDS.
    """
    keys = {
        row.id: f"queue-row:{row.id}:{row.version}:{row.story__updated_at.timestamp()}"
        for row in rows
    }
    cached = cache.get_many(list(keys.values()))
    missing = [row.id for row in rows if keys[row.id] not in cached]
    if missing:
        fresh = {
            keys[claim.pk]: render_to_string("claims/queue.html#queue-row", {"claim": claim})
            for claim in selectors.queue_rows_to_render(missing)
        }
        cache.set_many(fresh, QUEUE_ROW_SECONDS)
        cached.update(fresh)
    # The cached strings are this template's own rendering, user text already escaped.
    # A claim deleted since the page was read has no row left to show.
    return [mark_safe(cached[keys[row.id]]) for row in rows if keys[row.id] in cached]


# Claim page --------------------------------------------------------------------------------

ACTION_FORMS = {
    "status": (StatusForm, Action.SET_STATUS),
    "edit": (EditForm, Action.EDIT),
    "evidence": (EvidenceForm, Action.ADD_EVIDENCE),
    "attribution": (AttributionForm, Action.ADD_ATTRIBUTION),
    "assign": (AssignForm, Action.EDIT),
    "supersede": (SupersedeForm, Action.SUPERSEDE),
    "note": (NoteForm, Action.ADD_NOTE),
}
# The parts of the claim page every action may change, swapped together out of band.
STATE_FRAGMENTS = ["claim-state", "claim-timeline", "claim-notes", "claim-counts"]


def _initial(name: str, claim: Claim) -> dict:
    initial = {"version": claim.version}
    if name == "status":
        initial.update(status=claim.status, rationale=claim.rationale)
    if name == "edit":
        initial.update(
            text=claim.text,
            quantity_subject=claim.quantity_subject,
            quantity_value=(
                "" if claim.quantity_value is None else format_quantity(claim.quantity_value)
            ),
            quantity_unit=claim.quantity_unit,
        )
    return initial


def _claim_context(
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
    for name, (form_class, action) in ACTION_FORMS.items():
        if can(user, action):
            forms[name] = bound.get(name) or form_class(
                initial=_initial(name, claim), auto_id=f"{name}-%s"
            )
    names_source = "evidence" in forms or "attribution" in forms
    return {
        "claim": claim,
        "story": claim.story,
        "forms": forms,
        "source_names": recent_source_names() if names_source else [],
        "conflict": conflict,
        "candidates": candidates,
        "attributions": selectors.claim_attributions(claim=claim),
        "evidence_groups": selectors.claim_evidence_by_stance(claim=claim),
        "replaces": selectors.claim_replaces(user=user, claim=claim),
        "timeline_html": _version_markup(claim, forms),
        "notes": selectors.claim_notes(claim=claim),
        "counts": selectors.queue_counts(story=claim.story),
    }


VERSION_MARKUP_SECONDS = 3600
# The forms the claim page lays out field by field with _form_fields.html.
FORMS_OF_FIELDS = ("status", "edit", "evidence", "attribution", "note")


def _version_markup(claim: Claim, forms: dict) -> str:
    """The timeline and the unbound forms' fields of this version of the claim, in one cache
    read; what is missing is rendered and cached. Returns the timeline's markup and gives
    each unbound form its ``cached_markup``.

    Revisions are append-only and a claim's version is its last revision's number, so the
    timeline of a version never changes; an unbound form's initial values come from the
    claim, so its fields render the same for every user at that version.
    """
    base = f"claim-markup-v1:{claim.pk}:{claim.version}"
    unbound = {
        name: form for name, form in forms.items() if name in FORMS_OF_FIELDS and not form.is_bound
    }
    keys = {"timeline": f"{base}:timeline"} | {name: f"{base}:form-{name}" for name in unbound}
    found = cache.get_many(list(keys.values()))
    fresh = {}
    if keys["timeline"] not in found:
        timeline = selectors.claim_timeline(claim=claim)
        fresh[keys["timeline"]] = render_to_string(
            "claims/claim_detail.html#timeline-list", {"timeline": timeline}
        )
    for name, form in unbound.items():
        if keys[name] not in found:
            fresh[keys[name]] = render_to_string("claims/_form_fields.html", {"form": form})
    if fresh:
        cache.set_many(fresh, VERSION_MARKUP_SECONDS)
        found.update(fresh)
    # The cached strings are these templates' own renderings, user text already escaped.
    for name, form in unbound.items():
        form.cached_markup = mark_safe(found[keys[name]])
    return mark_safe(found[keys["timeline"]])


@require_GET
@desk_required
@vary_on_headers("HX-Request")
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    return render(request, "claims/claim_detail.html", _claim_context(request, claim))


def _render_fragments(request, context: dict, names: list[str], status: int) -> HttpResponse:
    html = "".join(
        render_to_string(f"claims/claim_detail.html#{name}", context, request) for name in names
    )
    return HttpResponse(html, status=status)


def _respond_done(request: HttpRequest, claim_id: int, name: str, message: str) -> HttpResponse:
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect("claim_detail", claim_id=claim_id)
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    context = _claim_context(request, claim) | {"oob": True, "done": message, "acted": name}
    return _render_fragments(request, context, [f"form-{name}", *STATE_FRAGMENTS, "versions"], 200)


def _respond_refused(request: HttpRequest, claim: Claim, name: str, form) -> HttpResponse:
    """The form again, with its errors and everything the user typed."""
    context = _claim_context(request, claim, bound={name: form})
    if not wants_fragment(request):
        return render(request, "claims/claim_detail.html", context, status=HTTP_UNPROCESSABLE)
    return _render_fragments(request, context, [f"form-{name}"], HTTP_UNPROCESSABLE)


def _respond_conflict(
    request: HttpRequest, error: ConflictError, name: str, form_class
) -> HttpResponse:
    """409: who changed what since the user loaded the page, the fresh claim, and their input
    kept in the form, now carrying the fresh version so they can submit it again."""
    claim = selectors.claim_get_for_user(user=request.user, claim_id=error.claim.pk)
    data = request.POST.copy()
    data["version"] = str(claim.version)
    form = form_class(data, auto_id=f"{name}-%s")
    conflict = {"revisions": _revisions_since(claim, error), "version": error.expected_version}
    context = _claim_context(request, claim, bound={name: form}, conflict=conflict)
    context["conflict_form"] = name
    if not wants_fragment(request):
        return render(request, "claims/claim_detail.html", context, status=HTTP_CONFLICT)
    context["oob"] = True
    fragments = [f"form-{name}", *STATE_FRAGMENTS, "versions"]
    return _render_fragments(request, context, fragments, HTTP_CONFLICT)


def _revisions_since(claim: Claim, error: ConflictError) -> list:
    revisions = (
        Revision.objects.filter(claim=claim, number__gt=error.expected_version)
        .select_related("actor")
        .order_by("number")[:20]
    )
    entries = [selectors.TimelineEntry(r, revision_changes(r.before, r.after)) for r in revisions]
    if not entries and error.last_revision is not None:
        entries = [selectors.TimelineEntry(error.last_revision)]
    return entries


def _claim_action(request: HttpRequest, claim_id: int, name: str, perform, message: str):
    """Validate the form, call one service, and answer with what changed."""
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    form_class, action = ACTION_FORMS[name]
    if not can(request.user, action):
        raise PermissionDenied("You are not allowed to do this.")
    form = form_class(request.POST, auto_id=f"{name}-%s")
    if not form.is_valid():
        return _respond_refused(request, claim, name, form)
    try:
        perform(claim, form.cleaned_data, request.user)
    except ConflictError as error:
        return _respond_conflict(request, error, name, form_class)
    except ValidationError as error:
        apply_service_error(form, error)
        return _respond_refused(request, claim, name, form)
    return _respond_done(request, claim.pk, name, message)


@require_POST
@desk_required
def claim_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    def perform(claim, data, user):
        services.claim_set_status(
            claim=claim,
            status=data["status"],
            rationale=data["rationale"],
            actor=user,
            expected_version=data["version"],
        )

    return _claim_action(request, claim_id, "status", perform, "Status changed.")


@require_POST
@desk_required
def claim_edit(request: HttpRequest, claim_id: int) -> HttpResponse:
    def perform(claim, data, user):
        services.claim_edit(
            claim=claim,
            actor=user,
            expected_version=data["version"],
            text=data["text"],
            quantity_subject=data["quantity_subject"],
            quantity_value=data["quantity_value"],
            quantity_unit=data["quantity_unit"],
            note=data["note"],
        )

    return _claim_action(request, claim_id, "edit", perform, "Claim edited.")


@require_POST
@desk_required
def evidence_add(request: HttpRequest, claim_id: int) -> HttpResponse:
    @transaction.atomic  # a refused change leaves no new source behind
    def perform(claim, data, user):
        services.evidence_add(
            claim=claim,
            url=data["url"],
            stance=data["stance"],
            excerpt=data["excerpt"],
            source=_named_source(data["source"], user, kind=Source.Kind.OUTLET),
            actor=user,
            expected_version=data["version"],
        )

    return _claim_action(request, claim_id, "evidence", perform, "Evidence added.")


@require_POST
@desk_required
def attribution_add(request: HttpRequest, claim_id: int) -> HttpResponse:
    @transaction.atomic  # a refused change leaves no new source behind
    def perform(claim, data, user):
        services.attribution_add(
            claim=claim,
            source=_named_source(data["source"], user, kind=Source.Kind.PERSON),
            quote=data["quote"],
            url=data["url"],
            outlet=data["outlet"],
            said_at=data["said_at"],
            actor=user,
            expected_version=data["version"],
        )

    return _claim_action(request, claim_id, "attribution", perform, "Attribution added.")


def _named_source(name: str, user, *, kind: str) -> Source | None:
    """The source the user typed: an existing one whatever the case, or a new one."""
    if not name:
        return None
    try:
        return source_get_or_create(name=name, actor=user, kind=kind)
    except PermissionDenied:
        raise ValidationError(
            {"source": f"There is no source named “{name}”, and you may not add sources."}
        ) from None
    except ValidationError as error:
        raise ValidationError({"source": error.messages}) from None


@require_POST
@desk_required
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    def perform(claim, data, user):
        services.claim_assign(
            claim=claim, assignee=user, actor=user, expected_version=data["version"]
        )

    return _claim_action(request, claim_id, "assign", perform, "Assigned to you.")


@require_POST
@desk_required
def note_add(request: HttpRequest, claim_id: int) -> HttpResponse:
    def perform(claim, data, user):
        services.note_add(claim=claim, body=data["body"], actor=user)

    return _claim_action(request, claim_id, "note", perform, "Note added.")


@require_http_methods(["GET", "POST"])
@desk_required
@vary_on_headers("HX-Request")
def claim_supersede(request: HttpRequest, claim_id: int) -> HttpResponse:
    """POST replaces the claim; GET searches the story for the claim that replaces it."""
    if request.method == "POST":
        return _claim_action(request, claim_id, "supersede", _supersede, "Claim superseded.")
    claim = selectors.claim_get_for_user(user=request.user, claim_id=claim_id)
    if not can(request.user, Action.SUPERSEDE):
        raise PermissionDenied("You are not allowed to supersede claims.")
    q = request.GET.get("q", "")[:200]
    candidates = selectors.similar_claims(
        user=request.user, story=claim.story, text=q, exclude_id=claim.pk
    )
    if wants_fragment(request):
        context = {"claim": claim, "candidates": candidates, "q": q}
        return render(request, "claims/claim_detail.html#supersede-candidates", context)
    form = SupersedeForm(initial={"version": claim.version, "q": q}, auto_id="supersede-%s")
    context = _claim_context(request, claim, bound={"supersede": form}, candidates=candidates)
    return render(request, "claims/claim_detail.html", context)


def _supersede(claim: Claim, data: dict, user) -> None:
    try:
        replacement = selectors.claim_get_for_user(user=user, claim_id=data["replacement_id"])
    except Http404:
        raise ValidationError(
            {"by_number": f"There is no claim number {data['replacement_id']}."}
        ) from None
    services.claim_supersede(
        claim=claim, by=replacement, actor=user, expected_version=data["version"], note=data["note"]
    )


# New claim -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@desk_required
@vary_on_headers("HX-Request")
def claim_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The new-claim form; while typing, htmx asks this URL for similar claims in the story."""
    story = selectors.story_get_for_user(user=request.user, slug=slug)
    if not can(request.user, Action.CREATE):
        raise PermissionDenied("You are not allowed to create claims.")
    if request.method == "GET":
        text = request.GET.get("text", "")[:2000]
        similar = selectors.similar_claims(user=request.user, story=story, text=text)
        context = {"story": story, "similar": similar, "text": text}
        if wants_fragment(request):
            return render(request, "claims/claim_new.html#suggestions", context)
        context["form"] = ClaimCreateForm(initial={"text": text})
        return render(request, "claims/claim_new.html", context)
    form = ClaimCreateForm(request.POST)
    if form.is_valid():
        try:
            claim = services.claim_create(story=story, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "Claim created.")
            return redirect(claim)
    similar = selectors.similar_claims(
        user=request.user, story=story, text=form.data.get("text", "")[:2000]
    )
    context = {"story": story, "form": form, "similar": similar}
    return render(request, "claims/claim_new.html", context, status=HTTP_UNPROCESSABLE)


# Story page ------------------------------------------------------------------------------------


@require_GET
@desk_required
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = selectors.story_get_for_user(user=request.user, slug=slug)
    groups = selectors.story_claims_by_status(user=request.user, story=story)
    context = {
        "story": story,
        "counts": selectors.queue_counts(story=story),
        "groups": groups,
        "has_claims": any(claims for _, _, claims in groups),
        "timeline_svg": story_timeline_svg(
            story=story, events=selectors.story_status_events(story=story)
        ),
        "can_create": can(request.user, Action.CREATE),
    }
    return render(request, "claims/story_detail.html", context)
