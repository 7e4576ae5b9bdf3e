"""Webhook subscribers, and the read-only outbox, e-mails and webhook deliveries."""

from django.contrib import admin, messages

from claims.access import Action, can
from claims.admin.base import LargeTableAdmin, ReadOnlyAdmin
from claims.models import (
    EmailNotification,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.services.delivery import delivery_retry


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
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
