"""A ruled claim says what was ruled on: reporters cannot rewrite it, an editor's edit needs a
note and either reopens the ruling or is marked a minor edit that keeps it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, OutboxEvent, Revision
from tests.support.factories import ClaimFactory, FigureFactory, SourceFactory
from tests.support.public import jsonld_blocks, ruled_claim

pytestmark = pytest.mark.django_db

CONFIRMED_TEXT = "Canada says 63 of its citizens died when PS752 came down."


@pytest.fixture
def confirmed(story, editor):
    return ruled_claim(story, editor, text=CONFIRMED_TEXT)


def review_of(claim: Claim) -> dict | None:
    page = Client().get(Claim.objects.get(pk=claim.pk).get_public_url(), follow=True)
    reviews = [b for b in jsonld_blocks(page.text) if b.get("@type") == "ClaimReview"]
    return reviews[0] if reviews else None


def test_a_reporter_cannot_rewrite_a_confirmed_claim(reporter, confirmed):
    version = confirmed.version

    with pytest.raises(PermissionDenied, match="an editor must reopen it"):
        services.claim_edit(
            claim=confirmed,
            actor=reporter,
            expected_version=version,
            text="Nobody died on flight PS752.",
            note="Updated.",
        )

    claim = Claim.objects.get(pk=confirmed.pk)
    assert (claim.text, claim.version, claim.status) == (CONFIRMED_TEXT, version, "confirmed")
    assert review_of(claim)["claimReviewed"] == CONFIRMED_TEXT


def test_an_editor_must_say_why_a_ruled_claim_changes(editor, confirmed):
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=confirmed,
            actor=editor,
            expected_version=confirmed.version,
            text="Canada says 57 of its citizens died when PS752 came down.",
        )

    assert "note" in refused.value.message_dict
    assert Claim.objects.get(pk=confirmed.pk).text == CONFIRMED_TEXT


def test_an_editors_edit_reopens_the_ruling_and_the_public_review_goes(editor, confirmed):
    services.claim_edit(
        claim=confirmed,
        actor=editor,
        expected_version=confirmed.version,
        text="Canada says 57 of its citizens died when PS752 came down.",
        note="The ministry corrected its count.",
    )

    claim = Claim.objects.get(pk=confirmed.pk)
    assert claim.status == Claim.Status.IN_REVIEW
    kinds = list(claim.revisions.order_by("number").values_list("kind", flat=True))
    assert kinds[-2:] == [Revision.Kind.EDITED, Revision.Kind.STATUS]
    reopened = claim.revisions.get(number=claim.version)
    assert reopened.note == "Reopened by an edit: The ministry corrected its count."
    assert OutboxEvent.objects.filter(revision=reopened, kind="reopened").exists()
    assert review_of(claim) is None


def test_a_minor_edit_keeps_the_ruling_and_is_in_the_public_trail(editor, confirmed):
    services.claim_edit(
        claim=confirmed,
        actor=editor,
        expected_version=confirmed.version,
        text="Canada says 63 of its citizens died when flight PS752 came down.",
        note="Typo: the flight number.",
        keep_ruling=True,
    )

    claim = Claim.objects.get(pk=confirmed.pk)
    assert claim.status == Claim.Status.CONFIRMED
    last = claim.revisions.get(number=claim.version)
    assert (last.kind, last.note) == (Revision.Kind.MINOR_EDIT, "Typo: the flight number.")
    review = review_of(claim)
    assert review["claimReviewed"] == claim.text
    assert review["dateModified"] == last.created_at.replace(microsecond=0).isoformat()
    page = Client().get(claim.get_public_url()).text
    assert "flight" in page.split("Corrections and changes")[1]


def test_a_superseded_claim_changes_only_by_a_minor_edit(editor, story, confirmed):
    newer = ruled_claim(story, editor, text="Canada says 57 of its citizens died.")
    confirmed.refresh_from_db()
    services.claim_supersede(
        claim=confirmed, by=newer, actor=editor, expected_version=confirmed.version
    )
    confirmed.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=confirmed,
            actor=editor,
            expected_version=confirmed.version,
            text="Canada says 63 citizens died.",
            note="Shorter.",
        )

    assert "keep_ruling" in refused.value.message_dict
    assert Claim.objects.get(pk=confirmed.pk).status == Claim.Status.SUPERSEDED


def test_open_claims_stay_editable_by_reporters_without_a_note(reporter, story):
    claim = ClaimFactory(story=story, actor=reporter, text="63 Canadians died.")

    services.claim_edit(
        claim=claim, actor=reporter, expected_version=claim.version, text="57 Canadians died."
    )

    assert Claim.objects.get(pk=claim.pk).text == "57 Canadians died."


# On the desk ----------------------------------------------------------------------------------


def test_reporters_get_no_edit_form_on_a_ruled_claim_and_a_forged_post_is_refused(
    reporter, confirmed
):
    client = Client()
    client.force_login(reporter)

    page = client.get(reverse("claim_detail", args=[confirmed.pk])).text
    response = client.post(
        reverse("claim_edit", args=[confirmed.pk]),
        {"text": "Nobody died.", "note": "x", "version": confirmed.version},
    )

    assert f'action="{reverse("claim_edit", args=[confirmed.pk])}"' not in page
    assert response.status_code == 403
    assert Claim.objects.get(pk=confirmed.pk).text == CONFIRMED_TEXT


def test_an_editor_on_a_ruled_claim_is_offered_the_minor_edit_and_must_give_a_note(
    editor, confirmed
):
    client = Client()
    client.force_login(editor)
    url = reverse("claim_edit", args=[confirmed.pk])

    page = client.get(reverse("claim_detail", args=[confirmed.pk])).text
    refused = client.post(url, {"text": "Typo fixed.", "version": confirmed.version})
    kept = client.post(
        url,
        {
            "text": CONFIRMED_TEXT.replace("citizens", "citizns").replace("citizns", "citizens,"),
            "note": "Style.",
            "keep_ruling": "on",
            "version": confirmed.version,
        },
    )

    assert "Minor edit: keep the ruling" in page
    assert refused.status_code == 422
    assert kept.status_code == 302
    claim = Claim.objects.get(pk=confirmed.pk)
    assert (claim.status, claim.text) == (
        "confirmed",
        CONFIRMED_TEXT.replace("citizens", "citizens,"),
    )


def test_a_reporter_does_not_see_a_hidden_replacement_on_the_claim_page(
    reporter, editor, moderator, story
):
    old = ClaimFactory(story=story, actor=reporter, text="63 Canadians died.")
    secret = ClaimFactory(story=story, actor=reporter, text="Unreleased: the minister's list.")
    services.claim_supersede(claim=old, by=secret, actor=editor, expected_version=old.version)
    services.claim_hide(claim=Claim.objects.get(pk=secret.pk), actor=moderator)
    client = Client()
    client.force_login(reporter)

    page = client.get(reverse("claim_detail", args=[old.pk])).text

    assert "Unreleased" not in page
    assert "Replaced by a claim that moderators have hidden." in page


def test_evidence_added_to_a_ruled_claim_waits_for_the_next_ruling(reporter, editor, confirmed):
    from tests.support.public import rule

    services.evidence_add(
        claim=confirmed, url="https://news.example/late-report", stance="refutes",
        actor=reporter, capture=False,
    )  # fmt: skip
    services.attribution_add(
        claim=Claim.objects.get(pk=confirmed.pk), source=SourceFactory(name="Late Source"),
        actor=reporter, quote="It was 60.",
    )  # fmt: skip
    reader = Client()
    held = reader.get(confirmed.get_public_url()).text

    claim = rule(confirmed, "in_review", editor)
    claim = rule(claim, "confirmed", editor, rationale="Still 63, the late report is wrong.")
    published = reader.get(claim.get_public_url()).text

    assert "late-report" not in held and "Late Source" not in held
    assert "late-report" in published and "Late Source" in published
    desk = Client()
    desk.force_login(reporter)
    assert "late-report" in desk.get(reverse("claim_detail", args=[claim.pk])).text


@pytest.mark.parametrize(
    "change",
    [
        {"text": CONFIRMED_TEXT.replace("63", "57")},
        {"text": "Nobody died on flight PS752."},
    ],
)
def test_a_minor_edit_cannot_change_what_was_ruled_on(editor, confirmed, change):
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=confirmed,
            actor=editor,
            expected_version=confirmed.version,
            note="Just a typo.",
            keep_ruling=True,
            **change,
        )

    assert "keep_ruling" in refused.value.message_dict
    claim = Claim.objects.get(pk=confirmed.pk)
    assert (claim.text, claim.version, claim.status) == (
        CONFIRMED_TEXT,
        confirmed.version,
        "confirmed",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"value": 57, "text": CONFIRMED_TEXT.replace("63", "57")},
        {"value": 57, "confirm_mismatch": True},
        {"approximation": "about"},
        {"approximation": "range", "value_high": 64, "confirm_mismatch": True},
    ],
)
def test_a_minor_edit_cannot_change_a_reports_value(editor, story, change):
    victims = FigureFactory(story=story, subject="Canadian victims", unit="people")
    report = ruled_claim(story, editor, text=CONFIRMED_TEXT, figure=victims, value=63)

    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=report,
            actor=editor,
            expected_version=report.version,
            note="Just a typo.",
            keep_ruling=True,
            **change,
        )

    assert "keep_ruling" in refused.value.message_dict
    claim = Claim.objects.get(pk=report.pk)
    assert (claim.value, claim.approximation, claim.version, claim.status) == (
        63,
        "exact",
        report.version,
        "confirmed",
    )
