"""The roles and what each may do: one model permission per action, held by the role's group."""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

__all__ = [
    "ACTION_WORDS",
    "Action",
    "DESK_ROLES",
    "ROLE_PERMISSIONS",
    "can",
    "ensure_roles",
    "install_roles",
    "require",
]


class Action(StrEnum):
    VIEW = "claims.view_claim"
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
    CHANGE_SOURCE = "sources.change_source"
    RETRY_DELIVERY = "claims.change_webhookdelivery"
    REDACT = "claims.redact_revision"
    MANAGE_FIGURES = "claims.manage_figure"
    MANAGE_INTEGRATIONS = "claims.add_apitoken"


ACTION_WORDS = {
    Action.VIEW: "see the desk",
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
    Action.CHANGE_SOURCE: "change sources",
    Action.RETRY_DELIVERY: "retry webhook deliveries",
    Action.REDACT: "redact revisions",
    Action.MANAGE_FIGURES: "rename, merge or split figures",
    Action.MANAGE_INTEGRATIONS: "manage API tokens and webhook subscribers",
}

_DESK = ["claims.view_claim", "claims.view_story", "sources.view_source"]
_WRITING = [
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_evidence",
    "claims.add_attribution",
    "claims.add_note",
    "sources.add_source",
]
# The permissions each role's group holds; the roles migration installs them.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "reporter": [*_DESK, *_WRITING],
    "editor": [
        *_DESK,
        *_WRITING,
        "claims.set_claim_status",
        "claims.supersede_claim",
        "claims.hide_claim",
        "claims.assign_claim",
        "claims.add_story",
        "claims.change_story",
        "claims.view_revision",
        "claims.manage_figure",
        "sources.change_source",
    ],
    "moderator": [
        *_DESK,
        "claims.hide_claim",
        "claims.view_revision",
        "claims.view_attribution",
        "claims.change_attribution",
        "claims.view_evidence",
        "claims.change_evidence",
        "claims.view_note",
        "claims.view_figure",
        "claims.view_figurerevision",
        "claims.redact_revision",
        "claims.view_outboxevent",
        "claims.view_webhooksubscriber",
        "claims.add_webhooksubscriber",
        "claims.change_webhooksubscriber",
        "claims.view_webhookdelivery",
        "claims.change_webhookdelivery",
        "claims.view_apitoken",
        "claims.add_apitoken",
        "sources.add_source",
        "sources.change_source",
        "sources.delete_source",
        "auth.view_user",
        "auth.change_user",
    ],
}
DESK_ROLES = tuple(ROLE_PERMISSIONS)


def can(actor, action: Action) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.has_perm(action))


def require(actor, action: Action) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action``."""
    if not can(actor, action):
        raise PermissionDenied(f"You are not allowed to {ACTION_WORDS[action]}.")


def ensure_roles(*, group_model=Group, permission_model=Permission) -> None:
    """Create or refresh the role groups; safe to run any number of times.

    A migration runs this with the permissions that exist at its point in the history; a
    permission added later is granted by the migration that adds it."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = Q()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(permission_model.objects.filter(wanted))


def install_roles(apps) -> None:
    """For a migration: create the permissions its models declare (Django does that only
    after migrating) and refresh the role groups from ``ROLE_PERMISSIONS``."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )
