"""Webhook subscribers, and the read-only outbox, e-mails and webhook deliveries."""

from django import forms
from django.contrib import admin, messages

from claims.access import RULINGS, Action, can
from claims.admin.base import LargeTableAdmin, ReadOnlyAdmin
from claims.models import (
    STATUS_LABELS,
    EmailNotification,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.services.delivery import delivery_retry, webhook_url_refusal


class WebhookSubscriberForm(forms.ModelForm):
    """A subscriber whose URL is vetted on save, whose secret can be set, never read, and
    whose statuses are ticked, stored as the list of their values."""

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

    new_secret = forms.CharField(
        label="Secret",
        required=False,
        max_length=WebhookSubscriber._meta.get_field("secret").max_length,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = WebhookSubscriber
        fields = ["name", "url", "stories", "statuses", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        secret = self.fields["new_secret"]
        if self.instance.pk is None:
            secret.required = True
            secret.help_text = "Shared with the partner to sign posts; never shown again."
        else:
            secret.help_text = "Leave blank to keep the current secret, which is never shown."
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
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit)


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    form = WebhookSubscriberForm
    fields = ("name", "url", "new_secret", "stories", "statuses", "is_active")
    list_display = ("name", "url", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    filter_horizontal = ("stories",)


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
