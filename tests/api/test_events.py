"""GET /api/v1/events: public events only, in id order, cursor-paged, long-polled."""

import threading
import time

import pytest
from django.db import connection, transaction

from claims import services
from claims.models import Claim, OutboxEvent
from claims.services import redactions
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory

URL = "/api/v1/events"


def rule(claim, editor, status="false", rationale="The manifest lists 176."):
    if not claim.evidence.exists():
        EvidenceFactory(claim=claim, actor=editor)
    claim.refresh_from_db()
    return services.claim_set_status(
        claim=claim, status=status, rationale=rationale, actor=editor,
        expected_version=claim.version,
    )  # fmt: skip


@pytest.mark.django_db
def test_pages_follow_each_other_without_gaps_or_repeats(client, editor):
    story = StoryFactory(actor=editor)
    claims = [ClaimFactory(story=story) for _ in range(7)]
    for claim in claims:
        rule(claim, editor)

    seen, after, pages = [], 0, 0
    while True:
        response = client.get(URL, {"after": after, "limit": 3})
        body = response.json()
        pages += 1
        if not body["events"]:
            break
        assert f"after={body['next_after']}" in response.headers["Link"]
        seen += [event["id"] for event in body["events"]]
        after = body["next_after"]

    expected = list(OutboxEvent.objects.order_by("id").values_list("id", flat=True))
    assert seen == expected and len(seen) == 7
    assert pages == 4


@pytest.mark.django_db
def test_event_is_told_with_public_fields_only(client, editor):
    claim = ClaimFactory(story=StoryFactory(actor=editor), text="The jet carried 176 people.")
    rule(claim, editor, rationale="Secret note: the minister's aide told us off the record.")

    event = client.get(URL).json()["events"][0]

    assert event["type"] == "claim.status_changed"
    assert set(event) == {"id", "type", "timestamp", "data"}
    assert set(event["data"]) == {"claim_id", "story", "url", "status", "text"}
    assert event["data"]["status"] == "false"
    assert event["data"]["text"] == "The jet carried 176 people."
    assert event["data"]["url"].endswith(claim.get_public_url())
    assert "Secret" not in str(event) and editor.username not in str(event)


@pytest.mark.django_db
def test_hidden_and_private_claims_events_never_appear(client, editor, moderator):
    public = ClaimFactory(story=StoryFactory(actor=editor))
    private = ClaimFactory(story=StoryFactory(actor=editor, is_public=False))
    hidden = ClaimFactory(story=StoryFactory(actor=editor))
    for claim in (public, private, hidden):
        rule(claim, editor)
    hidden.refresh_from_db()
    services.claim_hide(claim=hidden, actor=moderator)

    body = client.get(URL, {"limit": 100}).json()

    assert [e["data"]["claim_id"] for e in body["events"]] == [public.pk]
    assert body["next_after"] == OutboxEvent.objects.order_by("-id").first().pk


@pytest.mark.django_db
def test_a_move_to_review_is_not_told(client, editor):
    claim = ClaimFactory(story=StoryFactory(actor=editor))
    rule(claim, editor, status="in_review", rationale="")

    body = client.get(URL).json()

    assert body["events"] == [] and body["next_after"] >= 1
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


@pytest.mark.django_db
def test_wait_gives_up_after_its_time_with_nothing_new(client):
    started = time.monotonic()

    response = client.get(URL, {"after": 0, "wait": 1})

    assert response.status_code == 200 and response.json()["events"] == []
    assert 0.9 <= time.monotonic() - started < 5


@pytest.mark.django_db
def test_bad_cursor_is_a_problem_not_a_500(client):
    response = client.get(URL, {"after": "-1"})

    assert 400 <= response.status_code < 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_long_poll_returns_when_another_thread_records_an_event(client, editor):
    claim = ClaimFactory(story=StoryFactory(actor=editor))
    after = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def later():
        time.sleep(1.0)
        try:
            rule(claim, editor)
        finally:
            connection.close()

    writer = threading.Thread(target=later)
    writer.start()
    started = time.monotonic()
    body = client.get(URL, {"after": after, "wait": 20}).json()
    writer.join()

    assert [e["data"]["claim_id"] for e in body["events"]] == [claim.pk]
    assert 0.9 <= time.monotonic() - started < 5


@pytest.mark.django_db
def test_a_page_reads_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    story = StoryFactory(actor=editor)
    for _ in range(6):
        rule(ClaimFactory(story=story), editor)

    with django_assert_max_num_queries(5):
        body = client.get(URL, {"limit": 100}).json()

    assert len(body["events"]) == 6


@pytest.mark.django_db
def test_redacted_words_read_as_the_notice(client, editor, moderator):
    claim = ClaimFactory(story=StoryFactory(actor=editor), text="Call 555-0100 for the list.")
    rule(claim, editor)
    claim.refresh_from_db()
    services.claim_edit(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        text="Call the desk.",
        note="A private number removed.",
    )
    created = claim.revisions.order_by("number").first()
    redactions.revision_redact(
        revision=created, parts=["text"], reason="a private phone number", actor=moderator
    )

    texts = [event["data"]["text"] for event in client.get(URL).json()["events"]]

    assert texts and all("555-0100" not in text for text in texts)
    assert "[redacted by a moderator: a private phone number]" in texts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_page_never_passes_an_event_still_being_written(client, editor):
    first = ClaimFactory(story=StoryFactory(actor=editor))
    second = ClaimFactory(story=StoryFactory(actor=editor))
    EvidenceFactory(claim=first, actor=editor)
    EvidenceFactory(claim=second, actor=editor)
    after = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recorded, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                rule(first, editor)
                recorded.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    recorded.wait(10)
    rule(second, editor)  # a later id, committed first

    while_open = client.get(URL, {"after": after}).json()
    release.set()
    writer.join()
    after_commit = client.get(URL, {"after": after}).json()

    assert while_open["events"] == [] and while_open["next_after"] == after
    claims = [e["data"]["claim_id"] for e in after_commit["events"]]
    assert claims == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_public_storys_own_event_links_its_public_page(client, editor):
    public = StoryFactory(actor=editor, title="PS752")
    private = StoryFactory(actor=editor, is_public=False)
    for story in (public, private):
        OutboxEvent.objects.create(kind=OutboxEvent.Kind.STORY_CHANGED, story=story)

    events = client.get(URL).json()["events"]

    assert [e["type"] for e in events] == ["story.changed"]
    assert events[0]["data"]["url"].endswith(f"/s/{public.slug}/")
    assert events[0]["data"]["title"] == "PS752"
