"""A status change made on server B reaches a partner as one webhook, sent by one of the two
workers: the receiver (verifying with the standardwebhooks library) gets that webhook-id
once, the database holds one delivery with one attempt, and the workers' logs one send."""

import json
import re
import time

import pytest

from claims.lib.webhooks import generate_secret
from tests.scale.conftest import PRIMARY_URL, SCALE_DIR, sql, wait_for
from tests.support.receivers import ReceiverState, WebhookReceiver

pytestmark = pytest.mark.scale
SENT = re.compile(r"claims\.tasks\.webhook_deliver\[[^\]]+\] succeeded")


def sends_per_worker() -> dict[str, int]:
    counts = {}
    for log in sorted(SCALE_DIR.glob("celery-*.log")):
        counts[log.stem] = len(SENT.findall(log.read_text(errors="replace")))
    return counts


def test_a_status_change_on_server_b_is_delivered_once_by_one_worker(desk_b):
    claim = desk_b.new_public_claim("The dam holds 3 billion cubic metres")
    state = ReceiverState(secret=generate_secret())
    receiver = WebhookReceiver(state).start()
    sql(
        PRIMARY_URL,
        "UPDATE claims_webhooksubscriber SET is_active = false WHERE name LIKE 'scale %%'",
    )
    (subscriber_id,) = sql(
        PRIMARY_URL,
        "INSERT INTO claims_webhooksubscriber (name, url, secret, statuses, is_active, created_at,"
        " disabled_reason, previous_secret) VALUES (%s, %s, %s, '[]', true, now(), '', '')"
        " RETURNING id",
        (f"scale {claim.story}", receiver.url, state.secret),
    )[0]
    sql(
        PRIMARY_URL,
        "INSERT INTO claims_webhooksubscriber_stories (webhooksubscriber_id, story_id)"
        " VALUES (%s, %s)",
        (subscriber_id, claim.story_id),
    )
    before = sends_per_worker()
    try:
        desk_b.rule(claim, "false")
        assert wait_for(lambda: state.received, seconds=15)
        assert wait_for(lambda: sum(sends_per_worker().values()) > sum(before.values()), seconds=10)
        time.sleep(2)  # room for a second copy to arrive, if one were sent
        received = list(state.received)
        deliveries = sql(
            PRIMARY_URL,
            "SELECT state, attempts FROM claims_webhookdelivery WHERE subscriber_id = %s",
            (subscriber_id,),
        )
        after = sends_per_worker()
    finally:
        sql(PRIMARY_URL, "UPDATE claims_webhooksubscriber SET is_active = false WHERE id = %s",
            (subscriber_id,))  # fmt: skip
        receiver.stop()

    assert len(received) == 1
    assert received[0].signature_ok
    assert received[0].event == "claim.status_changed"
    assert received[0].body["new_status"] == "false"
    assert received[0].body["claim_url"].endswith(claim.path)
    assert state.processed == [received[0].key]
    assert deliveries == [("delivered", 1)]
    sent = {worker: after.get(worker, 0) - before.get(worker, 0) for worker in after}
    assert sorted(sent.values()) == [0, 1], sent
    print("\nwebhook sent by:", json.dumps(sent), "webhook-id", received[0].key)
