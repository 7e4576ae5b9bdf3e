"""What a user works on: "My desk" (the claims they watch or hold, the stories they watch),
the people a claim may be given to, and the claims an action on the queue names."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q

from claims.access import desk_users, may_assign_others, visible_claims
from claims.lib.keyset import KeysetPage, Position, keyset_page
from claims.models import Claim, Story, Watch

PAGE_SIZE = 25
WATCHED_STORIES = 50
DESK_USER_SECONDS = 60


def my_desk(*, user, after: str = "", before: str = "", limit: int = PAGE_SIZE) -> KeysetPage:
    """The claims the user watches or holds, newest change first, in keyset pages.

    Each claim says why it is here: ``watching`` (annotated), and its assignee. The cursors
    are sealed to the user, so a page's links lead only through their own list.
    """
    watched = Watch.objects.filter(user=user, claim__isnull=False).values("claim_id")
    claims = (
        visible_claims(user)
        .filter(Q(assignee=user) | Q(pk__in=watched))
        .select_related("story", "assignee", "figure")
        .for_display()
        .annotate(watching=Exists(Watch.objects.filter(user=user, claim=OuterRef("pk"))))
    )
    position = Position.read(after=after, before=before, scope=f"my-desk:{user.pk}")
    return keyset_page(claims, position, limit=limit)


def watched_stories(*, user) -> list[Story]:
    """The stories the user watches, the most recently changed first."""
    return list(Story.objects.filter(watches__user=user).order_by("-updated_at")[:WATCHED_STORIES])


def desk_user_choices() -> list[tuple[int, str]]:
    """(id, username) of everyone who may hold a claim, shared by every request for a
    minute; the service refuses anyone who left the desk since."""
    choices = cache.get("desk-user-choices")
    if choices is None:
        choices = list(desk_users().values_list("pk", "username"))
        cache.set("desk-user-choices", choices, DESK_USER_SECONDS)
    return choices


def claims_by_id(*, user, ids: list[int]) -> dict[int, Claim]:
    """The claims among ``ids`` the user may see, in one query; the others are missing."""
    return visible_claims(user).for_display().in_bulk(ids)


def desk_people(user) -> list[tuple[int, str]]:
    """Whom the user may give a claim to: anyone on the desk, for those who assign others."""
    return desk_user_choices() if may_assign_others(user) else []
