"""Who may do what to a claim: one check per action, used by every caller.

Roles are the Django groups ``reporter``, ``editor`` and ``moderator``; each action maps to
one model permission, so superusers pass and a role gains an action in the admin.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied


class Action(StrEnum):
    CREATE = "claims.add_claim"
    EDIT = "claims.change_claim"
    ADD_EVIDENCE = "claims.add_evidence"
    ADD_ATTRIBUTION = "claims.add_attribution"
    ADD_NOTE = "claims.add_note"
    SET_STATUS = "claims.set_claim_status"
    SUPERSEDE = "claims.supersede_claim"
    HIDE = "claims.hide_claim"
    ASSIGN_ANYONE = "claims.assign_claim"
    MANAGE_STORIES = "claims.change_story"
    CREATE_SOURCE = "sources.add_source"


ACTION_WORDS = {
    Action.CREATE: "create claims",
    Action.EDIT: "edit claims",
    Action.ADD_EVIDENCE: "add evidence",
    Action.ADD_ATTRIBUTION: "add attributions",
    Action.ADD_NOTE: "add notes",
    Action.SET_STATUS: "rule on a claim's status",
    Action.SUPERSEDE: "supersede or merge claims",
    Action.HIDE: "hide or unhide claims",
    Action.ASSIGN_ANYONE: "assign claims to others",
    Action.MANAGE_STORIES: "manage stories",
    Action.CREATE_SOURCE: "create sources",
}

# The permissions each role's group holds; the roles migration installs them.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "reporter": [
        "claims.add_claim",
        "claims.change_claim",
        "claims.view_claim",
        "claims.add_evidence",
        "claims.add_attribution",
        "claims.add_note",
        "claims.view_story",
        "sources.add_source",
        "sources.view_source",
    ],
    "editor": [
        "claims.add_claim",
        "claims.change_claim",
        "claims.view_claim",
        "claims.add_evidence",
        "claims.add_attribution",
        "claims.add_note",
        "claims.set_claim_status",
        "claims.supersede_claim",
        "claims.hide_claim",
        "claims.assign_claim",
        "claims.add_story",
        "claims.change_story",
        "claims.view_story",
        "claims.view_revision",
        "sources.add_source",
        "sources.change_source",
        "sources.view_source",
    ],
    "moderator": [
        "claims.view_claim",
        "claims.hide_claim",
        "claims.view_story",
        "claims.view_revision",
        "claims.view_attribution",
        "claims.change_attribution",
        "claims.view_evidence",
        "claims.change_evidence",
        "claims.view_note",
        "claims.view_outboxevent",
        "claims.view_webhooksubscriber",
        "claims.add_webhooksubscriber",
        "claims.change_webhooksubscriber",
        "claims.view_webhookdelivery",
        "claims.change_webhookdelivery",
        "sources.add_source",
        "sources.change_source",
        "sources.delete_source",
        "sources.view_source",
        "auth.view_user",
        "auth.change_user",
    ],
}


def can(actor, action: Action) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.has_perm(action))


def require(actor, action: Action) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action``."""
    if not can(actor, action):
        raise PermissionDenied(f"You are not allowed to {ACTION_WORDS[action]}.")
