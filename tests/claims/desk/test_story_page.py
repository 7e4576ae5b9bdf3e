"""The story page with its timeline picture, and the new-claim form with its suggestions."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory

pytestmark = pytest.mark.django_db


def rule(claim, editor, reporter, status):
    EvidenceFactory(claim=claim, actor=reporter)
    claim.refresh_from_db()
    services.claim_set_status(
        claim=claim,
        status=status,
        rationale="Checked.",
        actor=editor,
        expected_version=claim.version,
    )


def test_story_page_groups_claims_by_status(client, editor, reporter, story):
    confirmed = ClaimFactory(story=story, actor=reporter, text="Everyone aboard was killed.")
    open_claim = ClaimFactory(story=story, actor=reporter, text="Iran keeps the black box.")
    rule(confirmed, editor, reporter, "confirmed")
    client.force_login(reporter)

    response = client.get(reverse("story_detail", args=[story.slug]))

    html = response.content.decode()
    confirmed_group = html.split('id="group-confirmed"')[1].split("</section>")[0]
    unverified_group = html.split('id="group-unverified"')[1].split("</section>")[0]
    assert "Everyone aboard was killed." in confirmed_group
    assert "Iran keeps the black box." in unverified_group
    assert f'href="/claims/{open_claim.pk}/"' in unverified_group


def test_story_timeline_is_an_svg_with_a_layer_per_status_seen(client, editor, reporter, story):
    first, second = (ClaimFactory(story=story, actor=reporter) for _ in range(2))
    rule(first, editor, reporter, "false")
    client.force_login(editor)

    html = client.get(reverse("story_detail", args=[story.slug])).content.decode()

    svg = re.search(r"<svg class=\"timeline-chart\".*?</svg>", html, re.S).group(0)
    assert '<path class="tl-false"' in svg and '<path class="tl-unverified"' in svg
    assert '<path class="tl-confirmed"' not in svg
    assert "Now: 0 confirmed, 1 false" in svg and "1 unverified." in svg
    assert "<script" not in svg


def test_story_title_is_escaped_in_page_and_picture(client, editor, reporter):
    story = StoryFactory(actor=editor, title='<script>alert("x")</script> PS752')
    ClaimFactory(story=story, actor=reporter)
    client.force_login(editor)

    html = client.get(reverse("story_detail", args=[story.slug])).content.decode()

    assert "<script>alert" not in html
    assert "Verification progress of &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_private_stories_are_on_the_desk_and_unknown_ones_are_404(client, reporter, editor):
    private = StoryFactory(actor=editor, title="Desk only story", is_public=False)
    client.force_login(reporter)

    assert client.get(reverse("story_detail", args=[private.slug])).status_code == 200
    assert client.get(reverse("story_detail", args=["no-such-story"])).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_story_page_runs_a_constant_number_of_queries(
    client, editor, reporter, story, rows, django_assert_max_num_queries
):
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(rows)]
    for claim in claims[::2]:
        rule(claim, editor, reporter, "confirmed")
    client.force_login(editor)

    # One of them reads who holds what, however many claims and holders.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("story_detail", args=[story.slug]))

    assert response.content.decode().count('<li><a href="/claims/') == rows


def test_new_claim_suggests_similar_claims_in_the_same_story(client, reporter, story, editor):
    existing = ClaimFactory(
        story=story,
        actor=reporter,
        text="Canada says 63 of its citizens died when PS752 came down.",
    )
    other_story = StoryFactory(actor=editor, title="Elsewhere")
    ClaimFactory(story=other_story, actor=reporter, text="63 citizens died when PS752 came down.")
    ClaimFactory(story=story, actor=reporter, text="Iran plans to keep the black box.")
    client.force_login(reporter)

    response = client.get(
        reverse("claim_new", args=[story.slug]),
        {"text": "63 Canadian citizens died when PS752 came down"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="suggestions"')
    assert re.findall(r'href="/claims/(\d+)/"', html) == [str(existing.pk)]


def test_new_claim_form_debounces_its_suggestion_requests(client, reporter, story):
    client.force_login(reporter)

    html = client.get(reverse("claim_new", args=[story.slug])).content.decode()

    assert 'hx-trigger="keyup changed delay:400ms"' in html
    assert f'hx-get="/stories/{story.slug}/claims/new/"' in html


def test_new_claim_is_created_and_opened(client, reporter, story):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_new", args=[story.slug]),
        {"text": "Ukraine sent investigators to Tehran.", "figure": "", "value": ""},
    )

    claim = Claim.objects.get(text="Ukraine sent investigators to Tehran.")
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    assert claim.created_by == reporter and claim.story == story


@pytest.mark.parametrize("rows", [5, 50])
def test_new_claim_page_and_suggestions_run_a_constant_number_of_queries(
    client, reporter, story, rows, django_assert_max_num_queries
):
    for n in range(rows):
        ClaimFactory(story=story, actor=reporter, text=f"Canadians died on PS752, report {n}.")
    client.force_login(reporter)
    url = reverse("claim_new", args=[story.slug])

    with django_assert_max_num_queries(7):  # the story's figures, for the form
        page = client.get(url, {"text": "Canadians died on PS752"})
    with django_assert_max_num_queries(6):
        fragment = client.get(url, {"text": "Canadians died on PS752"}, HTTP_HX_REQUEST="true")

    assert page.content.decode().count('<li><a href="/claims/') == min(rows, 6)
    assert fragment.content.decode().count('<li><a href="/claims/') == min(rows, 6)
