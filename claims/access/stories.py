"""Who starts and runs stories on the desk, and what a closed story still takes."""

from django.core.exceptions import ValidationError

from claims.access.desk import access_story_by_slug
from claims.access.roles import Action, can, require
from claims.models import Story

__all__ = [
    "access_story_for_settings",
    "is_public_claim",
    "is_public_story",
    "may_manage_stories",
    "require_may_manage_stories",
    "require_story_open",
]


def may_manage_stories(user) -> bool:
    """Editors start stories, rename and describe them, set their time zone, publish and
    close them; reporters and moderators do not (moderators act on claims and sources)."""
    return can(user, Action.MANAGE_STORIES)


def require_may_manage_stories(user) -> None:
    require(user, Action.MANAGE_STORIES)


def access_story_for_settings(user, slug: str) -> Story:
    """The story whose settings the user opens: a desk member who may not manage stories is
    refused (403) once the story is known to exist for them; anyone else gets the 404."""
    story = access_story_by_slug(user, slug)
    require_may_manage_stories(user)
    return story


def require_story_open(story: Story) -> None:
    """A closed story takes no new claims; it is reopened first."""
    if story.closed_at is not None:
        raise ValidationError({"story": "This story is closed: reopen it to add claims."})


def is_public_story(story: Story) -> bool:
    """Readers, feeds and partners see the story."""
    return story.is_public


def is_public_claim(claim, story: Story) -> bool:
    """Readers see the claim: its story is public and moderation has not hidden it (the rule
    ``public_claim_q`` applies in queries)."""
    return story.is_public and not claim.is_hidden
