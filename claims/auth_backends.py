"""Permission lookups served from the cache.

Every desk page asks for the user's permissions (who may see the desk, which forms a role
gets), and Django's ModelBackend reads them with two queries per request. This backend keeps
each user's permission set in the cache under a generation token. Any change to a user's
groups or permissions, to a group's permissions, or to a group or permission row replaces the
token once the change commits, so a changed role takes effect on the user's next request.
"""

from uuid import uuid4

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "perm-generation"
PERMISSIONS_SECONDS = 600


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


def forget_permissions(**kwargs) -> None:
    """Every cached permission set goes stale once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid4().hex, None))


def connect_signals() -> None:
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"perms-{through}")
    for model in (Group, Permission):
        post_save.connect(forget_permissions, sender=model, dispatch_uid=f"perms-save-{model}")
        post_delete.connect(forget_permissions, sender=model, dispatch_uid=f"perms-del-{model}")
