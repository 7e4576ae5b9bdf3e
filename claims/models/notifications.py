"""Side effects of a change: the outbox, watchers' e-mails and partners' webhooks."""

from django.conf import settings
from django.db import models

from claims.models.choices import DeliveryState, OutboxEventKind
from claims.models.claims import Claim, Story
from claims.models.revisions import Revision


class OutboxEvent(models.Model):
    """A side effect recorded with the change that caused it, delivered after commit."""

    Kind = OutboxEventKind

    kind = models.CharField(max_length=30, choices=Kind.choices)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="outbox_events"
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.PROTECT, related_name="outbox_events"
    )
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="outbox_events"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_pending_idx",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Watch(models.Model):
    """A user who follows a claim or a whole story and is e-mailed its rulings."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claim__isnull=False, story__isnull=True)
                | models.Q(claim__isnull=True, story__isnull=False),
                name="watch_one_target",
            ),
            models.UniqueConstraint(fields=["user", "claim"], name="watch_claim_unique"),
            models.UniqueConstraint(fields=["user", "story"], name="watch_story_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.claim or self.story}"


class EmailNotification(models.Model):
    """One watcher e-mailed about one outbox event, so a re-run never e-mails them twice."""

    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="email_notifications"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="email_notification_unique"),
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} e-mail to user {self.user_id}"


class WebhookSubscriber(models.Model):
    """A partner endpoint that receives signed JSON posts of rulings."""

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=200)
    # During a rotation the old secret signs too, until it expires.
    previous_secret = models.CharField(max_length=200, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    stories = models.ManyToManyField(Story, blank=True, related_name="+")
    statuses = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One outbox event sent to one subscriber, retried with backoff until delivered or dead."""

    State = DeliveryState

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="delivery_unique"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscriber_id} ({self.state})"
