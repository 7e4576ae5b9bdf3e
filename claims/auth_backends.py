"""Authentication plumbing: permission lookups served from the cache, and log-in throttling.

Every desk page asks for the user's permissions (who may see the desk, which forms a role
gets), and Django's ModelBackend reads them with two queries per request. This backend keeps
each user's permission set in the cache under a generation token. Any change to a user's
groups or permissions, to a group's permissions, or to a group or permission row replaces the
token, so a changed role takes effect on the user's next request. A change that cannot
replace the token fails instead: its transaction rolls back, and the cached sets stay true.
"""

from uuid import uuid4

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "perm-generation"
PERMISSIONS_SECONDS = 600


class PermissionCacheUnreachable(Exception):
    """The permission cache could not be told of a role change, so the change is refused."""


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return user_obj._perm_cache

    def _cached_permissions(self, user_obj) -> set[str]:
        key = f"perms:{user_obj.pk}"
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        entry = found.get(key)
        if entry is not None and entry[:2] == (generation, user_obj.is_superuser):
            return set(entry[2])
        permissions = super().get_all_permissions(user_obj)
        if generation is not None:
            cache.set(
                key, (generation, user_obj.is_superuser, sorted(permissions)), PERMISSIONS_SECONDS
            )
        return permissions


def _replace_generation() -> None:
    try:
        caches["strict"].set(GENERATION_KEY, uuid4().hex, None)
    except Exception as error:  # whatever the cache backend raises when it cannot write
        raise PermissionCacheUnreachable(
            "The permission cache (Redis) cannot be reached, so this change to roles or "
            "permissions was not made: users would keep their old permissions for up to "
            f"{PERMISSIONS_SECONDS // 60} minutes. Try again once Redis is back."
        ) from error


def forget_permissions(**kwargs) -> None:
    """Make every cached permission set stale, or make the change that called this fail.

    The token is replaced inside the change's transaction, so an unreachable cache rolls the
    change back, and again after commit, so that a request which read the old rows in between
    cannot leave them cached under the new token.
    """
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    _replace_generation()
    transaction.on_commit(_replace_generation, robust=True)


def connect_signals() -> None:
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"perms-{through}")
    for model in (Group, Permission):
        post_save.connect(forget_permissions, sender=model, dispatch_uid=f"perms-save-{model}")
        post_delete.connect(forget_permissions, sender=model, dispatch_uid=f"perms-del-{model}")


class AddressCappedAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second limit, per client address.

    Axes counts failures per username and address (AXES_LOCKOUT_PARAMETERS) against
    AXES_FAILURE_LIMIT. This also counts every failure from the address, whatever the
    username, against CLAIMDESK_ADDRESS_FAILURE_LIMIT, so one address cannot spray many
    usernames. The address is not a lockout parameter of its own because axes would then
    reset its count on any successful log-in from it (AXES_RESET_ON_SUCCESS).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.CLAIMDESK_ADDRESS_FAILURE_LIMIT:
            # Axes compares this one number with AXES_FAILURE_LIMIT: a full count locks out.
            return max(failures, get_failure_limit(request, credentials))
        return failures
