"""People in the admin: moderators activate, deactivate and set desk roles; superusers keep
Django's stock user admin. Who may set what is read in ``claims.access``."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as StockUserAdmin
from django.contrib.auth.admin import sensitive_post_parameters_m
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied

from claims.access import (
    grantable_groups,
    may_manage_user,
    may_manage_users,
    may_open_user,
    may_set_password,
    settable_user_fields,
)

User = get_user_model()

# What a manager who is not a superuser sees of a user; ``settable_user_fields`` says which
# of these they may change, and the rest are shown read-only.
MANAGED_FIELDSETS = (
    (None, {"fields": ("username",)}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Desk roles", {"fields": ("is_active", "is_staff", "groups")}),
    ("Important dates", {"fields": ("last_login", "date_joined")}),
)


class ManagedUserChangeForm(UserChangeForm):
    def clean_groups(self):
        """Groups outside the choices offered stay as they were: a manager grants and takes
        away only the roles they may grant."""
        chosen = list(self.cleaned_data["groups"])
        if self.instance.pk is None:
            return chosen
        offered = self.fields["groups"].queryset
        return chosen + list(self.instance.groups.exclude(pk__in=offered.values("pk")))


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(StockUserAdmin):
    form = ManagedUserChangeForm
    actions = ["activate", "deactivate"]

    def has_view_permission(self, request, obj=None):
        reachable = obj is None or may_open_user(request.user, obj)
        return reachable and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        reachable = obj is None or may_manage_user(request.user, obj)
        return reachable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        reachable = obj is None or may_manage_user(request.user, obj)
        return reachable and super().has_delete_permission(request, obj)

    def has_manage_users_permission(self, request) -> bool:
        return may_manage_users(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if may_set_password(request.user, obj):  # their own: the page links to the password form
            return ((None, {"fields": ("username", "password")}), *MANAGED_FIELDSETS[1:])
        return MANAGED_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        settable = settable_user_fields(request.user, obj)
        shown = [name for _, options in MANAGED_FIELDSETS for name in options["fields"]]
        return [name for name in shown if name not in settable]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @sensitive_post_parameters_m
    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not may_set_password(request.user, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description="Let selected users sign in", permissions=["manage_users"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, active=True)

    @admin.action(description="Stop selected users signing in", permissions=["manage_users"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, active=False)

    def _set_active(self, request, queryset, *, active: bool) -> None:
        changed, refused = 0, []
        for user in queryset:
            if not may_manage_user(request.user, user):
                refused.append(user.get_username())
                continue
            if user.is_active != active:
                user.is_active = active
                user.save(update_fields=["is_active"])
                self.log_change(request, user, [{"changed": {"fields": ["is_active"]}}])
                changed += 1
        if changed or not refused:
            verb = "activated" if active else "deactivated"
            self.message_user(request, f"{changed} user(s) {verb}.", messages.SUCCESS)
        for username in refused:
            self.message_user(
                request,
                f"Not changed {username}: only superusers manage a superuser.",
                messages.ERROR,
            )
