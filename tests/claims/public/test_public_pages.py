import pytest
from django.core.management import call_command
from django.utils.html import escape

from claims import services
from claims.access import claim_subject
from claims.models import Claim, Story
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
)
from tests.support.public import (
    attribute,
    jsonld_blocks,
    rule,
    ruled_claim,
    toll_figure,
    toll_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_story(editor):
    return StoryFactory(actor=editor, is_public=False, title="Private desk story")


# Story pages ------------------------------------------------------------------------------


def test_story_page_lists_its_visible_claims_with_status(client, story, editor, moderator):
    shown = ruled_claim(story, editor, text="A ruled claim.", status="false")
    ClaimFactory(story=story, actor=editor, text="A fresh claim.")
    hidden = ClaimFactory(story=story, actor=editor, text="A hidden claim.")
    services.claim_hide(claim=hidden, actor=moderator)

    response = client.get(f"/s/{story.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert story.title in body
    assert f'href="{shown.get_public_url()}"' in body
    assert "A fresh claim." in body
    assert "A hidden claim." not in body
    assert '<span class="badge false">False</span>' in body


def test_private_story_page_is_the_same_404_as_a_missing_one(client, private_story, editor):
    ClaimFactory(story=private_story, actor=editor, text="Private claim.")

    private = client.get(f"/s/{private_story.slug}/")
    missing = client.get("/s/no-such-story/")

    assert private.status_code == missing.status_code == 404
    assert private.content.replace(private_story.slug.encode(), b"X") == missing.content.replace(
        b"no-such-story", b"X"
    )
    assert b"Private" not in private.content


def test_story_index_lists_only_public_stories(client, story, private_story):
    body = client.get("/s/").content.decode()

    assert story.title in body
    assert private_story.title not in body


def test_story_page_query_count_does_not_grow_with_claims(
    client, story, editor, django_assert_max_num_queries
):
    # The story with its marks, the page of claims, and the story's figures (none here).
    for n in range(3):
        ClaimFactory(story=story, actor=editor, text=f"Claim {n}.")
    with django_assert_max_num_queries(3):
        client.get(f"/s/{story.slug}/")
    for n in range(20):
        ClaimFactory(story=story, actor=editor, text=f"More {n}.")

    with django_assert_max_num_queries(3):
        response = client.get(f"/s/{story.slug}/")

    assert response.content.count(b'class="card"') == 23


# Claim pages ------------------------------------------------------------------------------


def test_claim_page_shows_verdict_rationale_evidence_attribution_and_trail(client, story, editor):
    figure = toll_figure(story, editor)
    claim = ReportFactory(figure=figure, actor=editor, value=63, text="63 Canadians died.")
    services.claim_edit(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        text="57 Canadians died on PS752.",
        value=57,
        note="Our typo: the minister said 57.",
    )
    attribute(
        claim,
        editor,
        source=SourceFactory(name="Francois-Philippe Champagne"),
        outlet="News conference, Ottawa",
        quote="the number of Canadian victims is 57",
    )
    EvidenceFactory(claim=claim, actor=editor, excerpt="Global Affairs Canada list.")
    rule(claim, "confirmed", editor, rationale="Confirmed by the minister on the record.")

    response = client.get(claim.get_public_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="badge confirmed">Confirmed</span>' in body
    assert "Confirmed by the minister on the record." in body
    assert "Francois-Philippe Champagne" in body
    assert "the number of Canadian victims is 57" in body
    assert "Global Affairs Canada list." in body
    assert f'Reports <a href="{figure.get_public_url()}">Canadian citizens killed on PS752</a>' in (
        body
    )
    assert "57 people" in body
    assert "<strong>Figure typo corrected</strong>" in body
    assert "Value:\n              63 → 57" in body
    assert "The desk's note: Our typo: the minister said 57." in body
    assert "Unverified → Confirmed" in body


def test_wrong_slug_redirects_to_the_canonical_address(client, story, editor):
    claim = ClaimFactory(story=story, actor=editor, text="PS752 was hit by a missile.")

    wrong = client.get(f"/c/{claim.pk}/some-old-slug/")
    bare = client.get(f"/c/{claim.pk}/")

    assert wrong.status_code == bare.status_code == 301
    assert wrong["Location"] == bare["Location"] == f"/c/{claim.pk}/ps752-was-hit-by-a-missile/"


def test_hidden_private_and_missing_claims_are_the_same_404(
    client, story, private_story, editor, moderator
):
    hidden = ClaimFactory(story=story, actor=editor, text="Hidden words.")
    services.claim_hide(claim=hidden, actor=moderator)
    private = ClaimFactory(story=private_story, actor=editor, text="Private words.")

    responses = [
        client.get(f"/c/{hidden.pk}/{hidden.slug}/"),
        client.get(f"/c/{private.pk}/{private.slug}/"),
        client.get(f"/c/{private.pk}/wrong-slug/"),
        client.get(f"/c/{private.pk}/"),
        client.get("/c/999999/anything/"),
    ]

    assert {r.status_code for r in responses} == {404}
    for response in responses:
        assert b"Hidden words" not in response.content
        assert b"Private words" not in response.content
        assert b"Location" not in response.content


def test_superseded_claim_links_its_replacement_and_replacement_links_back(client, story, editor):
    old, new = toll_pair(story, editor)

    old_body = client.get(old.get_public_url()).content.decode()
    new_body = client.get(new.get_public_url()).content.decode()

    assert f'Replaced by: <a href="{new.get_public_url()}">{escape(new.text)}</a></p>' in old_body
    assert "Status:\n              Confirmed → Superseded" in old_body
    assert (
        f'Replaced by:\n              <a href="{new.get_public_url()}">{escape(new.text)}</a>'
        in (old_body)
    )
    assert "Replaced by:\n              —" not in old_body
    assert f'Replaces an earlier claim: <a href="{old.get_public_url()}">' in new_body


def test_hidden_replacement_is_not_named_on_the_old_claim(client, story, editor, moderator):
    old, new = toll_pair(story, editor)
    services.claim_hide(claim=new, actor=moderator)

    body = client.get(old.get_public_url()).content.decode()

    assert "This claim was replaced by a newer one." in body
    assert new.text not in body
    assert new.get_public_url() not in body


def test_internal_notes_and_usernames_never_appear_on_public_pages(
    client, story, editor, reporter, moderator
):
    old, new = toll_pair(story, editor)
    services.note_add(claim=new, body="INTERNAL: source is nervous", actor=editor)
    new.refresh_from_db()
    services.claim_assign(claim=new, assignee=reporter, actor=editor)
    services.claim_edit(
        claim=new,
        actor=editor,
        expected_version=new.version + 1,
        text="Canada's foreign minister says 57 Canadians died on flight PS752, not 63.",
        keep_ruling=True,
        note="REVISION NOTE: checked twice",
    )
    new.refresh_from_db()

    pages = [client.get(url) for url in (old.get_public_url(), new.get_public_url())]
    pages.append(client.get(f"/s/{story.slug}/"))

    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        for secret in ("INTERNAL", "REVISION NOTE", "Minister revised.", "Assignee"):
            assert secret not in body
        for user in (editor, reporter, moderator):
            assert user.username not in body
            assert user.email not in body


def test_claim_page_query_count_does_not_grow_with_attributions_and_evidence(
    client, story, editor, django_assert_max_num_queries
):
    bare = ruled_claim(story, editor, text="Checked claim.")
    # Its page's marks (all a cached page or a 304 reads), then the claim with its story,
    # attributions, evidence, trail, its redactions and source renames.
    with django_assert_max_num_queries(8):
        client.get(bare.get_public_url())
    claim = ClaimFactory(story=story, actor=editor, text="Checked claim with sources.")
    for n in range(5):
        attribute(claim, editor, source=SourceFactory(name=f"Official {n}"), quote=f"q{n}")
        EvidenceFactory(claim=claim, actor=editor, source=SourceFactory(name=f"Outlet {n}"))
    claim = rule(claim, "confirmed", editor)

    with django_assert_max_num_queries(8):
        response = client.get(claim.get_public_url())

    assert response.content.count(b"<strong>Official ") == 5


# Feed links -------------------------------------------------------------------------------


def test_every_public_page_links_its_feeds(client, story, editor):
    claim = ClaimFactory(story=story, actor=editor)

    pages = {
        "/s/": ["/feeds/status.rss", "/feeds/status.atom", "/feeds/status.json"],
        f"/s/{story.slug}/": [f"/stories/{story.slug}/feed.atom"],
        claim.get_public_url(): [f"/claims/{claim.pk}/feed.rss", f"/stories/{story.slug}/feed.rss"],
    }

    for url, feeds in pages.items():
        body = client.get(url).content.decode()
        assert 'rel="alternate" type="application/rss+xml"' in body
        assert 'type="application/atom+xml"' in body
        assert 'type="application/feed+json"' in body
        for feed in [*feeds, "/feeds/status.rss"]:
            assert f'href="{feed}"' in body, (url, feed)
            assert client.get(feed).status_code == 200


def test_public_pages_need_no_login_and_use_no_inline_script(client, story, editor):
    claim = ruled_claim(story, editor)

    for url in ("/s/", f"/s/{story.slug}/", claim.get_public_url()):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<script>" not in body
        assert "style=" not in body
        assert "csrf" not in body.lower()


# Demo -------------------------------------------------------------------------------------


def test_demo_story_is_public_and_the_private_demo_story_is_not(client):
    call_command("seed_demo", password="demo-password-for-tests-only")
    old = Claim.objects.get(story__slug="ps752", value=63)
    new = old.superseded_by

    assert client.get("/s/ps752/").status_code == 200
    assert client.get("/s/iraq-protests/").status_code == 404
    body = client.get(old.get_public_url()).content.decode()
    assert f'Replaced by:\n              <a href="{new.get_public_url()}">' in body
    assert new.value == 57 and new.figure_id == old.figure_id
    assert len(jsonld_blocks(client.get(new.get_public_url()).content.decode())) == 1
    assert client.get(old.figure.get_public_url()).status_code == 200
    private = Story.objects.get(slug="iraq-protests").claims.first()
    assert client.get(private.get_public_url()).status_code == 404
    feed = client.get("/feeds/status.json").json()
    superseded = f"Superseded: {claim_subject(old.text)}, replaced by {claim_subject(new.text)}"
    assert superseded in [item["title"] for item in feed["items"]]
    assert "Protesters in Babil" not in str(feed)
