"""Outbox delivery: signed webhooks, retries with backoff, dead letters and watcher e-mails."""

import json
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from claims import services, tasks
from claims.models import Claim, EmailNotification, OutboxEvent, WebhookDelivery, WebhookSubscriber
from claims.services import delivery
from tests.support.background import SECRET
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory, UserFactory


def _subscribe(url: str, **extra) -> WebhookSubscriber:
    stories = extra.pop("stories", [])
    subscriber = WebhookSubscriber.objects.create(
        name="Partner desk", url=url, secret=SECRET, **extra
    )
    subscriber.stories.set(stories)
    return subscriber


def _rule(claim, editor, status: str = "unproven") -> OutboxEvent:
    """A ruling partners are sent: the claim gets its evidence, then the verdict."""
    EvidenceFactory(claim=claim, actor=editor)
    claim = Claim.objects.get(pk=claim.pk)
    services.claim_set_status(
        claim=claim, status=status, rationale="Only one anonymous official says so.",
        actor=editor, expected_version=claim.version,
    )  # fmt: skip
    return OutboxEvent.objects.filter(claim=claim).latest("pk")


def test_status_change_reaches_subscriber_signed_with_idempotency_key(
    editor, story, receiver, eager_celery, django_capture_on_commit_callbacks
):
    _subscribe(receiver.url)
    claim = ClaimFactory(story=story, text="Canada says 57 of its citizens died.")

    with django_capture_on_commit_callbacks(execute=True):
        _rule(claim, editor)

    event = OutboxEvent.objects.get(claim=claim)
    [hit] = receiver.state.received
    assert hit.signature_ok
    assert hit.key == str(event.pk)
    assert hit.event == "claim.status_changed"
    assert hit.body["new_status"] == "unproven"
    assert hit.body["old_status"] == "unverified"
    assert hit.body["event_id"] == event.pk
    assert hit.body["claim_url"].endswith(claim.get_public_url())
    assert event.dispatched_at is not None
    assert event.deliveries.get().state == WebhookDelivery.State.DELIVERED


def test_running_dispatch_twice_sends_each_webhook_and_email_once(
    editor, story, receiver, eager_celery
):
    _subscribe(receiver.url)
    watcher = UserFactory(username="wanda", role="reporter")
    claim = ClaimFactory(story=story)
    services.watch_set(user=watcher, claim=claim, watching=True)
    services.watch_set(user=watcher, story=story, watching=True)
    event = _rule(claim, editor)

    for _ in range(2):
        tasks.outbox_dispatch(event.pk)
        OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)  # as if lost
    tasks.outbox_dispatch(event.pk)

    assert receiver.state.keys_received() == [str(event.pk)]
    assert [m.to for m in mail.outbox] == [["wanda@newsroom.example"]]
    assert EmailNotification.objects.get(event=event).sent_at is not None
    assert "Unproven" in mail.outbox[0].subject
    assert claim.get_absolute_url() in mail.outbox[0].body


def test_a_move_to_in_review_is_told_to_watchers_but_to_no_partner(editor, story, receiver):
    _subscribe(receiver.url)
    watcher = UserFactory(username="wanda", role="reporter")
    claim = ClaimFactory(story=story)
    services.watch_set(user=watcher, claim=claim, watching=True)
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=1
    )
    event = OutboxEvent.objects.get(claim=claim)

    delivery.dispatch_event(event.pk)

    assert not event.deliveries.exists()
    assert receiver.state.keys_received() == []
    assert [m.to for m in mail.outbox] == [["wanda@newsroom.example"]]
    assert "In review" in mail.outbox[0].subject


def test_subscribers_receive_only_the_stories_and_statuses_they_asked_for(editor, receiver):
    public = StoryFactory(actor=editor, is_public=True)
    private = StoryFactory(actor=editor, is_public=False)
    every_public = _subscribe(receiver.url)
    private_partner = _subscribe(receiver.url, stories=[private])
    verdicts_only = _subscribe(receiver.url, statuses=["confirmed", "false"])
    _subscribe(receiver.url, is_active=False)
    public_event = _rule(ClaimFactory(story=public), editor)
    private_event = _rule(ClaimFactory(story=private), editor)

    delivery.dispatch_event(public_event.pk)
    delivery.dispatch_event(private_event.pk)

    assert {d.subscriber for d in public_event.deliveries.all()} == {every_public}
    assert {d.subscriber for d in private_event.deliveries.all()} == {private_partner}
    assert not WebhookDelivery.objects.filter(subscriber=verdicts_only).exists()


def test_hidden_claims_are_not_sent(editor, story, receiver):
    _subscribe(receiver.url)
    claim = ClaimFactory(story=story)
    event = _rule(claim, editor)
    services.claim_hide(claim=claim, actor=editor, note="mistaken entry")

    delivery.dispatch_event(event.pk)

    assert not event.deliveries.exists()
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_failing_delivery_backs_off_then_dies_after_max_attempts(editor, story, receiver, settings):
    settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.state.status = 500
    _subscribe(receiver.url)
    event = _rule(ClaimFactory(story=story), editor)
    [delivery_id] = delivery.dispatch_event(event.pk)

    first = delivery.deliver_webhook(delivery_id)
    too_early = delivery.deliver_webhook(delivery_id)
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert (first, too_early) == ("pending", None)
    assert row.attempts == 1 and row.last_status == 500 and row.last_error == "HTTP 500"
    assert row.next_attempt_at > timezone.now()
    for _ in range(2):
        WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())
        last = delivery.deliver_webhook(delivery_id)

    assert last == "dead"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == ("dead", 3, None)
    assert len(receiver.state.received) == 3


def test_unreachable_subscriber_is_recorded_as_a_coarse_connection_failure(editor, story, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    _subscribe("http://127.0.0.1:9/nothing-listens-here")
    event = _rule(ClaimFactory(story=story), editor)
    [delivery_id] = delivery.dispatch_event(event.pk)

    delivery.deliver_webhook(delivery_id)

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert row.state == "pending"
    assert row.attempts == 1
    assert row.last_status is None
    assert row.last_error == "connection failed"  # never the socket's "Connection refused"


@pytest.mark.parametrize(("attempts", "step"), [(1, 5), (2, 300), (7, 50400), (30, 50400)])
def test_backoff_follows_the_schedule_with_jitter(attempts, step):
    delays = {delivery.backoff_delay(attempts).total_seconds() for _ in range(50)}

    assert all(step * 0.8 <= d <= step * 1.2 for d in delays)
    assert len(delays) > 1  # jittered, not a fixed step


def test_moderator_retries_a_dead_delivery_from_the_admin(
    client,
    moderator,
    editor,
    story,
    receiver,
    settings,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS = 1
    receiver.state.status = 503
    _subscribe(receiver.url)
    event = _rule(ClaimFactory(story=story), editor)
    [delivery_id] = delivery.dispatch_event(event.pk)
    delivery.deliver_webhook(delivery_id)
    assert WebhookDelivery.objects.get(pk=delivery_id).state == "dead"
    receiver.state.status = 200
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:claims_webhookdelivery_changelist"),
            {"action": "retry", "_selected_action": [delivery_id]},
            follow=True,
        )

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert "Queued 1 delivery(ies) for retry." in response.content.decode()
    assert (row.state, row.attempts, row.last_status) == ("delivered", 1, 200)
    assert receiver.state.keys_received() == [str(event.pk)] * 2


def test_retry_leaves_deliveries_that_are_not_dead_alone(editor, story, receiver):
    _subscribe(receiver.url)
    event = _rule(ClaimFactory(story=story), editor)
    [delivery_id] = delivery.dispatch_event(event.pk)
    delivery.deliver_webhook(delivery_id)

    retried = delivery.delivery_retry(delivery_ids=[delivery_id])

    assert retried == []
    assert WebhookDelivery.objects.get(pk=delivery_id).state == "delivered"


def test_sweep_delivers_events_whose_queueing_was_lost(editor, story, receiver, eager_celery):
    _subscribe(receiver.url)
    claim = ClaimFactory(story=story)
    event = _rule(claim, editor)  # on_commit never fires inside the test transaction

    queued = tasks.outbox_sweep()

    assert queued == 1
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None
    assert receiver.state.keys_received() == [str(event.pk)]


def test_e_mail_goes_to_watchers_with_an_address_only(editor, story):
    silent = UserFactory(username="noemail", role="reporter", email="")
    gone = UserFactory(username="gone", role="reporter")
    follower = UserFactory(username="fran", role="editor")
    claim = ClaimFactory(story=story)
    for user in (silent, gone, follower):
        services.watch_set(user=user, story=story, watching=True)
    gone.is_active = False
    gone.save()
    event = _rule(claim, editor)

    delivery.dispatch_event(event.pk)

    assert [m.to for m in mail.outbox] == [["fran@newsroom.example"]]
    assert json.dumps(claim.text)[1:-1] in mail.outbox[0].body


def test_e_mail_about_a_hidden_claim_goes_only_to_watchers_who_may_see_it(editor, moderator, story):
    reporter = UserFactory(username="rhea", role="reporter")
    follower = UserFactory(username="fran", role="editor")
    left_the_desk = UserFactory(username="lee", role="reporter")
    claim = ClaimFactory(story=story)
    for user in (reporter, follower, left_the_desk):
        services.watch_set(user=user, story=story, watching=True)
    left_the_desk.groups.clear()
    services.claim_hide(claim=claim, actor=moderator)
    event = _rule(Claim.objects.get(pk=claim.pk), editor)

    delivery.dispatch_event(event.pk)

    assert [m.to for m in mail.outbox] == [["fran@newsroom.example"]]


@pytest.mark.postgres
def test_an_event_locked_by_another_worker_is_skipped(committed_db, receiver):
    editor = UserFactory(username="eddie", role="editor")
    story = StoryFactory(actor=editor)
    _subscribe(receiver.url)
    event = _rule(ClaimFactory(story=story), editor)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            OutboxEvent.objects.select_for_update().get(pk=event.pk)
            locked.set()
            release.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(timeout=10)
    try:
        skipped = delivery.dispatch_event(event.pk)
    finally:
        release.set()
        thread.join(timeout=10)

    assert skipped == []
    assert not WebhookDelivery.objects.filter(event=event).exists()
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is None
