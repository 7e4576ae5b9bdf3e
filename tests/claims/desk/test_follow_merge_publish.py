"""Following a claim or a story, merging a duplicate into the claim it repeats, and making
a story public: from the desk's pages, as htmx swaps and as plain posts."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Revision, Story, Watch
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claim(story, reporter):
    return ClaimFactory(story=story, actor=reporter, text="63 Canadians were on board PS752.")


# Following a claim ----------------------------------------------------------------------------


def test_a_reporter_follows_a_claim_in_place_and_the_button_turns_to_stop(reporter, claim):
    client = logged_in(reporter)
    assert "Watch this claim" in client.get(reverse("claim_detail", args=[claim.pk])).text

    response = client.post(reverse("claim_watch", args=[claim.pk]), {"watching": "1"}, **HTMX)

    assert response.status_code == 200
    assert 'id="form-watch"' in response.text
    assert "You follow this claim: its rulings are e-mailed to you." in response.text
    assert "Watching" in response.text and "Stop watching" in response.text
    assert list(Watch.objects.values_list("user", "claim", "story")) == [
        (reporter.pk, claim.pk, None)
    ]


def test_following_twice_from_a_stale_page_keeps_one_watch_and_unfollowing_removes_it(
    reporter, claim
):
    client = logged_in(reporter)
    url = reverse("claim_watch", args=[claim.pk])

    client.post(url, {"watching": "1"})
    client.post(url, {"watching": "1"})
    assert Watch.objects.filter(user=reporter, claim=claim).count() == 1

    response = client.post(url, {"watching": "0"}, follow=True)

    assert not Watch.objects.exists()
    assert "You no longer follow this claim." in response.text
    assert "Watch this claim" in response.text


def test_a_watch_form_that_is_neither_button_is_refused_and_changes_nothing(reporter, claim):
    response = logged_in(reporter).post(
        reverse("claim_watch", args=[claim.pk]), {"watching": "yes please"}
    )

    assert response.status_code == 400
    assert not Watch.objects.exists()


def test_a_reporter_cannot_follow_a_hidden_claim_they_cannot_see(reporter, moderator, claim):
    services.claim_hide(claim=claim, actor=moderator)

    response = logged_in(reporter).post(reverse("claim_watch", args=[claim.pk]), {"watching": "1"})

    assert response.status_code == 404
    assert not Watch.objects.exists()


def test_whoever_follows_a_claim_from_its_page_is_e_mailed_its_ruling(
    reporter, editor, claim, eager_celery, django_capture_on_commit_callbacks
):
    logged_in(reporter).post(reverse("claim_watch", args=[claim.pk]), {"watching": "1"})
    EvidenceFactory(claim=claim, actor=reporter)
    claim.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        logged_in(editor).post(
            reverse("claim_status", args=[claim.pk]),
            {"status": "in_review", "rationale": "", "version": claim.version},
        )

    assert [message.to for message in mail.outbox] == [[reporter.email]]
    assert "In review" in mail.outbox[0].subject


# Following a story ----------------------------------------------------------------------------


def test_a_moderator_follows_and_unfollows_a_story_from_its_page(moderator, story):
    client = logged_in(moderator)
    url = reverse("story_watch", args=[story.slug])

    followed = client.post(url, {"watching": "1"}, follow=True)
    assert Watch.objects.filter(user=moderator, story=story).exists()
    assert "You follow this story" in followed.text
    assert "Watching" in followed.text and "Stop watching" in followed.text

    unfollowed = client.post(url, {"watching": "0"}, follow=True)
    assert not Watch.objects.exists()
    assert "Watch this story" in unfollowed.text


# Merging a duplicate --------------------------------------------------------------------------


def test_an_editor_merges_a_duplicate_into_the_claim_it_repeats(editor, reporter, story, claim):
    duplicate = ClaimFactory(story=story, actor=reporter, text="63 Canadians died on PS752.")
    client = logged_in(editor)
    page = client.get(reverse("claim_detail", args=[duplicate.pk])).text
    assert "Merge into it" in page

    response = client.post(
        reverse("claim_supersede", args=[duplicate.pk]),
        {"by_number": claim.pk, "note": "Same report.", "how": "merge", "version": 1},
        follow=True,
    )

    duplicate.refresh_from_db()
    assert duplicate.status == Claim.Status.SUPERSEDED
    assert duplicate.superseded_by_id == claim.pk
    assert set(Revision.objects.filter(kind="merged").values_list("claim", "note")) == {
        (duplicate.pk, "Same report."),
        (claim.pk, "Same report."),
    }
    assert f"Claim merged into #{claim.pk}." in response.text


def test_the_supersede_button_still_supersedes(editor, reporter, story, claim):
    newer = ClaimFactory(story=story, actor=reporter, text="57 Canadians were on board PS752.")

    response = logged_in(editor).post(
        reverse("claim_supersede", args=[claim.pk]),
        {"by_number": newer.pk, "how": "supersede", "version": 1},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Claim superseded." in response.text
    assert Revision.objects.filter(kind="superseded", claim=claim).exists()
    assert not Revision.objects.filter(kind="merged").exists()


def test_a_reporter_may_not_merge(reporter, story, claim):
    duplicate = ClaimFactory(story=story, actor=reporter)

    response = logged_in(reporter).post(
        reverse("claim_supersede", args=[duplicate.pk]),
        {"by_number": claim.pk, "how": "merge", "version": 1},
    )

    assert response.status_code == 403
    assert Claim.objects.get(pk=duplicate.pk).status == Claim.Status.UNVERIFIED


# A story's public switch ----------------------------------------------------------------------


def test_an_editor_publishes_a_private_story_and_readers_see_it(editor):
    private = StoryFactory(actor=editor, title="Desk only", slug="desk-only", is_public=False)
    client = logged_in(editor)
    assert Client().get("/s/desk-only/").status_code == 404
    assert "Publish to readers" in client.get(reverse("story_detail", args=["desk-only"])).text

    response = client.post(
        reverse("story_public", args=["desk-only"]), {"is_public": "1"}, follow=True
    )

    assert Story.objects.get(pk=private.pk).is_public
    assert "The story is public" in response.text
    assert "Take off the public site" in response.text
    assert Client().get("/s/desk-only/").status_code == 200


def test_taking_a_story_off_the_public_site_removes_its_public_page(editor, story):
    logged_in(editor).post(reverse("story_public", args=[story.slug]), {"is_public": "0"})

    assert not Story.objects.get(pk=story.pk).is_public
    assert Client().get(f"/s/{story.slug}/").status_code == 404


def test_reporters_see_no_public_switch_and_cannot_use_it(reporter, editor):
    StoryFactory(actor=editor, slug="desk-only", is_public=False)
    client = logged_in(reporter)

    page = client.get(reverse("story_detail", args=["desk-only"])).text
    response = client.post(reverse("story_public", args=["desk-only"]), {"is_public": "1"})

    assert "Publish to readers" not in page
    assert response.status_code == 403
    assert not Story.objects.get(slug="desk-only").is_public


def test_a_public_switch_that_is_neither_button_is_refused(editor, story):
    response = logged_in(editor).post(
        reverse("story_public", args=[story.slug]), {"is_public": "false"}
    )

    assert response.status_code == 400
    assert Story.objects.get(pk=story.pk).is_public


def test_a_merge_form_with_an_unknown_choice_says_so_and_changes_nothing(editor, story, claim):
    duplicate = ClaimFactory(story=story, actor=editor)

    response = logged_in(editor).post(
        reverse("claim_supersede", args=[duplicate.pk]),
        {"by_number": claim.pk, "how": "fold", "version": 1},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    assert Claim.objects.get(pk=duplicate.pk).status == Claim.Status.UNVERIFIED
