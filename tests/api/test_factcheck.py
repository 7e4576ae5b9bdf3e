"""GET /api/v1/claims:search answers like Google Fact Check Tools' claims:search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim
from tests.api.test_events import rule
from tests.support.factories import ClaimFactory, SourceFactory, StoryFactory

URL = "/api/v1/claims:search"


@pytest.fixture
def public_story(editor):
    return StoryFactory(actor=editor)


@pytest.mark.django_db
def test_answer_has_googles_shape(client, editor, public_story, settings):
    settings.CLAIMDESK_PUBLISHER_NAME = "Tehran Desk"
    settings.CLAIMDESK_PUBLISHER_URL = "https://factcheck.example/"
    claim = ClaimFactory(story=public_story, text="The aircraft carried 176 people.")
    said = timezone.now() - timedelta(days=3)
    services.attribution_add(
        claim=claim, source=SourceFactory(name="Iran's civil aviation body"), actor=editor,
        said_at=said,
    )  # fmt: skip
    rule(claim, editor, status="confirmed")

    body = client.get(URL, {"query": "aircraft"}).json()

    assert set(body) == {"claims", "nextPageToken"} and body["nextPageToken"] is None
    (found,) = body["claims"]
    assert set(found) == {"text", "claimant", "claimDate", "claimReview"}
    assert found["text"] == "The aircraft carried 176 people."
    assert found["claimant"] == "Iran's civil aviation body"
    assert found["claimDate"].endswith("Z")
    (review,) = found["claimReview"]
    assert review["publisher"] == {"name": "Tehran Desk", "site": "factcheck.example"}
    assert review["textualRating"] == "Confirmed"
    assert review["languageCode"] == "en"
    assert review["title"].startswith("Confirmed: The aircraft carried 176")
    assert review["url"].endswith(claim.get_public_url()) and review["reviewDate"]


@pytest.mark.django_db
def test_only_public_rulings_are_found(client, editor, moderator, public_story):
    ruled = ClaimFactory(story=public_story, text="Ruled in public.")
    rule(ruled, editor)
    ClaimFactory(story=public_story, text="Not ruled yet.")
    private = ClaimFactory(story=StoryFactory(actor=editor, is_public=False), text="Private.")
    rule(private, editor)
    hidden = ClaimFactory(story=public_story, text="Hidden.")
    rule(hidden, editor)
    hidden.refresh_from_db()
    services.claim_hide(claim=hidden, actor=moderator)

    body = client.get(URL).json()

    assert [c["text"] for c in body["claims"]] == ["Ruled in public."]


@pytest.mark.django_db
def test_page_tokens_walk_every_ruling_once(client, editor, public_story):
    for n in range(5):
        rule(ClaimFactory(story=public_story, text=f"Claim number {n}."), editor)

    texts, token, pages = [], "", 0
    while True:
        body = client.get(URL, {"pageSize": 2, "pageToken": token}).json()
        texts += [c["text"] for c in body["claims"]]
        pages += 1
        token = body["nextPageToken"]
        if not token:
            break

    assert texts == [f"Claim number {n}." for n in reversed(range(5))]
    assert pages == 3


@pytest.mark.django_db
def test_filters_by_age_language_and_publisher_site(client, editor, public_story, settings):
    settings.CLAIMDESK_PUBLISHER_URL = "https://factcheck.example"
    old = ClaimFactory(story=public_story, text="An old ruling.")
    rule(old, editor)
    Claim.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(days=40))
    rule(ClaimFactory(story=public_story, text="A new ruling."), editor)

    def texts(**params):
        return [c["text"] for c in client.get(URL, params).json()["claims"]]

    assert texts(maxAgeDays=30) == ["A new ruling."]
    assert texts() == ["A new ruling.", "An old ruling."]
    assert texts(query="old") == ["An old ruling."]
    assert texts(languageCode="de") == []
    assert texts(languageCode="en-US") == ["A new ruling.", "An old ruling."]
    assert texts(reviewPublisherSiteFilter="other.example") == []
    assert texts(reviewPublisherSiteFilter="factcheck.example") == texts()


@pytest.mark.django_db
def test_page_size_is_capped_and_a_foreign_token_starts_over(client, editor, public_story):
    rule(ClaimFactory(story=public_story), editor)

    assert len(client.get(URL, {"pageSize": 1000}).json()["claims"]) == 1
    assert len(client.get(URL, {"pageToken": "not-ours"}).json()["claims"]) == 1
    assert 400 <= client.get(URL, {"pageSize": 0}).status_code < 500


@pytest.mark.django_db
def test_search_reads_a_fixed_number_of_queries(client, editor, public_story,
                                                django_assert_max_num_queries):  # fmt: skip
    for _ in range(6):
        claim = ClaimFactory(story=public_story)
        services.attribution_add(claim=claim, source=SourceFactory(), actor=editor)
        rule(claim, editor)

    with django_assert_max_num_queries(3):
        body = client.get(URL, {"pageSize": 100}).json()

    assert len(body["claims"]) == 6
