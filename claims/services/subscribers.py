"""Webhook subscribers' signing secrets: made by the desk, shown once, rotated with a grace.

A secret is ``whsec_`` and the base64 of 32 random bytes (``lib.webhooks.generate_secret``),
as Standard Webhooks receivers expect. Rotating keeps the old secret signing beside the new
one for a day (two signatures in ``webhook-signature``), so a partner can switch over
without missing a post.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from claims.access import require_may_manage_integrations
from claims.lib.webhooks import generate_secret
from claims.models import WebhookSubscriber

ROTATION_GRACE = timedelta(hours=24)


def subscriber_new_secret(subscriber: WebhookSubscriber, *, actor) -> str:
    """Give an unsaved subscriber its first secret; the caller saves it and shows it once."""
    require_may_manage_integrations(actor)
    subscriber.secret = generate_secret()
    return subscriber.secret


@transaction.atomic
def subscriber_rotate_secret(*, subscriber: WebhookSubscriber, actor) -> str:
    """A new secret for ``subscriber``, the old one signing too for ``ROTATION_GRACE``."""
    require_may_manage_integrations(actor)
    subscriber = WebhookSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.previous_secret = subscriber.secret
    subscriber.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
    subscriber.secret = generate_secret()
    subscriber.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return subscriber.secret


def subscriber_enable(subscriber: WebhookSubscriber) -> None:
    """A moderator turning an endpoint back on clears why the desk turned it off."""
    if subscriber.is_active and subscriber.disabled_at is not None:
        subscriber.disabled_at = None
        subscriber.disabled_reason = ""
