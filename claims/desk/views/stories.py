"""A story on the desk: its progress, its figures and claims by status, who holds which
claims, a new claim in it, where readers find it, and following it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims import access, services
from claims.access import Action
from claims.desk import public_links
from claims.desk.figure_display import figure_card
from claims.desk.figure_forms import ClaimCreateForm
from claims.desk.forms import apply_service_error
from claims.desk.responses import HTTP_UNPROCESSABLE, wants_fragment
from claims.desk.svg import story_timeline_svg
from claims.desk.views.claims import watch_from_form
from claims.desk.views.inputs import report_arguments
from claims.models.choices import Approximation
from claims.selectors import desk as selectors
from claims.selectors import queue as queue_selectors
from claims.selectors import stories as story_selectors
from claims.selectors.figures import desk_story_figures, story_figures


@require_GET
@access.desk_required
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = access.access_story_by_slug(request.user, slug)
    groups = selectors.story_claims_by_status(user=request.user, story=story)
    summaries = desk_story_figures(story, access.visible_claims(request.user))
    _give_figures(groups, summaries)
    context = {
        "story": story,
        "figures": [figure_card(summary) for summary in summaries],
        "counts": queue_selectors.queue_counts(story=story),
        "groups": groups,
        "has_claims": any(claims for _, _, claims in groups),
        "timeline_svg": story_timeline_svg(
            story=story, events=selectors.story_status_events(story=story)
        ),
        "can_create": access.can(request.user, Action.CREATE) and not story.is_closed,
        "can_publish": access.may_manage_stories(request.user),
        "holders": story_selectors.story_holders(user=request.user, story=story),
        "public_links": public_links.story_links(story),
        "watching": selectors.is_watching(user=request.user, story=story),
    }
    return render(request, "desk/story_detail.html", context)


def _give_figures(groups, summaries) -> None:
    """Each listed claim that reports a figure shows its value: hand it the figure already
    read, so the list costs no query per claim."""
    figures = {summary.figure.pk: summary.figure for summary in summaries}
    for _, _, claims in groups:
        for claim in claims:
            if claim.figure_id in figures:
                claim.figure = figures[claim.figure_id]


@require_POST
@access.desk_required
def story_watch(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow the story, or stop following it: every ruling in it is e-mailed."""
    story = access.access_story_by_slug(request.user, slug)
    watching = watch_from_form(request, story=story)
    done = "You follow this story." if watching else "You no longer follow this story."
    if wants_fragment(request):
        context = {"story": story, "watching": watching, "done": done, "acted": "watch"}
        return render(request, "desk/_watch.html", context | {"what": "story"})
    messages.success(request, done)
    return redirect(story)


CHECK_DUPLICATES = "check_duplicates"


@require_http_methods(["GET", "POST"])
@access.desk_required
@vary_on_headers("HX-Request")
def claim_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The new-claim form; while typing, htmx asks this URL for similar claims in the story."""
    story = access.access_story_by_slug(request.user, slug)
    access.require(request.user, Action.CREATE)
    if story.is_closed and request.method == "GET" and not wants_fragment(request):
        messages.error(request, "This story is closed: an editor reopens it to add claims.")
        return redirect(story)
    if request.method == "GET":
        text = request.GET.get("text", "")[:2000]
        similar = selectors.similar_claims(user=request.user, story=story, text=text)
        context = {"story": story, "similar": similar, "text": text}
        if wants_fragment(request):
            return render(request, "desk/claim_new.html#suggestions", context)
        initial = {"text": text, "approximation": Approximation.EXACT}
        context["form"] = ClaimCreateForm(initial=initial, figures=story_figures(story))
        return render(request, "desk/claim_new.html", context)
    if CHECK_DUPLICATES in request.POST:
        return _duplicates_checked(request, story)
    form = ClaimCreateForm(request.POST, figures=story_figures(story))
    if form.is_valid():
        try:
            claim = _create(story, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "Claim created.")
            return redirect(claim)
    similar = selectors.similar_claims(
        user=request.user, story=story, text=form.data.get("text", "")[:2000]
    )
    context = {"story": story, "form": form, "similar": similar}
    return render(request, "desk/claim_new.html", context, status=HTTP_UNPROCESSABLE)


def _duplicates_checked(request: HttpRequest, story) -> HttpResponse:
    """Without JavaScript the panel's button posts the form: the page again, with the
    claims like the text typed and everything typed kept, nothing created."""
    typed = {
        name: value
        for name, value in request.POST.items()
        if name not in ("csrfmiddlewaretoken", CHECK_DUPLICATES)
    }
    text = typed.get("text", "")[:2000]
    similar = selectors.similar_claims(user=request.user, story=story, text=text)
    form = ClaimCreateForm(initial=typed, figures=story_figures(story))
    context = {"story": story, "form": form, "similar": similar, "text": text}
    return render(request, "desk/claim_new.html", context)


@transaction.atomic  # a refused claim leaves no new figure behind
def _create(story, user, data: dict):
    arguments = report_arguments(data, story=story, actor=user)
    return services.claim_create(story=story, actor=user, **arguments)
