"""Standard Webhooks: verified by the official library, replays refused, rotation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from claims.lib.webhooks import SCHEDULE, generate_secret, retry_after_seconds, signed_headers
from claims.models import WebhookDelivery, WebhookSubscriber
from claims.services import delivery

BODY = b'{"type":"claim.status_changed","timestamp":"2026-12-02T21:00:00+00:00","data":{}}'


def test_generated_secret_signs_what_the_library_verifies():
    secret = generate_secret()

    headers = signed_headers("42", BODY, [secret])

    assert secret.startswith("whsec_")
    assert Webhook(secret).verify(BODY, headers)["type"] == "claim.status_changed"
    assert headers["webhook-id"] == "42"


def test_a_replay_with_an_old_timestamp_is_refused_by_the_library():
    secret = generate_secret()
    headers = signed_headers("42", BODY, [secret], at=datetime.now(UTC) - timedelta(hours=1))

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)


@pytest.mark.django_db
def test_during_rotation_both_secrets_verify_and_after_expiry_only_the_new():
    old, new = generate_secret(), generate_secret()
    subscriber = WebhookSubscriber.objects.create(
        name="P", url="https://example.org/h", secret=new, previous_secret=old,
        previous_secret_expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip

    during = signed_headers("7", BODY, delivery.signing_secrets(subscriber))
    subscriber.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    after = signed_headers("7", BODY, delivery.signing_secrets(subscriber))

    assert len(during["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(BODY, during) and Webhook(new).verify(BODY, during)
    assert Webhook(new).verify(BODY, after)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(BODY, after)


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)

    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Wed, 02 Dec 2026 21:10:00 GMT", now) == 600
    assert retry_after_seconds("soon", now) is None


def test_the_schedule_spans_more_than_a_day_even_at_the_shortest_jitter():
    assert sum(SCHEDULE) * 0.8 >= 24 * 3600


def test_410_gone_disables_the_subscriber_and_stops(
    editor, story, receiver, eager_celery, django_capture_on_commit_callbacks
):
    from tests.claims.services.test_delivery import _rule, _subscribe
    from tests.support.factories import ClaimFactory

    receiver.state.status = 410
    subscriber = _subscribe(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        _rule(ClaimFactory(story=story), editor)

    subscriber.refresh_from_db()
    [hit] = receiver.state.received
    assert hit.signature_ok
    assert not subscriber.is_active and subscriber.disabled_at is not None
    assert "410" in subscriber.disabled_reason
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.DEAD


@pytest.mark.parametrize("status", [429, 503])
def test_a_busy_receivers_retry_after_sets_the_next_attempt(
    status, editor, story, receiver, eager_celery, django_capture_on_commit_callbacks
):
    from tests.claims.services.test_delivery import _rule, _subscribe
    from tests.support.factories import ClaimFactory

    receiver.state.status, receiver.state.retry_after = status, "900"
    _subscribe(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        _rule(ClaimFactory(story=story), editor)

    pending = WebhookDelivery.objects.get()
    wait = (pending.next_attempt_at - timezone.now()).total_seconds()
    assert len(receiver.state.received) == 1
    assert (pending.state, pending.last_status, pending.attempts) == ("pending", status, 1)
    assert 890 <= wait <= 900  # the receiver's 15 minutes, not the schedule's first 5 s
    assert pending.subscriber.is_active
