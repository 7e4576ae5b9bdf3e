"""Stories: starting one, changing its title or description, making it public or private."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from claims.access import Action, require
from claims.models import Claim, StatusCount, Story
from claims.validation import MAX_LONG_TEXT, MAX_TITLE, clean_flag, clean_text


def clean_story(*, title, description, is_public) -> dict:
    """A story's title, description and public flag as they will be stored."""
    return {
        "title": clean_text(title, field="title", max_length=MAX_TITLE, required=True),
        "description": clean_text(
            description, field="description", max_length=MAX_LONG_TEXT, required=False
        ),
        "is_public": clean_flag(is_public, field="is_public"),
    }


def clean_story_slug(slug, *, title: str) -> str:
    """A new story's web address, from the one asked for or else from its title."""
    slug = clean_text(slug or "", field="slug", max_length=MAX_TITLE, required=False)
    slug = slugify(slug or title)[:120]
    if not slug:
        raise ValidationError({"slug": "The story needs a web address made of letters or digits."})
    if Story.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A story at /{slug}/ already exists."})
    return slug


@transaction.atomic
def story_create(
    *, title: str, actor, slug: str = "", description: str = "", is_public: bool = False
) -> Story:
    require(actor, Action.MANAGE_STORIES)
    fields = clean_story(title=title, description=description, is_public=is_public)
    slug = clean_story_slug(slug, title=fields["title"])
    story = Story.objects.create(slug=slug, **fields)
    StatusCount.objects.bulk_create(
        [StatusCount(story=story, status=status) for status in Claim.Status.values]
    )
    return story


@transaction.atomic
def story_update(*, story: Story, actor, title: str, description: str, is_public: bool) -> Story:
    """Change what a story is called and says, and whether readers see it. Its web address
    stays: feeds, links and embeds already point to it."""
    require(actor, Action.MANAGE_STORIES)
    fields = clean_story(title=title, description=description, is_public=is_public)
    story = Story.objects.select_for_update().get(pk=story.pk)
    for name, value in fields.items():
        setattr(story, name, value)
    story.save(update_fields=[*fields, "updated_at"])
    return story


@transaction.atomic
def story_set_public(*, story: Story, is_public: bool, actor) -> Story:
    """Publish a story to readers and partners, or take it back to the desk alone."""
    require(actor, Action.MANAGE_STORIES)
    story.is_public = clean_flag(is_public, field="is_public")
    story.save(update_fields=["is_public", "updated_at"])
    return story
