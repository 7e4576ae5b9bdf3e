"""Managing people in the admin: who may open, change and give roles to whom."""

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from claims.access.roles import DESK_ROLES, Action, can

# The permission that puts the user admin in someone's hands (moderators hold it).
__all__ = [
    "MANAGE_USERS",
    "grantable_groups",
    "may_manage_user",
    "may_manage_users",
    "may_open_user",
    "may_rule_in_bulk",
    "may_set_password",
    "may_set_roles",
    "settable_user_fields",
]

MANAGE_USERS = "auth.change_user"


def may_manage_users(actor) -> bool:
    """Whoever holds ``auth.change_user`` activates and deactivates people and sets their desk
    roles; everything beyond that (superuser and staff status, permissions, other people's
    passwords) is for superusers, who keep the stock user admin."""
    return bool(
        actor and actor.is_authenticated and actor.is_active and actor.has_perm(MANAGE_USERS)
    )


def may_open_user(actor, user) -> bool:
    """Only superusers open a superuser's page: anyone else could lock one out or take over."""
    return actor.is_superuser or not user.is_superuser


def may_manage_user(actor, user) -> bool:
    return may_manage_users(actor) and may_open_user(actor, user)


def may_set_roles(actor, user) -> bool:
    """Nobody but a superuser sets their own roles: a moderator who made themself an editor
    would have granted themself more than they have."""
    return may_manage_user(actor, user) and (actor.is_superuser or actor.pk != user.pk)


def may_set_password(actor, user) -> bool:
    """Superusers set anyone's password; everyone else only their own."""
    return may_manage_user(actor, user) and (actor.is_superuser or actor.pk == user.pk)


def settable_user_fields(actor, user) -> tuple[str, ...]:
    """The fields of ``user`` a manager who is not a superuser may set: whether they may sign
    in, and their desk roles. Never names or e-mail (where a password reset goes)."""
    if not may_manage_user(actor, user):
        return ()
    return ("is_active", "groups") if may_set_roles(actor, user) else ("is_active",)


def grantable_groups(actor) -> QuerySet[Group]:
    """The groups ``actor`` may put people in: every group for a superuser, the desk's roles
    for whoever manages users, none for anyone else."""
    if actor.is_superuser and actor.is_active:
        return Group.objects.all()
    if may_manage_users(actor):
        return Group.objects.filter(name__in=DESK_ROLES)
    return Group.objects.none()


def may_rule_in_bulk(actor) -> bool:
    """Ruling on selected claims at once is for those who rule on one: editors."""
    return can(actor, Action.SET_STATUS)
