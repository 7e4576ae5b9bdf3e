"""What partners' webhooks are sent, as their receiver gets it: rulings only (verdicts and
supersessions), each titled by the claim's text."""

import pytest

from claims import services
from claims.models import OutboxEvent, WebhookDelivery, WebhookSubscriber
from claims.services import delivery
from tests.support.background import SECRET
from tests.support.factories import ClaimFactory
from tests.support.public import rule, ruled_report, toll_figure, toll_pair

pytestmark = pytest.mark.django_db

TOLL = "Canada's foreign minister says 57 Canadians died on PS752."


@pytest.fixture
def partner(receiver):
    WebhookSubscriber.objects.create(name="Partner desk", url=receiver.url, secret=SECRET)
    return receiver


def received(receiver) -> list[dict]:
    return [hit.body for hit in receiver.state.received]


def test_a_verdict_reaches_the_partner_titled_by_the_claims_text(
    story, editor, partner, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = ruled_report(toll_figure(story, editor), editor, value=57, text=TOLL)

    [body] = received(partner)
    assert body["title"] == f"Confirmed: {TOLL}"
    assert body["text"] == TOLL
    assert body["new_status"] == "confirmed"
    assert body["claim_url"].endswith(claim.get_public_url())
    assert all(hit.signature_ok for hit in partner.state.received)
    assert "Canadian citizens killed" not in str(body)


def test_partners_get_rulings_and_a_ruling_taken_back_not_the_desks_own_moves(
    story, editor, partner, eager_celery, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(story=story, actor=editor, text="Iran fired two missiles.")

    with django_capture_on_commit_callbacks(execute=True):
        rule(claim, "in_review", editor)
        rule(claim, "unverified", editor)
        rule(claim, "in_review", editor)
        rule(claim, "unproven", editor)
        rule(claim, "in_review", editor)  # reopened

    assert [(b["kind"], b["old_status"], b["new_status"]) for b in received(partner)] == [
        ("status_changed", "in_review", "unproven"),
        ("reopened", "unproven", "in_review"),
    ]
    assert received(partner)[0]["title"] == "Unproven: Iran fired two missiles."
    assert [hit.event for hit in partner.state.received] == [
        "claim.status_changed",
        "claim.reopened",
    ]
    events = OutboxEvent.objects.filter(claim=claim)
    assert events.count() == 5  # every change is still recorded, and fanned out
    assert all(event.dispatched_at for event in events)
    assert WebhookDelivery.objects.count() == 2


def test_a_supersession_names_the_replacing_claim_by_its_text(
    story, editor, partner, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old, new = toll_pair(story, editor)

    superseded = [b for b in received(partner) if b["new_status"] == "superseded"]
    assert [b["title"] for b in superseded] == [f"Superseded: {old.text}, replaced by {new.text}"]
    assert superseded[0]["superseded_by"] == new.pk
    assert [b["title"] for b in received(partner)][:2] == [
        f"Confirmed: {old.text}",
        f"Confirmed: {new.text}",
    ]


def test_a_hidden_replacement_is_not_named_in_the_webhook(story, editor, moderator):
    old, new = toll_pair(story, editor)
    services.claim_hide(claim=new, actor=moderator)
    event = OutboxEvent.objects.get(claim=old, kind=OutboxEvent.Kind.SUPERSEDED)

    body = delivery.event_body(event).decode()

    assert "replaced by a newer claim" in body
    assert new.text not in body


def test_a_pending_delivery_of_a_non_ruling_is_closed_unsent(story, editor, receiver):
    subscriber = WebhookSubscriber.objects.create(name="P", url=receiver.url, secret=SECRET)
    claim = ClaimFactory(story=story, actor=editor)
    rule(claim, "in_review", editor)
    event = OutboxEvent.objects.get(claim=claim)
    # Recorded before partners were sent rulings only, and never delivered.
    pending = WebhookDelivery.objects.create(event=event, subscriber=subscriber)

    state = delivery.deliver_webhook(pending.pk, force=True)

    pending.refresh_from_db()
    assert state == WebhookDelivery.State.DEAD
    assert pending.last_error.startswith("not sent: a move to In review")
    assert receiver.state.received == []
