"""Who may manage API tokens, and what a token's scope lets it do."""

from django.core.exceptions import PermissionDenied

__all__ = ["may_manage_tokens", "require_may_manage_tokens", "require_write_scope"]


def may_manage_tokens(user) -> bool:
    """Moderators (who manage webhook subscribers) and superusers make and revoke tokens."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name="moderator").exists())
    )


def require_may_manage_tokens(user) -> None:
    if not may_manage_tokens(user):
        raise PermissionDenied("You are not allowed to manage API tokens.")


def require_write_scope(token) -> None:
    """A read-only token is refused on every write, whatever its user may do."""
    if token is not None and token.scope != "write":
        raise PermissionDenied("This API token is read-only.")
