"""Reads about stories on the desk: who holds which of a story's claims, and a story's
history of changes."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from claims.access import visible_claims
from claims.models import Claim, Story, StoryRevision

# Claims listed under each holder; the rest are counted and reached through the queue.
HELD_LISTED = 8
STORY_HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Holder:
    user: object
    count: int
    claims: list[Claim]

    @property
    def more(self) -> int:
        return self.count - len(self.claims)


def story_holders(*, user, story: Story) -> list[Holder]:
    """The people holding the story's claims the user can see, most claims first, each with
    their most recently changed claims and how many they hold: one query, however many
    claims and holders."""
    by_holder = {"partition_by": [F("assignee_id")]}
    recent = (
        visible_claims(user)
        .filter(story=story, assignee__isnull=False)
        .select_related("assignee")
        .only("id", "text", "status", "story_id", "assignee", "changed_at")
        .annotate(
            place=Window(
                RowNumber(), order_by=[F("changed_at").desc(), F("id").desc()], **by_holder
            ),
            held=Window(Count("id"), **by_holder),
        )
        .filter(place__lte=HELD_LISTED)
        .order_by("assignee_id", "place")
    )
    holders: dict[int, Holder] = {}
    for claim in recent:
        holder = holders.setdefault(claim.assignee_id, Holder(claim.assignee, claim.held, []))
        holder.claims.append(claim)
    return sorted(holders.values(), key=lambda h: (-h.count, h.user.get_username()))


def story_history(story: Story) -> list[StoryRevision]:
    """The story's latest changes, newest first, with who made them."""
    return list(
        StoryRevision.objects.filter(story=story)
        .select_related("actor")
        .order_by("-number")[:STORY_HISTORY_LIMIT]
    )


def story_revisions_since(story: Story, version: int) -> list[StoryRevision]:
    """The changes made after ``version``, oldest first: what a stale form missed."""
    return list(
        StoryRevision.objects.filter(story=story, number__gt=version)
        .select_related("actor")
        .order_by("number")[:STORY_HISTORY_LIMIT]
    )
