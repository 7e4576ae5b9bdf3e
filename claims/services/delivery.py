"""Deliver outbox events: signed webhooks to subscribers and e-mail to watchers.

Delivery is at least once. Every step is recorded before or with its effect (one
``WebhookDelivery`` per event and subscriber, one ``EmailNotification`` per event and
watcher), rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, and a webhook attempt is
committed, counted and rescheduled before its POST is sent, so a worker that dies mid-way
leaves it counted and pending for the sweep, and no other worker takes it up meanwhile.
Each attempt checks again that the claim may still be sent to the subscriber. Posts are
Standard Webhooks (``webhook-id``, the event id, drops repeats); see docs/webhooks.md.

Partners are sent rulings (``access.RULINGS``: a verdict, or a claim replaced by another),
a ruling taken back, redactions and hides; a claim moved to In review or back to Unverified
otherwise is the desk's own business, told to the desk's watchers by e-mail alone.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import outbox
from claims.access import RULINGS, may_see_claim, ruling_title, subscriber_follows
from claims.lib.webhooks import (
    RETRY_AFTER_CAP,
    RETRY_AFTER_STATUSES,
    PostResult,
    backoff_seconds,
    post_webhook,
    retry_after_seconds,
    signed_headers,
    url_refusal,
)
from claims.models import (
    Claim,
    EmailNotification,
    OutboxEvent,
    Watch,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.models.redactions import hidden_words, redactions_of

logger = logging.getLogger(__name__)

Kind = OutboxEvent.Kind
# The Standard Webhooks event types partners are sent; other kinds are the desk's own.
EVENT_TYPES = {
    Kind.STATUS_CHANGED: "claim.status_changed",
    Kind.SUPERSEDED: "claim.superseded",
    Kind.REOPENED: "claim.reopened",
    Kind.REDACTED: "claim.redacted",
    Kind.HIDDEN: "claim.hidden",
    Kind.UNHIDDEN: "claim.unhidden",
    Kind.EVIDENCE_ADDED: "claim.evidence_added",
}
EMAILED_KINDS = {Kind.STATUS_CHANGED, Kind.SUPERSEDED, Kind.REOPENED, Kind.EVIDENCE_ADDED}


def event_body(event: OutboxEvent) -> bytes:
    """The Standard Webhooks JSON for an event: ``type``, ``timestamp`` and ``data`` (the
    payload, id, kind, a title naming the claim by its text and its public URL)."""
    claim_url = settings.CLAIMDESK_SITE_URL.rstrip("/") + event.claim.get_public_url()
    if event.kind == Kind.HIDDEN:  # nothing of a hidden claim but where it was
        data = {"event_id": event.pk, "kind": event.kind, "claim_id": event.claim_id}
        return _envelope(event, {**data, "claim_url": claim_url})
    payload = told(event)
    document = {
        **payload,
        "event_id": event.pk,
        "kind": event.kind,
        "title": ruling_title(
            payload.get("new_status", ""), payload.get("text", ""), _replacement_text(payload)
        ),
        "claim_url": claim_url,
    }
    return _envelope(event, document)


def _envelope(event: OutboxEvent, data: dict) -> bytes:
    document = {
        "type": EVENT_TYPES.get(event.kind, f"claim.{event.kind}"),
        "timestamp": event.created_at.isoformat(),
        "data": data,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _replacement_text(payload: dict) -> str | None:
    """The text of the claim that replaced this one, unless moderation hid it."""
    replaced_by = payload.get("superseded_by")
    if payload.get("new_status") != Claim.Status.SUPERSEDED or not replaced_by:
        return None
    visible = Claim.objects.filter(pk=replaced_by, is_hidden=False)
    return visible.values_list("text", flat=True).first()


def is_ruling(event: OutboxEvent) -> bool:
    """Whether partners are sent this event: a status change only when it is a ruling."""
    if event.kind != OutboxEvent.Kind.STATUS_CHANGED:
        return True
    return event.payload.get("new_status") in RULINGS


def told(event: OutboxEvent) -> dict:
    """The event's payload as partners and watchers are told it now: words a moderator
    redacted since it was recorded read as the redaction's notice."""
    payload = dict(event.payload)
    words, notice = hidden_words(redactions_of(claim=event.claim_id))
    for field in ("text", "rationale"):
        if payload.get(field) in words:
            payload[field] = notice
    return payload


def backoff_delay(attempts: int) -> timedelta:
    """Wait before the next try (``lib.webhooks.SCHEDULE``, jittered); scaled down in tests."""
    scale = settings.CLAIMDESK_WEBHOOK_BACKOFF_SCALE
    return timedelta(seconds=backoff_seconds(attempts) * scale)


# --- fan-out --------------------------------------------------------------------------------


def matching_subscribers(event: OutboxEvent) -> list[WebhookSubscriber]:
    """Active subscribers that asked for this event's story and new status.

    Which stories a subscriber follows is decided by ``access.subscriber_follows``.
    """
    claim = event.claim
    if claim is None or event.kind not in EVENT_TYPES or not is_ruling(event):
        return []
    if claim.is_hidden and event.kind != Kind.HIDDEN:
        return []
    new_status = event.payload.get("new_status")
    candidates = (
        WebhookSubscriber.objects.filter(is_active=True)
        .filter(Q(stories=claim.story_id) | Q(stories__isnull=True))
        .distinct()
        .prefetch_related("stories")
    )
    return [
        subscriber
        for subscriber in candidates
        if subscriber_follows(subscriber, claim, hiding=event.kind == Kind.HIDDEN)
        and (not subscriber.statuses or not new_status or new_status in subscriber.statuses)
    ]


def watchers(claim: Claim) -> list:
    """Users with an e-mail address who follow the claim or its story and may still see the
    claim (on the desk, and among those who see hidden claims when it is hidden), once each."""
    user_ids = Watch.objects.filter(Q(claim=claim) | Q(story_id=claim.story_id)).values("user_id")
    following = get_user_model().objects.filter(pk__in=user_ids).exclude(email="").order_by("pk")
    return [user for user in following if may_see_claim(user, claim)]


def dispatch_event(event_id: int) -> list[int]:
    """Fan an outbox event out to deliveries and e-mails; return the pending delivery ids.
    Safe to run twice and concurrently (the row is locked, deliveries unique, e-mails once)."""
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("claim__story")
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return []
        _create_deliveries(event)
        try:
            _email_watchers(event)
        except Exception as exc:  # the mail server is down; the sweep tries again
            logger.warning("E-mail for outbox event %s failed: %s", event_id, exc)
            event.attempts += 1
            event.last_error = f"e-mail: {exc}"[:500]
            event.save(update_fields=["attempts", "last_error"])
            return _pending_delivery_ids(event)
        event.dispatched_at = timezone.now()
        event.attempts += 1
        event.last_error = ""
        event.save(update_fields=["dispatched_at", "attempts", "last_error"])
        return _pending_delivery_ids(event)


def _create_deliveries(event: OutboxEvent) -> None:
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, subscriber=subscriber, next_attempt_at=now)
            for subscriber in matching_subscribers(event)
        ],
        ignore_conflicts=True,
    )


def _pending_delivery_ids(event: OutboxEvent) -> list[int]:
    return list(
        event.deliveries.filter(state=WebhookDelivery.State.PENDING).values_list("pk", flat=True)
    )


def _email_watchers(event: OutboxEvent) -> None:
    if event.claim_id is None or event.kind not in EMAILED_KINDS:
        return
    users = watchers(event.claim)
    EmailNotification.objects.bulk_create(
        [EmailNotification(event=event, user=user) for user in users], ignore_conflicts=True
    )
    unsent = EmailNotification.objects.filter(event=event, sent_at__isnull=True).select_related(
        "user"
    )
    subject, message = _email_text(event)
    for notification in unsent:
        send_mail(subject, message, None, [notification.user.email])
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])


def _email_text(event: OutboxEvent) -> tuple[str, str]:
    claim = event.claim
    payload = told(event)
    new = Claim.Status(payload.get("new_status", claim.status)).label
    old_value = payload.get("old_status")
    old = Claim.Status(old_value).label if old_value in Claim.Status.values else "—"
    link = settings.CLAIMDESK_SITE_URL.rstrip("/") + claim.get_absolute_url()
    subject = f"[Claimdesk] Claim #{claim.pk} is now {new}"
    lines = [
        f"“{payload.get('text', claim.text)}”",
        "",
        f"Status: {old} → {new}",
    ]
    if payload.get("rationale"):
        lines += ["", "Rationale:", payload["rationale"]]
    lines += ["", f"Open the claim: {link}", "", "You follow this claim or its story."]
    return subject, "\n".join(lines)


# --- webhook attempts -----------------------------------------------------------------------

INTERRUPTED = "interrupted: no outcome was recorded"


def webhook_url_refusal(url: str) -> str | None:
    """Why a subscriber may not have ``url`` (the admin form's check), or None."""
    return url_refusal(url, allow_loopback=settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK)


def deliver_webhook(delivery_id: int, *, force: bool = False) -> str | None:
    """Make one attempt at a pending, due delivery; return its new state (None if skipped).
    The attempt is committed, counted and rescheduled before the POST (see module docstring);
    the outcome is recorded after."""
    delivery = _start_attempt(delivery_id, force=force)
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return None if delivery is None else delivery.state
    result = _post_delivery(delivery)
    return _record_outcome(delivery, result)


@transaction.atomic
def _start_attempt(delivery_id: int, *, force: bool) -> WebhookDelivery | None:
    """Claim a due delivery and commit the attempt; or close it if it must not be sent."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    rows = WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        pk=delivery_id, state=WebhookDelivery.State.PENDING
    )
    delivery = (
        (rows if force else rows.filter(due))
        .select_related("event__claim__story", "subscriber")
        .prefetch_related("subscriber__stories")
        .first()
    )
    if delivery is None:
        return None
    withheld = _withheld_reason(delivery)
    if withheld or delivery.attempts >= settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS:
        # Not sent (any more): hidden since the event, unfollowed, or its last attempt was
        # cut off. A moderator's retry checks all of this again.
        delivery.state = WebhookDelivery.State.DEAD
        delivery.next_attempt_at = None
        delivery.last_error = withheld or delivery.last_error
        delivery.save(update_fields=["state", "next_attempt_at", "last_error"])
        return delivery
    delivery.attempts += 1
    delivery.last_status = None
    delivery.last_error = INTERRUPTED
    post_time = timedelta(seconds=settings.CLAIMDESK_WEBHOOK_TIMEOUT)
    delivery.next_attempt_at = timezone.now() + post_time + backoff_delay(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_status", "last_error", "next_attempt_at"])
    return delivery


def _withheld_reason(delivery: WebhookDelivery) -> str:
    """Why a delivery must not be sent now, although it was when the event was fanned out."""
    claim, hiding = delivery.event.claim, delivery.event.kind == Kind.HIDDEN
    if not is_ruling(delivery.event):
        return "not sent: a move to In review or Unverified is not a ruling"
    if not delivery.subscriber.is_active:
        return "not sent: the subscriber is disabled"
    if claim.is_hidden and not hiding:
        return "not sent: the claim is hidden"
    if not subscriber_follows(delivery.subscriber, claim, hiding=hiding):
        return "not sent: the subscriber no longer follows this claim"
    return ""


def _post_delivery(delivery: WebhookDelivery) -> PostResult:
    event = delivery.event
    body = event_body(event)
    headers = signed_headers(str(event.pk), body, signing_secrets(delivery.subscriber))
    return post_webhook(
        delivery.subscriber.url,
        body,
        headers,
        timeout=settings.CLAIMDESK_WEBHOOK_TIMEOUT,
        allow_loopback=settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK,
    )


def signing_secrets(subscriber: WebhookSubscriber) -> list[str]:
    """The current secret, and the previous one while its rotation grace lasts."""
    expires = subscriber.previous_secret_expires_at
    grace = bool(subscriber.previous_secret and expires and expires > timezone.now())
    return [subscriber.secret, subscriber.previous_secret] if grace else [subscriber.secret]


def _record_outcome(delivery: WebhookDelivery, result: PostResult) -> str:
    """Replace the committed attempt's provisional failure with what happened."""
    now = timezone.now()
    outcome = {"last_status": result.status, "last_error": result.error}
    retry_after = retry_after_seconds(result.retry_after)
    if result.ok:
        outcome.update(
            state=WebhookDelivery.State.DELIVERED, delivered_at=now, next_attempt_at=None
        )
    elif result.status == 410:
        outcome.update(state=WebhookDelivery.State.DEAD, next_attempt_at=None)
        WebhookSubscriber.objects.filter(pk=delivery.subscriber_id, is_active=True).update(
            is_active=False, disabled_at=now, disabled_reason="HTTP 410 Gone from the endpoint"
        )
    elif delivery.attempts >= settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS:
        outcome.update(state=WebhookDelivery.State.DEAD, next_attempt_at=None)
    elif result.status in RETRY_AFTER_STATUSES and retry_after is not None:
        wait = timedelta(seconds=min(retry_after, RETRY_AFTER_CAP))
        outcome.update(next_attempt_at=now + wait)
    else:
        outcome.update(next_attempt_at=now + backoff_delay(delivery.attempts))
    WebhookDelivery.objects.filter(
        pk=delivery.pk, state=WebhookDelivery.State.PENDING, attempts=delivery.attempts
    ).update(**outcome)
    return outcome.get("state", WebhookDelivery.State.PENDING)


def delivery_retry(*, delivery_ids: list[int]) -> list[int]:
    """Give dead deliveries a fresh set of attempts (the admin's retry action)."""
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update()
            .filter(pk__in=delivery_ids, state=WebhookDelivery.State.DEAD)
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(
            state=WebhookDelivery.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
        )
        transaction.on_commit(lambda: queue_deliveries(ids))
    return ids


def queue_deliveries(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        outbox.queue(outbox.DELIVER, delivery_id)


def due_delivery_ids(limit: int = 500) -> list[int]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    return list(
        WebhookDelivery.objects.filter(due, state=WebhookDelivery.State.PENDING)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def undispatched_event_ids(limit: int = 500) -> list[int]:
    """Outbox events not yet fanned out, oldest first: the sweep queues them again."""
    return list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
