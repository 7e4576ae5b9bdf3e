"""Who may manage API tokens, and what a token's scope lets it do."""

from django.core.exceptions import PermissionDenied

from claims.access.roles import Action, can

__all__ = [
    "may_manage_tokens",
    "require_may_manage_integrations",
    "require_may_manage_tokens",
    "require_write_scope",
]


def may_manage_tokens(user) -> bool:
    """Moderators (and superusers) manage integrations: they make and revoke API tokens and
    set up webhook subscribers and their secrets."""
    return can(user, Action.MANAGE_INTEGRATIONS)


def require_may_manage_tokens(user) -> None:
    if not may_manage_tokens(user):
        raise PermissionDenied("You are not allowed to manage API tokens.")


def require_may_manage_integrations(user) -> None:
    if not may_manage_tokens(user):
        raise PermissionDenied("You are not allowed to manage webhook subscribers.")


def require_write_scope(token) -> None:
    """A read-only token is refused on every write, whatever its user may do."""
    if token is not None and token.scope != "write":
        raise PermissionDenied("This API token is read-only.")
