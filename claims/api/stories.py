"""Stories (list, create, set public) and sources (list, get, create)."""

from django.http import HttpRequest
from ninja import Router

from claims import access, services
from claims.api.auth import AUTH, reader, writer
from claims.api.schemas import ProblemOut, SourceIn, SourceOut, StoryIn, StoryOut, StoryPublicIn
from claims.models import Story
from sources.models import Source

router = Router(auth=AUTH, tags=["stories", "sources"])
ERRORS = {code: ProblemOut for code in (401, 403, 404, 412, 422, 429)}
STORY_FIELDS = ("slug", "title", "description", "is_public", "time_zone", "version")
SOURCE_FIELDS = ("id", "name", "kind", "description", "homepage")


@router.get("/stories", response={200: list[StoryOut], **ERRORS})
def stories_list(request: HttpRequest):
    access.require(reader(request), access.Action.VIEW)
    return 200, list(Story.objects.order_by("-created_at").values(*STORY_FIELDS)[:200])


@router.post("/stories", response={201: StoryOut, **ERRORS})
def stories_create(request: HttpRequest, payload: StoryIn):
    story = services.story_create(actor=writer(request), **payload.model_dump())
    return 201, story


@router.post("/stories/{slug}/public", response={200: StoryOut, **ERRORS})
def stories_set_public(request: HttpRequest, slug: str, payload: StoryPublicIn):
    user = writer(request)
    story = access.access_story_by_slug(user, slug)
    return 200, services.story_set_public(story=story, is_public=payload.is_public, actor=user)


@router.get("/sources", response={200: list[SourceOut], **ERRORS})
def sources_list(request: HttpRequest):
    access.require(reader(request), access.Action.VIEW)
    return 200, list(Source.objects.order_by("name").values(*SOURCE_FIELDS)[:500])


@router.get("/sources/{source_id}", response={200: SourceOut, **ERRORS})
def sources_get(request: HttpRequest, source_id: int):
    return 200, access.access_source_by_id(reader(request), source_id)


@router.post("/sources", response={201: SourceOut, **ERRORS})
def sources_create(request: HttpRequest, payload: SourceIn):
    return 201, services.source_create(actor=writer(request), **payload.model_dump())
