"""Webhooks reach only public addresses, within their deadline, and only what may be sent.

Every server here is on 127.0.0.1; a guard fails any test whose code tries to connect
anywhere else (the private addresses below must be refused before any connection is made).
"""

import socket
import threading

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from claims import services, tasks
from claims.models import Claim, Evidence, OutboxEvent, WebhookDelivery, WebhookSubscriber
from claims.services import delivery
from tests.support.background import SECRET, task_time_limit
from tests.support.factories import ClaimFactory, EvidenceFactory
from tests.support.receivers import ReceiverState, WebhookReceiver


@pytest.fixture(autouse=True)
def only_local_network(monkeypatch):
    real_connect = socket.socket.connect

    def local_connect(sock, address):
        if address[0] != "127.0.0.1":
            raise AssertionError(f"test tried to connect to {address!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", local_connect)


def _subscribe(url: str) -> WebhookSubscriber:
    return WebhookSubscriber.objects.create(name="Partner desk", url=url, secret=SECRET)


def _pending_delivery(claim: Claim, editor) -> int:
    """A ruling on the claim, fanned out to the partner and not yet sent."""
    EvidenceFactory(claim=claim, actor=editor)
    claim = Claim.objects.get(pk=claim.pk)
    services.claim_set_status(
        claim=claim, status="unproven", rationale="One anonymous official.", actor=editor,
        expected_version=claim.version,
    )  # fmt: skip
    event = OutboxEvent.objects.filter(claim=claim).latest("pk")
    [delivery_id] = delivery.dispatch_event(event.pk)
    return delivery_id


def _make_due(delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())


# --- finding 4: endpoints cannot point anywhere -------------------------------------------


def test_subscriber_on_a_loopback_address_receives_nothing(editor, story, receiver, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = False  # as in production
    _subscribe(receiver.url.replace("/hooks/claimdesk", "/internal"))
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)

    delivery.deliver_webhook(delivery_id)

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert receiver.state.received == []
    assert (row.state, row.attempts, row.last_status) == ("pending", 1, None)
    assert row.last_error == "refused: private address"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://2130706433/hooks",
    ],
)
def test_subscriber_on_a_private_address_is_refused_without_connecting(editor, story, url):
    _subscribe(url)
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)

    delivery.deliver_webhook(delivery_id)

    assert WebhookDelivery.objects.get(pk=delivery_id).last_error == "refused: private address"


def test_a_redirect_is_not_followed(editor, story, receiver):
    elsewhere = WebhookReceiver(ReceiverState(secret=SECRET)).start()
    try:
        receiver.state.status, receiver.state.location = 307, elsewhere.url
        _subscribe(receiver.url)
        delivery_id = _pending_delivery(ClaimFactory(story=story), editor)

        delivery.deliver_webhook(delivery_id)
    finally:
        elsewhere.stop()

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert (row.last_status, row.last_error) == (307, "HTTP 307")
    assert elsewhere.state.received == []


# --- finding 6: one deadline for the whole exchange ---------------------------------------
# The slow server's head takes ten seconds; the task is cut off after three, and the client's
# own one-second deadline must have recorded the timeout before that.


def test_webhook_to_a_server_dripping_its_headers_is_recorded_as_a_timeout(
    editor, story, slow_server, settings
):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    settings.CLAIMDESK_WEBHOOK_TIMEOUT = 1
    _subscribe(f"{slow_server.base}/hooks")
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)

    with task_time_limit(3):
        state = tasks.webhook_deliver(delivery_id)

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert slow_server.requests == 1
    assert state == "pending"
    assert (row.attempts, row.last_status, row.last_error) == (1, None, "timeout")


def test_capture_of_a_server_dripping_its_headers_is_recorded_as_a_timeout(
    reporter, story, slow_server, settings
):
    settings.CLAIMDESK_CAPTURE_ALLOW_LOOPBACK = True
    settings.CLAIMDESK_CAPTURE_TIMEOUT = 1
    evidence = services.evidence_add(
        claim=ClaimFactory(story=story),
        url=f"{slow_server.base}/statement",
        stance="supports",
        actor=reporter,
    )

    with task_time_limit(3):
        state = tasks.evidence_capture(evidence.pk)

    row = Evidence.objects.get(pk=evidence.pk)
    assert state == "failed"
    assert row.capture_status == Evidence.Capture.FAILED
    assert row.capture_error == "timeout after 1s"  # the capture's deadline, not the task's
    assert row.capture_text == ""


# --- finding 7: the attempt is committed before the POST ----------------------------------


def test_an_attempt_cut_off_by_the_task_time_limit_is_counted(editor, story, receiver):
    receiver.state.hold_first = hold = threading.Event()  # the partner answers too slowly
    _subscribe(receiver.url)
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)

    try:
        with pytest.raises(SoftTimeLimitExceeded), task_time_limit(1):
            tasks.webhook_deliver(delivery_id)
    finally:
        hold.set()

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert receiver.state.first_arrived.is_set()  # it was cut off mid-POST
    assert (row.state, row.attempts, row.last_status) == ("pending", 1, None)
    assert row.last_error == delivery.INTERRUPTED
    assert row.next_attempt_at > timezone.now()
    assert delivery_id not in delivery.due_delivery_ids()  # not re-queued straight away


def test_a_delivery_whose_last_attempt_was_cut_off_is_closed_without_posting(
    editor, story, receiver, settings
):
    settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS = 2
    _subscribe(receiver.url)
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        attempts=2, last_error=delivery.INTERRUPTED
    )  # as a worker killed during its second POST leaves it
    _make_due(delivery_id)

    state = delivery.deliver_webhook(delivery_id)

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert state == "dead"
    assert (row.attempts, row.next_attempt_at, row.last_error) == (2, None, delivery.INTERRUPTED)
    assert receiver.state.received == []


# --- retries check the claim again -------------------------------------------------------


def test_a_retry_after_the_claim_is_hidden_is_not_sent(editor, moderator, story, receiver):
    receiver.state.status = 503
    _subscribe(receiver.url)
    claim = ClaimFactory(story=story)
    delivery_id = _pending_delivery(claim, editor)
    delivery.deliver_webhook(delivery_id)
    services.claim_hide(claim=Claim.objects.get(pk=claim.pk), actor=moderator, note="mistake")
    receiver.state.status = 200
    _make_due(delivery_id)

    state = delivery.deliver_webhook(delivery_id)

    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert state == "dead"
    assert row.last_error == "not sent: the claim is hidden"
    assert row.attempts == 1
    assert len(receiver.state.received) == 1


def test_a_moderators_retry_of_a_hidden_claim_is_not_sent(
    editor, moderator, story, receiver, settings
):
    settings.CLAIMDESK_WEBHOOK_MAX_ATTEMPTS = 1
    receiver.state.status = 503
    _subscribe(receiver.url)
    claim = ClaimFactory(story=story)
    delivery_id = _pending_delivery(claim, editor)
    delivery.deliver_webhook(delivery_id)
    services.claim_hide(claim=Claim.objects.get(pk=claim.pk), actor=moderator, note="mistake")
    receiver.state.status = 200

    delivery.delivery_retry(delivery_ids=[delivery_id])
    state = delivery.deliver_webhook(delivery_id)

    assert state == "dead"
    assert len(receiver.state.received) == 1


def test_a_retry_for_a_deactivated_subscriber_is_not_sent(editor, story, receiver):
    receiver.state.status = 503
    subscriber = _subscribe(receiver.url)
    delivery_id = _pending_delivery(ClaimFactory(story=story), editor)
    delivery.deliver_webhook(delivery_id)
    WebhookSubscriber.objects.filter(pk=subscriber.pk).update(is_active=False)
    _make_due(delivery_id)

    state = delivery.deliver_webhook(delivery_id)

    assert state == "dead"
    assert WebhookDelivery.objects.get(pk=delivery_id).last_error.startswith("not sent")
    assert len(receiver.state.received) == 1
