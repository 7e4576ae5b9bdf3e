"""Who works on what: taking a claim, assigning it to someone else, and acting on many
claims of the queue at once."""

from enum import StrEnum

from django.core.exceptions import ValidationError

from claims.access.desk import desk_users
from claims.access.roles import Action, can, require

__all__ = [
    "BULK_PERMISSIONS",
    "BulkAction",
    "bulk_actions_for",
    "may_assign",
    "may_assign_others",
    "may_work_in_bulk",
    "require_assignable",
    "require_bulk_action",
    "require_may_assign",
]


def _assign_permission(actor, assignee) -> Action:
    # Anyone who edits claims may take one, or leave it unassigned; giving a claim to
    # someone else is the editors' call.
    if assignee is not None and assignee != actor:
        return Action.ASSIGN_ANYONE
    return Action.EDIT


def may_assign(actor, assignee) -> bool:
    return can(actor, _assign_permission(actor, assignee))


def may_assign_others(actor) -> bool:
    return can(actor, Action.ASSIGN_ANYONE)


def require_may_assign(actor, assignee) -> None:
    require(actor, _assign_permission(actor, assignee))


def require_assignable(actor, assignee) -> None:
    """Only active people on the desk (reporters, editors, moderators) hold claims."""
    if assignee is None or assignee == actor:
        return
    if not desk_users().filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Only active people on the desk can hold a claim."})


class BulkAction(StrEnum):
    ASSIGN = "assign"
    REVIEW = "review"
    RULE = "rule"


# What each of the queue's actions on many claims needs; each claim still goes through its
# own service, which checks again.
BULK_PERMISSIONS = {
    BulkAction.ASSIGN: Action.ASSIGN_ANYONE,
    BulkAction.REVIEW: Action.SET_STATUS,
    BulkAction.RULE: Action.SET_STATUS,
}


def bulk_actions_for(user) -> list[BulkAction]:
    return [action for action, permission in BULK_PERMISSIONS.items() if can(user, permission)]


def may_work_in_bulk(user) -> bool:
    """Editors select claims on the queue; reporters and moderators act on one at a time."""
    return bool(bulk_actions_for(user))


def require_bulk_action(user, action: BulkAction) -> None:
    require(user, BULK_PERMISSIONS[action])
