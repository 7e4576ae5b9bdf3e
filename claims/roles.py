"""The desk's roles as Django groups holding the permissions in claims.permissions."""

from django.contrib.auth.models import Group, Permission

from claims.permissions import ROLE_PERMISSIONS


def ensure_roles(*, group_model=Group, permission_model=Permission) -> None:
    """Create or refresh the role groups; safe to run any number of times."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
