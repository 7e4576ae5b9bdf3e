"""API tokens: made by a moderator for a user, shown once, listed by prefix, revoked."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.access import may_manage_tokens
from claims.models.integrations import ApiToken
from claims.services.api_tokens import MAX_EXPIRY_DAYS, api_token_create, api_token_revoke


def shown_once(request, model_admin, *, title: str, what: str, explanation: str, shown):
    """The page that shows secrets the desk just made, this once, and never again."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "what": what,
        "explanation": explanation,
        "shown": shown,
        "back_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return TemplateResponse(request, "admin/claims/shown_once.html", context)


class ApiTokenForm(forms.ModelForm):
    expires_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text="Leave blank for a token that lasts until it is revoked.",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope"]
        help_texts = {
            "user": "The token acts as this user: it can do only what they may do.",
            "scope": "Read: lists and pages. Read and write: also what the user may change.",
        }


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = (
        "name", "user", "prefix", "scope", "created_at", "last_used_at", "expires_at",
        "revoked_at",
    )  # fmt: skip
    list_filter = ("scope",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_module_permission(self, request) -> bool:
        return may_manage_tokens(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return may_manage_tokens(request.user)

    def has_add_permission(self, request) -> bool:
        return may_manage_tokens(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a token is never edited: revoke it and make another

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # kept, revoked, so the list shows what each integration had

    def has_revoke_permission(self, request) -> bool:
        return may_manage_tokens(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name", "scope", "expires_days")
        return ("user", "name", "scope", "expires_at", *self.readonly_fields)

    def save_model(self, request, obj, form, change) -> None:
        record, token = api_token_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_days=form.cleaned_data.get("expires_days"),
            actor=request.user,
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(record, field.attname))
        obj._state.adding = False
        request.claimdesk_shown_token = token

    def response_add(self, request, obj, post_url_continue=None):
        return shown_once(
            request,
            self,
            title=f"API token “{obj.name}” for {obj.user}",
            what="the token",
            explanation=(
                "The desk keeps only its hash. Send it as “Authorization: Bearer <token>”. "
                "Lost, it cannot be read again: revoke it and make another."
            ),
            shown=[(str(obj), request.claimdesk_shown_token)],
        )

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            api_token_revoke(token=token, actor=request.user)
        self.message_user(request, f"Revoked {len(live)} token(s).", messages.SUCCESS)
