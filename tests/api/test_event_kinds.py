"""Every change a reader or partner can see is an outbox event: rulings, a ruling taken back,
new words, a redaction, a hide and its undoing, a story's own changes."""

import pytest

from claims import services
from claims.models import OutboxEvent, Revision, WebhookSubscriber
from claims.services import redactions
from tests.support.background import SECRET
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory

pytestmark = pytest.mark.django_db

TEXT = "Iran's armed forces say the jet turned towards a military site."


def rule(claim, editor, status="false"):
    if not claim.evidence.exists():
        EvidenceFactory(claim=claim, actor=editor)
    claim.refresh_from_db()
    return services.claim_set_status(
        claim=claim, status=status, rationale="Radar data show it climbing on its route.",
        actor=editor, expected_version=claim.version,
    )  # fmt: skip


def logged(client) -> list[tuple[str, int | str]]:
    events = client.get("/api/v1/events").json()["events"]
    return [(e["type"], e["data"].get("claim_id") or e["data"].get("story")) for e in events]


def test_the_event_log_tells_rulings_reopenings_edits_redactions_and_story_changes(
    client, editor, moderator
):
    story = StoryFactory(actor=editor, title="PS752")
    claim = ClaimFactory(story=story, actor=editor, text=TEXT)
    rule(claim, editor)
    claim.refresh_from_db()
    services.claim_edit(
        claim=claim, actor=editor, expected_version=claim.version,
        text=TEXT.replace("say", "said"), note="Tense, after the ministry's transcript.",
    )  # fmt: skip
    created = Revision.objects.get(claim=claim, kind=Revision.Kind.CREATED)
    redactions.revision_redact(
        revision=created, actor=moderator, parts=["actor"], reason="Reporter's safety."
    )
    services.story_update(
        story=story, actor=editor, title="PS752 shot down", description="", expected_version=1
    )

    assert logged(client) == [
        ("claim.status_changed", claim.pk),
        ("claim.edited", claim.pk),
        ("claim.reopened", claim.pk),
        ("claim.redacted", claim.pk),
        ("story.changed", story.slug),
    ]
    story_event = client.get("/api/v1/events").json()["events"][-1]
    assert story_event["data"]["title"] == "PS752 shot down"


def test_a_private_storys_changes_are_recorded_but_never_logged(client, editor):
    story = StoryFactory(actor=editor, is_public=False)
    services.story_update(
        story=story, actor=editor, title="Draft", description="", expected_version=1
    )
    assert not OutboxEvent.objects.exists()

    services.story_set_public(story=story, is_public=True, actor=editor, expected_version=2)

    assert OutboxEvent.objects.get().kind == OutboxEvent.Kind.STORY_CHANGED
    assert logged(client) == [("story.changed", story.slug)]


def test_partners_are_told_of_a_hide_by_id_alone_and_of_the_unhide(
    client, editor, moderator, receiver, eager_celery, django_capture_on_commit_callbacks
):
    WebhookSubscriber.objects.create(name="Partner desk", url=receiver.url, secret=SECRET)
    claim = ClaimFactory(story=StoryFactory(actor=editor), actor=editor, text=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        rule(claim, editor)
    with django_capture_on_commit_callbacks(execute=True):
        claim.refresh_from_db()
        services.claim_hide(claim=claim, actor=moderator, note="Doxxing in the quote.")
    hidden = receiver.state.received[-1]
    assert hidden.event == "claim.hidden"
    assert set(hidden.body) == {"event_id", "kind", "claim_id", "claim_url"}
    assert TEXT not in str(hidden.envelope)
    assert logged(client) == []  # a hidden claim has no public trail

    with django_capture_on_commit_callbacks(execute=True):
        claim.refresh_from_db()
        services.claim_unhide(claim=claim, actor=moderator)

    assert [hit.event for hit in receiver.state.received] == [
        "claim.status_changed",
        "claim.hidden",
        "claim.unhidden",
    ]
    assert receiver.state.received[-1].body["text"] == TEXT
    assert all(hit.signature_ok for hit in receiver.state.received)
    assert logged(client) == [("claim.status_changed", claim.pk), ("claim.unhidden", claim.pk)]
