"""Webhook subscribers, and the read-only outbox, e-mails and webhook deliveries."""

from django import forms
from django.contrib import admin, messages

from claims.access import RULINGS, Action, can
from claims.admin.base import LargeTableAdmin, ReadOnlyAdmin
from claims.admin.integrations import shown_once
from claims.models import (
    STATUS_LABELS,
    EmailNotification,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.services.delivery import delivery_retry, webhook_url_refusal
from claims.services.subscribers import (
    subscriber_enable,
    subscriber_new_secret,
    subscriber_rotate_secret,
)


class WebhookSubscriberForm(forms.ModelForm):
    """A subscriber whose URL is vetted on save and whose statuses are ticked, stored as the
    list of their values. Its secret is the desk's to make (see the admin below)."""

    statuses = forms.MultipleChoiceField(
        label="Statuses",
        choices=[(status, STATUS_LABELS[status]) for status in RULINGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Send this partner only the rulings ticked; tick none to send every ruling. "
            "A claim moving to In review or back to Unverified is never sent."
        ),
    )

    class Meta:
        model = WebhookSubscriber
        fields = ["name", "url", "stories", "statuses", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A stored status that is not a ruling stays ticked and can be unticked: dropping it
        # unseen could turn "only these" into "every ruling".
        statuses = self.fields["statuses"]
        stored = self.instance.statuses if isinstance(self.instance.statuses, list) else []
        offered = {value for value, _ in statuses.choices}
        extra = [str(value) for value in stored if value not in offered]
        statuses.choices = [*statuses.choices, *((v, STATUS_LABELS.get(v, v)) for v in extra)]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        refusal = webhook_url_refusal(url)
        if refusal:
            raise forms.ValidationError(f"Webhooks cannot be sent to this URL ({refusal}).")
        return url

    def save(self, commit: bool = True) -> WebhookSubscriber:
        subscriber_enable(self.instance)
        return super().save(commit)


SECRET_HELP = (
    "Give it to the partner's developers: their receiver verifies each post with it (see "
    "docs/webhooks.md). The desk cannot show it again; rotate it to make a new one."
)


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    form = WebhookSubscriberForm
    fields = (
        "name", "url", "stories", "statuses", "is_active", "signing", "disabled_at",
        "disabled_reason",
    )  # fmt: skip
    readonly_fields = ("signing", "disabled_at", "disabled_reason")
    list_display = ("name", "url", "is_active", "disabled_reason", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    filter_horizontal = ("stories",)
    actions = ["rotate_secret"]

    @admin.display(description="Signing secret")
    def signing(self, obj) -> str:
        if obj.pk is None:
            return "Made by the desk when you save, and shown to you once."
        if obj.previous_secret and obj.previous_secret_expires_at:
            until = obj.previous_secret_expires_at.strftime("%d %b %Y %H:%M %Z")
            return f"Rotated: the previous secret also signs until {until}."
        return "Set. Never shown again; rotate it to make a new one."

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            request.claimdesk_shown_secret = subscriber_new_secret(obj, actor=request.user)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return shown_once(
            request, self, title=f"Signing secret of “{obj}”", what="the secret",
            explanation=SECRET_HELP, shown=[(str(obj), request.claimdesk_shown_secret)],
        )  # fmt: skip

    @admin.action(description="Rotate the signing secret (the old one signs for 24 hours)")
    def rotate_secret(self, request, queryset):
        shown = [
            (str(s), subscriber_rotate_secret(subscriber=s, actor=request.user)) for s in queryset
        ]
        return shown_once(
            request, self, title="New signing secrets", what="the new secrets",
            explanation=SECRET_HELP + " Posts carry both signatures for the next 24 hours.",
            shown=shown,
        )  # fmt: skip


@admin.register(OutboxEvent)
class OutboxEventAdmin(LargeTableAdmin):
    list_display = ("id", "kind", "claim", "created_at", "dispatched_at", "attempts")
    list_filter = ("kind",)
    list_select_related = ("claim",)


@admin.register(EmailNotification)
class EmailNotificationAdmin(ReadOnlyAdmin):
    list_display = ("event", "user", "sent_at", "created_at")
    list_select_related = ("event", "user")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "event",
        "subscriber",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("state", "subscriber")
    list_select_related = ("event", "subscriber")
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return can(request.user, Action.RETRY_DELIVERY)

    @admin.action(description="Retry selected dead deliveries", permissions=["retry"])
    def retry(self, request, queryset):
        retried = delivery_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - len(retried)
        if retried:
            self.message_user(
                request, f"Queued {len(retried)} delivery(ies) for retry.", messages.SUCCESS
            )
        if skipped:
            self.message_user(request, f"Skipped {skipped} that are not dead.", messages.WARNING)
