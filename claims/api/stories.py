"""Stories (list, create, set public) and sources (list, get, create)."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from claims import access, services
from claims.api.auth import AUTH, reader, writer
from claims.api.paging import id_page
from claims.api.schemas import (
    ProblemOut,
    SourceIn,
    SourceOut,
    SourcePage,
    StoryIn,
    StoryOut,
    StoryPage,
    StoryPublicIn,
)
from claims.models import Story
from sources.models import Source

router = Router(auth=AUTH, tags=["stories", "sources"])
ERRORS = {code: ProblemOut for code in (401, 403, 404, 422, 429)}
STORY_FIELDS = ("slug", "title", "description", "is_public", "time_zone", "version")
SOURCE_FIELDS = ("name", "kind", "description", "homepage")
CURSOR = Query("", max_length=20, description="``next_cursor`` of the page before.")


@router.get("/stories", response={200: StoryPage, **ERRORS})
def stories_list(request: HttpRequest, response: HttpResponse, cursor: str = CURSOR):
    """Every story on the desk, newest first, a hundred a page."""
    access.require(reader(request), access.Action.VIEW)
    return Status(200, id_page(request, response, Story.objects.all(), STORY_FIELDS, cursor))


@router.post("/stories", response={201: StoryOut, **ERRORS})
def stories_create(request: HttpRequest, payload: StoryIn):
    return Status(201, services.story_create(actor=writer(request), **payload.model_dump()))


@router.post("/stories/{slug}/public", response={200: StoryOut, **ERRORS})
def stories_set_public(request: HttpRequest, slug: str, payload: StoryPublicIn):
    user = writer(request)
    story = access.access_story_by_slug(user, slug)
    story = services.story_set_public(story=story, is_public=payload.is_public, actor=user)
    return Status(200, story)


@router.get("/sources", response={200: SourcePage, **ERRORS})
def sources_list(request: HttpRequest, response: HttpResponse, cursor: str = CURSOR):
    """Every source, newest first, a hundred a page."""
    access.require(reader(request), access.Action.VIEW)
    return Status(200, id_page(request, response, Source.objects.all(), SOURCE_FIELDS, cursor))


@router.get("/sources/{source_id}", response={200: SourceOut, **ERRORS})
def sources_get(request: HttpRequest, source_id: int):
    return Status(200, access.access_source_by_id(reader(request), source_id))


@router.post("/sources", response={201: SourceOut, **ERRORS})
def sources_create(request: HttpRequest, payload: SourceIn):
    return Status(201, services.source_create(actor=writer(request), **payload.model_dump()))
