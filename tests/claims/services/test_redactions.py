"""Redaction: a moderator hides an old revision's text, note or actor from readers and
reporters; the revision itself is never touched and moderators still see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Revision
from claims.services.redactions import revision_redact
from tests.support.factories import ClaimFactory

pytestmark = pytest.mark.django_db

PHONE = "+1 613 555 0199"


@pytest.fixture
def slip(story, reporter):
    """A claim whose second version carried a phone number typed by mistake."""
    claim = ClaimFactory(story=story, actor=reporter, text="Ottawa confirmed the toll.")
    services.claim_edit(
        claim=claim,
        actor=reporter,
        expected_version=1,
        text=f"Ottawa confirmed the toll (call {PHONE}).",
        note="Added the press office's line.",
    )
    services.claim_edit(
        claim=claim, actor=reporter, expected_version=2, text="Ottawa confirmed the toll."
    )
    return Claim.objects.get(pk=claim.pk)


def desk_page(user, claim) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("claim_detail", args=[claim.pk])).text


def test_a_moderator_redacts_an_old_revisions_text_and_reporters_see_only_the_notice(
    slip, reporter, moderator
):
    typed = slip.revisions.get(number=2)

    redaction = revision_redact(
        revision=typed, actor=moderator, parts=["text", "note"], reason="private phone number"
    )

    assert (redaction.kind, redaction.redacts, redaction.number) == ("redacted", typed, 4)
    untouched = Revision.objects.get(pk=typed.pk)
    assert PHONE in untouched.after["text"]
    assert untouched.note == "Added the press office's line."
    reporters_page = desk_page(reporter, slip)
    assert PHONE not in reporters_page
    assert "press office" not in reporters_page
    assert "[redacted by a moderator: private phone number]" in reporters_page
    moderators_page = desk_page(moderator, slip)
    assert PHONE in moderators_page
    assert "Redacted from readers and reporters: note, text." in moderators_page


def test_the_words_a_claim_still_says_cannot_be_redacted(slip, moderator):
    current = slip.revisions.get(number=3)

    with pytest.raises(ValidationError, match="edit the claim first"):
        revision_redact(revision=current, actor=moderator, parts=["text"], reason="typo")

    assert not Revision.objects.filter(kind="redacted").exists()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_only_moderators_redact(slip, role, request):
    user = request.getfixturevalue(role)

    with pytest.raises(PermissionDenied):
        revision_redact(
            revision=slip.revisions.get(number=2), actor=user, parts=["text"], reason="x"
        )

    assert Claim.objects.get(pk=slip.pk).version == 3


@pytest.mark.parametrize(
    ("parts", "reason"), [([], "x"), (["everything"], "x"), ("text", "x"), (["text"], "  ")]
)
def test_a_redaction_needs_its_parts_and_a_reason(slip, moderator, parts, reason):
    with pytest.raises(ValidationError):
        revision_redact(
            revision=slip.revisions.get(number=2), actor=moderator, parts=parts, reason=reason
        )

    assert not Revision.objects.filter(kind="redacted").exists()


def test_a_redacted_actor_is_not_named_to_reporters(slip, reporter, moderator):
    revision_redact(
        revision=slip.revisions.get(number=2), actor=moderator, parts=["actor"], reason="safety"
    )

    page = desk_page(reporter, slip)

    assert 'Edited</strong> by <span class="redacted">[redacted by a moderator: safety]' in page


def test_readers_see_the_notice_in_the_public_trail_and_feeds(slip, editor, moderator):
    from tests.support.public import rule

    claim = rule(slip, "confirmed", editor, rationale=f"Press office confirmed: {PHONE}.")
    claim = rule(claim, "in_review", editor, rationale="")
    claim = rule(claim, "confirmed", editor, rationale="The ministry's list.")
    first_ruling = claim.revisions.filter(kind="status", after__status="confirmed").earliest(
        "number"
    )
    for revision in (slip.revisions.get(number=2), first_ruling):
        revision_redact(revision=revision, actor=moderator, parts=["text"], reason="phone number")
    reader = Client()

    page = reader.get(claim.get_public_url()).text
    feeds = [reader.get(f"/claims/{claim.pk}/feed.{fmt}").text for fmt in ("rss", "atom", "json")]

    assert PHONE not in page
    assert "[redacted by a moderator: phone number]" in page
    for feed in feeds:
        assert PHONE not in feed
        assert "redacted by a moderator: phone number" in feed
        assert "The ministry" in feed


def test_a_moderator_redacts_from_the_admin_and_only_moderators_are_offered_it(
    client, slip, moderator, editor
):
    typed = slip.revisions.get(number=2)
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert client.get("/admin/claims/revision/").status_code == 403
    client.force_login(moderator)
    changelist = client.get("/admin/claims/revision/").text
    assert "Redact the selected revisions" in changelist

    response = client.post(
        "/admin/claims/revision/",
        {
            "action": "redact",
            "_selected_action": [typed.pk],
            "parts": ["text"],
            "reason": "private phone number",
        },
        follow=True,
    )

    assert "Redacted 1 revision." in response.text
    redaction = Revision.objects.get(kind="redacted")
    assert (redaction.redacts, redaction.actor, redaction.note) == (
        typed,
        moderator,
        "private phone number",
    )


def test_a_webhook_retried_after_a_redaction_carries_the_notice_not_the_words(
    slip, editor, moderator
):
    from claims.models import OutboxEvent
    from claims.services.delivery import event_body
    from tests.support.public import rule

    claim = rule(slip, "confirmed", editor, rationale=f"Press office confirmed: {PHONE}.")
    event = OutboxEvent.objects.filter(claim=claim).latest("pk")
    claim = rule(claim, "in_review", editor, rationale="")
    ruling = claim.revisions.filter(kind="status", after__status="confirmed").get()

    revision_redact(revision=ruling, actor=moderator, parts=["text"], reason="phone number")

    body = event_body(OutboxEvent.objects.get(pk=event.pk)).decode()
    assert PHONE not in body
    assert "[redacted by a moderator: phone number]" in body
