"""Stories: starting one, renaming and describing it, setting its time zone, making it public
or private, closing and reopening it.

Every change locks the story's row, refuses a stale version, raises the version and writes a
``StoryRevision`` (whose number is the story's version after the change) in the same
transaction. A request that changes nothing writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims import outbox
from claims.access import require_may_manage_stories
from claims.models import (
    Claim,
    OutboxEvent,
    StatusCount,
    Story,
    StoryRevision,
    validate_time_zone,
)
from claims.services.purges import record_story_purge
from claims.validation import MAX_LONG_TEXT, MAX_TITLE, clean_flag, clean_text, clean_version

Kind = StoryRevision.Kind
MAX_TIME_ZONE = 64
# Web addresses the desk's own pages use (/stories/new/).
RESERVED_SLUGS = frozenset({"new"})


class StoryConflictError(Exception):
    """The story changed since the caller read it; nothing was written."""

    def __init__(self, *, story: Story, expected_version: int, last: StoryRevision | None):
        self.story = story
        self.expected_version = expected_version
        self.last_revision = last
        who = last.actor.get_username() if last and last.actor else "someone"
        what = last.get_kind_display().lower() if last else "changed"
        super().__init__(
            f"This story was changed by {who} ({what}) since you opened its settings: you had "
            f"version {expected_version}, it is now at version {story.version}. Review the "
            "settings below and submit again."
        )


def clean_story(*, title, description, is_public) -> dict:
    """A story's title, description and public flag as they will be stored."""
    return {
        "title": clean_text(title, field="title", max_length=MAX_TITLE, required=True),
        "description": clean_text(
            description, field="description", max_length=MAX_LONG_TEXT, required=False
        ),
        "is_public": clean_flag(is_public, field="is_public"),
    }


def clean_time_zone(value) -> str:
    """An IANA time zone name ("Asia/Tehran"), as the story will store it."""
    name = clean_text(value, field="time_zone", max_length=MAX_TIME_ZONE, required=True)
    try:
        validate_time_zone(name)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    return name


def clean_story_slug(slug, *, title: str) -> str:
    """A new story's web address, from the one asked for or else from its title."""
    slug = clean_text(slug or "", field="slug", max_length=MAX_TITLE, required=False)
    slug = slugify(slug or title)[:120]
    if not slug:
        raise ValidationError({"slug": "The story needs a web address made of letters or digits."})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"/{slug}/ is taken by the desk's own pages."})
    if Story.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A story at /{slug}/ already exists."})
    return slug


def story_state(story: Story) -> dict:
    """What a story's revisions record of it."""
    return {
        "title": story.title,
        "slug": story.slug,
        "description": story.description,
        "time_zone": story.time_zone,
        "is_public": story.is_public,
        "closed": story.closed_at is not None,
    }


@transaction.atomic
def story_create(
    *,
    title: str,
    actor,
    slug: str = "",
    description: str = "",
    is_public: bool = False,
    time_zone: str | None = None,
) -> Story:
    require_may_manage_stories(actor)
    fields = clean_story(title=title, description=description, is_public=is_public)
    if time_zone is not None:
        fields["time_zone"] = clean_time_zone(time_zone)
    slug = clean_story_slug(slug, title=fields["title"])
    story = Story.objects.create(slug=slug, **fields)
    StatusCount.objects.bulk_create(
        [StatusCount(story=story, status=status) for status in Claim.Status.values]
    )
    _write_revision(
        story, kind=Kind.CREATED, actor=actor, at=story.created_at, after=story_state(story)
    )
    return story


@transaction.atomic
def story_update(
    *,
    story: Story,
    actor,
    title: str,
    description: str,
    is_public: bool | None = None,
    time_zone: str | None = None,
    expected_version: int | None = None,
) -> Story:
    """Change what a story is called and says, its time zone, and (when given) whether
    readers see it; each kind of change is its own revision. Its web address stays: feeds,
    links and embeds already point to it."""
    require_may_manage_stories(actor)
    # Without ``is_public`` the story stays as public as it is in the locked row.
    fields = clean_story(title=title, description=description, is_public=bool(is_public))
    publish = None if is_public is None else clean_flag(is_public, field="is_public")
    zone = None if time_zone is None else clean_time_zone(time_zone)
    story = lock_story(story, expected_version)
    _change(
        story, Kind.EDITED, actor, {"title": fields["title"], "description": fields["description"]}
    )
    if zone is not None:
        _change(story, Kind.TIME_ZONE, actor, {"time_zone": zone})
    if publish is not None and publish != story.is_public:
        _publish(story, actor, publish)
    return story


@transaction.atomic
def story_set_public(
    *, story: Story, is_public: bool, actor, expected_version: int | None = None
) -> Story:
    """Publish a story to readers and partners, or take it back to the desk alone."""
    require_may_manage_stories(actor)
    is_public = clean_flag(is_public, field="is_public")
    story = lock_story(story, expected_version)
    if is_public != story.is_public:
        _publish(story, actor, is_public)
    return story


@transaction.atomic
def story_close(*, story: Story, actor, expected_version: int | None = None) -> Story:
    """Close a story: it takes no new claims; its claims, rulings and pages stay."""
    require_may_manage_stories(actor)
    story = lock_story(story, expected_version)
    if story.closed_at is not None:
        raise ValidationError("The story is already closed.")
    before = story_state(story)
    story.closed_at = timezone.now()
    _commit(story, Kind.CLOSED, actor, ["closed_at"], before)
    return story


@transaction.atomic
def story_reopen(*, story: Story, actor, expected_version: int | None = None) -> Story:
    """Reopen a closed story, so that the desk logs claims in it again."""
    require_may_manage_stories(actor)
    story = lock_story(story, expected_version)
    if story.closed_at is None:
        raise ValidationError("The story is open already.")
    before = story_state(story)
    story.closed_at = None
    _commit(story, Kind.REOPENED, actor, ["closed_at"], before)
    return story


def lock_story(story: Story, expected_version: int | None) -> Story:
    """Lock the story's row and refuse the change if it moved on since the caller read it."""
    if expected_version is not None:
        clean_version(expected_version)
    locked = Story.objects.select_for_update().get(pk=story.pk)
    if expected_version is not None and locked.version != expected_version:
        last = (
            StoryRevision.objects.select_related("actor")
            .filter(story_id=locked.pk)
            .order_by("-number")
            .first()
        )
        raise StoryConflictError(story=locked, expected_version=expected_version, last=last)
    return locked


def _change(story: Story, kind: str, actor, fields: dict) -> None:
    """Set the fields that differ and write one revision for them; nothing if none differ."""
    changed = {name: value for name, value in fields.items() if getattr(story, name) != value}
    if not changed:
        return
    before = story_state(story)
    for name, value in changed.items():
        setattr(story, name, value)
    _commit(story, kind, actor, list(changed), before)


def _publish(story: Story, actor, is_public: bool) -> None:
    before = story_state(story)
    story.is_public = is_public
    _commit(story, Kind.PUBLISHED if is_public else Kind.UNPUBLISHED, actor, ["is_public"], before)


def _commit(story: Story, kind: str, actor, fields: list[str], before: dict) -> StoryRevision:
    """Raise the version, save the changed fields and write the revision for them."""
    now = timezone.now()
    story.version += 1
    story.updated_at = now
    story.save(update_fields=[*fields, "version", "updated_at"])
    after = story_state(story)
    changed = [name for name in after if before[name] != after[name]]
    if story.is_public or "is_public" in changed:  # what readers and partners see changed
        payload = {"story_id": story.pk, "changed": changed, "version": story.version}
        outbox.record(OutboxEvent.Kind.STORY_CHANGED, None, None, payload, story=story)
    return _write_revision(
        story,
        kind=kind,
        actor=actor,
        at=now,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )


def _write_revision(story: Story, *, kind, actor, at, before=None, after=None) -> StoryRevision:
    record_story_purge(story)
    return StoryRevision.objects.create(
        story=story,
        number=story.version,
        kind=kind,
        actor=actor,
        created_at=at,
        before=before or {},
        after=after or {},
    )
