"""Starting a story on the desk, and its settings page: its name, description and time
zone, whether readers see it, and whether it is closed; each change through a story service,
from the version the editor opened."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from claims import access, services
from claims.desk.forms import apply_service_error
from claims.desk.responses import HTTP_CONFLICT, HTTP_UNPROCESSABLE
from claims.desk.story_forms import (
    StoryCloseForm,
    StoryNewForm,
    StoryPublicSwitchForm,
    StorySettingsForm,
    time_zone_names,
)
from claims.models import Story
from claims.selectors import stories as selectors


@require_http_methods(["GET", "POST"])
@access.desk_required
def story_new(request: HttpRequest) -> HttpResponse:
    access.require_may_manage_stories(request.user)
    form = StoryNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "Story started. Log its first claim, or adjust its settings.")
            return redirect(story)
    status = HTTP_UNPROCESSABLE if form.is_bound else 200
    context = {"form": form, "time_zones": time_zone_names()}
    return render(request, "desk/story_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@access.desk_required
def story_settings(request: HttpRequest, slug: str) -> HttpResponse:
    story = access.access_story_for_settings(request.user, slug)
    if request.method == "GET":
        return _page(request, story, StorySettingsForm(initial=_initial(story)))
    form = StorySettingsForm(request.POST)
    if not form.is_valid():
        return _page(request, story, form, status=HTTP_UNPROCESSABLE)
    data = form.cleaned_data
    try:
        services.story_update(
            story=story,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            time_zone=data["time_zone"],
            expected_version=data["version"],
        )
    except services.StoryConflictError as error:
        return _conflict(request, error)
    except ValidationError as error:
        apply_service_error(form, error)
        return _page(request, story, form, status=HTTP_UNPROCESSABLE)
    messages.success(request, "Story settings saved.")
    return redirect("story_settings", story.slug)


@require_POST
@access.desk_required
def story_public(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the story to readers, feeds and partners, or take it back to the desk. The
    settings page sends the version it shows; the story page's button says what it does."""
    story = access.access_story_for_settings(request.user, slug)
    form = StoryPublicSwitchForm(request.POST)
    if not form.is_valid():  # not one of the page's buttons
        return HttpResponseBadRequest("Choose to publish the story or to keep it on the desk.")
    is_public, version = form.cleaned_data["is_public"], form.cleaned_data["version"]
    try:
        services.story_set_public(
            story=story, is_public=is_public, actor=request.user, expected_version=version
        )
    except services.StoryConflictError as error:
        return _conflict(request, error)
    if is_public:
        messages.success(request, "The story is public: readers, feeds and partners see it.")
    else:
        messages.success(request, "The story is on the desk only: readers no longer see it.")
    return redirect("story_settings", story.slug) if version else redirect(story)


@require_POST
@access.desk_required
def story_close(request: HttpRequest, slug: str) -> HttpResponse:
    """Close the story (no new claims; everything else stays), or reopen it."""
    story = access.access_story_for_settings(request.user, slug)
    form = StoryCloseForm(request.POST)
    if not form.is_valid():  # not one of the page's buttons
        return HttpResponseBadRequest("Choose to close the story or to reopen it, then reload.")
    change = services.story_close if form.cleaned_data["closed"] else services.story_reopen
    try:
        change(story=story, actor=request.user, expected_version=form.cleaned_data["version"])
    except services.StoryConflictError as error:
        return _conflict(request, error)
    except ValidationError as error:
        return _refused(request, story, " ".join(error.messages))
    if form.cleaned_data["closed"]:
        messages.success(request, "Story closed: it takes no new claims until it is reopened.")
    else:
        messages.success(request, "Story reopened: the desk can log claims in it again.")
    return redirect("story_settings", story.slug)


def _initial(story: Story) -> dict:
    return {
        "title": story.title,
        "description": story.description,
        "time_zone": story.time_zone,
        "version": story.version,
    }


def _page(
    request, story: Story, form, *, status: int = 200, conflict=None, refusal: str = ""
) -> HttpResponse:
    context = {
        "story": story,
        "form": form,
        "conflict": conflict,
        "refusal": refusal,
        "time_zones": time_zone_names(),
        "history": selectors.story_history(story),
        "public_url": reverse("public_story", args=[story.slug]) if story.is_public else "",
    }
    return render(request, "desk/story_settings.html", context, status=status)


def _conflict(request, error: services.StoryConflictError) -> HttpResponse:
    """409: what changed since the editor opened the page, the story as it is now, and what
    they typed kept in the form, carrying the fresh version so they can submit it again."""
    story = error.story
    if "title" in request.POST:
        data = request.POST.copy()
        data["version"] = str(story.version)
        form = StorySettingsForm(data)
        form.is_valid()
    else:
        form = StorySettingsForm(initial=_initial(story))
    conflict = {
        "version": error.expected_version,
        "revisions": selectors.story_revisions_since(story, error.expected_version),
    }
    return _page(request, story, form, status=HTTP_CONFLICT, conflict=conflict)


def _refused(request, story: Story, message: str) -> HttpResponse:
    form = StorySettingsForm(initial=_initial(story))
    return _page(request, story, form, status=HTTP_UNPROCESSABLE, refusal=message)
