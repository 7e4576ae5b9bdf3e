"""Watching a claim or a story, assigning a claim to anyone on the desk, and My desk: what
each page shows and what the database holds afterwards."""

import re
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Revision, Watch
from tests.support.factories import ClaimFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MINE = reverse("my_desk")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claim(story, reporter):
    return ClaimFactory(story=story, actor=reporter, text="63 Canadians were on board PS752.")


def listed(response) -> list[int]:
    return [int(i) for i in re.findall(r'id="my-claim-(\d+)"', response.text)]


# Watching ------------------------------------------------------------------------------------


def test_watching_a_claim_in_place_shows_watching_and_stop_watching(reporter, claim):
    client = logged_in(reporter)
    url = reverse("claim_watch", args=[claim.pk])

    response = client.post(url, {"watching": "1"}, **HTMX)

    assert response.status_code == 200
    assert "<strong>Watching</strong> · " in response.text
    assert 'name="watching" value="0"' in response.text and "Stop watching" in response.text
    assert Watch.objects.filter(user=reporter, claim=claim).count() == 1
    page = client.get(reverse("claim_detail", args=[claim.pk])).text
    assert "Stop watching" in page and "Watch this claim" not in page


def test_watching_a_story_in_place_answers_with_the_button_alone(editor, story):
    client = logged_in(editor)
    url = reverse("story_watch", args=[story.slug])
    assert "Watch this story" in client.get(story.get_absolute_url()).text

    watched = client.post(url, {"watching": "1"}, **HTMX)
    assert watched.status_code == 200
    assert "<html" not in watched.text
    assert 'id="form-watch"' in watched.text and "Stop watching" in watched.text
    assert "You follow this story." in watched.text
    assert Watch.objects.filter(user=editor, story=story).exists()

    stopped = client.post(url, {"watching": "0"}, **HTMX)
    assert "Watch this story" in stopped.text
    assert not Watch.objects.filter(user=editor, story=story).exists()


def test_watching_a_story_without_javascript_redirects_to_its_page(editor, story):
    response = logged_in(editor).post(
        reverse("story_watch", args=[story.slug]), {"watching": "1"}, follow=True
    )

    assert response.redirect_chain == [(story.get_absolute_url(), 302)]
    assert "You follow this story." in response.text and "Stop watching" in response.text


# Assignment ----------------------------------------------------------------------------------


def test_an_editor_assigns_a_claim_to_a_reporter_with_a_revision(editor, reporter, claim):
    client = logged_in(editor)
    page = client.get(reverse("claim_detail", args=[claim.pk])).text
    assert '<select name="assignee" id="assign-assignee"' in page
    assert f'<option value="{reporter.pk}">rita</option>' in page

    response = client.post(
        reverse("claim_assign", args=[claim.pk]),
        {"version": claim.version, "to": "chosen", "assignee": reporter.pk},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Assigned to rita." in response.text
    claim.refresh_from_db()
    assert claim.assignee == reporter and claim.version == 2
    revision = Revision.objects.get(claim=claim, number=2)
    assert revision.kind == Revision.Kind.ASSIGNED and revision.actor == editor
    assert (revision.before, revision.after) == ({"assignee": None}, {"assignee": "rita"})


def test_an_editor_unassigns_a_claim(editor, reporter, claim):
    services.claim_assign(claim=claim, assignee=reporter, actor=editor, expected_version=1)
    client = logged_in(editor)

    response = client.post(
        reverse("claim_assign", args=[claim.pk]), {"version": 2, "to": "nobody"}, follow=True
    )

    assert "The claim is unassigned." in response.text
    assert "Nobody holds this claim." in response.text
    assert Claim.objects.get(pk=claim.pk).assignee is None
    assert Revision.objects.get(claim=claim, number=3).after == {"assignee": None}


def test_assigning_from_a_stale_page_is_refused_with_what_changed(editor, reporter, claim):
    services.claim_assign(claim=claim, assignee=editor, actor=editor, expected_version=1)

    response = logged_in(editor).post(
        reverse("claim_assign", args=[claim.pk]),
        {"version": 1, "to": "chosen", "assignee": reporter.pk},
        **HTMX,
    )

    assert response.status_code == 409
    assert "This claim changed while you were working on it." in response.text
    assert Claim.objects.get(pk=claim.pk).assignee == editor
    assert Revision.objects.filter(claim=claim).count() == 2


def test_a_reporter_takes_a_claim_but_may_not_give_it_to_someone_else(reporter, editor, claim):
    client = logged_in(reporter)
    page = client.get(reverse("claim_detail", args=[claim.pk])).text
    assert "Assign to me" in page and 'id="assign-assignee"' not in page
    url = reverse("claim_assign", args=[claim.pk])

    refused = client.post(url, {"version": 1, "to": "chosen", "assignee": editor.pk}, **HTMX)
    taken = client.post(url, {"version": 1}, **HTMX)

    assert refused.status_code == 403
    assert taken.status_code == 200 and "Assigned to you." in taken.text
    assert Claim.objects.get(pk=claim.pk).assignee == reporter
    assert Revision.objects.filter(claim=claim).count() == 2


def test_only_active_desk_people_can_hold_a_claim(editor, claim):
    reader = UserFactory(username="reader")
    gone = UserFactory(username="gone", role="reporter", is_active=False)
    client = logged_in(editor)
    url = reverse("claim_assign", args=[claim.pk])

    for person in (reader, gone):
        response = client.post(url, {"version": 1, "to": "chosen", "assignee": person.pk}, **HTMX)
        assert response.status_code == 422
        assert "Select a valid choice" in response.text

    with pytest.raises(ValidationError, match="Only active people on the desk"):
        services.claim_assign(claim=claim, assignee=reader, actor=editor, expected_version=1)
    assert Claim.objects.get(pk=claim.pk).assignee is None
    assert Revision.objects.filter(claim=claim).count() == 1


def test_choosing_nobody_to_assign_to_keeps_the_form(editor, claim):
    response = logged_in(editor).post(
        reverse("claim_assign", args=[claim.pk]), {"version": 1, "to": "chosen"}, **HTMX
    )

    assert response.status_code == 422
    assert "Choose who should hold the claim." in response.text
    assert Revision.objects.filter(claim=claim).count() == 1


# My desk -------------------------------------------------------------------------------------


def test_my_desk_lists_what_i_watch_and_hold_newest_change_first(editor, reporter, story):
    held, watched, other, both = (ClaimFactory(story=story, actor=reporter) for _ in range(4))
    services.claim_assign(claim=held, assignee=reporter, actor=editor)
    services.watch_set(user=reporter, watching=True, claim=watched)
    services.claim_assign(claim=both, assignee=reporter, actor=reporter)
    services.watch_set(user=reporter, watching=True, claim=both)
    services.claim_set_status(  # the newest change
        claim=watched, status="in_review", rationale="", actor=editor, expected_version=1
    )
    followed = StoryFactory(actor=editor, title="Flight PS752: the black boxes")
    services.watch_set(user=reporter, watching=True, story=followed)

    response = logged_in(reporter).get(MINE)

    assert response.status_code == 200
    assert listed(response) == [watched.pk, both.pk, held.pk]
    assert other.pk not in listed(response)
    item = re.search(rf'id="my-claim-{both.pk}">(.*?)</li>', response.text, re.S).group(1)
    assert "Assigned to you" in item and "Watching" in item
    assert "Flight PS752: the black boxes" in response.text
    assert 'href="/mine/"' in response.text  # the desk's navigation links to it


def test_my_desk_pages_with_keyset_cursors_sealed_to_the_user(reporter, editor, story):
    claims = [ClaimFactory(story=story, actor=reporter) for _ in range(30)]
    for claim in claims:
        services.watch_set(user=reporter, watching=True, claim=claim)
    for claim in claims[-3:]:
        services.watch_set(user=editor, watching=True, claim=claim)
    client = logged_in(reporter)

    first = client.get(MINE)
    found = re.search(r'rel="next" href="/mine/\?after=([^"]+)"', first.text).group(1)
    cursor = unquote(found)
    second = client.get(MINE, {"after": cursor})
    elsewhere = logged_in(editor).get(MINE, {"after": cursor})

    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert set(listed(first)) | set(listed(second)) == {claim.pk for claim in claims}
    # The reporter's cursor is not the editor's: their own list starts from the top.
    assert listed(elsewhere) == [claim.pk for claim in reversed(claims[-3:])]


def test_my_desk_leaves_out_hidden_claims_for_reporters(editor, reporter, story):
    claim = ClaimFactory(story=story, actor=reporter)
    services.watch_set(user=reporter, watching=True, claim=claim)
    services.claim_hide(claim=claim, actor=editor, expected_version=1)

    assert listed(logged_in(reporter).get(MINE)) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_my_desk_runs_a_constant_number_of_queries(
    reporter, editor, story, rows, django_assert_max_num_queries
):
    for n in range(rows):
        claim = ClaimFactory(story=story, actor=reporter)
        if n % 2:
            services.claim_assign(claim=claim, assignee=reporter, actor=editor)
        else:
            services.watch_set(user=reporter, watching=True, claim=claim)
        services.watch_set(user=reporter, watching=True, story=StoryFactory(actor=editor))
    client = logged_in(reporter)

    # The session, the user, their permissions (two), the page's claims, the stories.
    with django_assert_max_num_queries(6):
        response = client.get(MINE)

    assert len(listed(response)) == min(rows, 25)
