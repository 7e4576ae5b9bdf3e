"""Live awareness: the claim page's and the queue's polls, and presence on a claim."""

import html
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.desk import presence
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def claim(story, reporter):
    return ClaimFactory(story=story, actor=reporter, text="PS752 was brought down by a missile.")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def poll_of(response) -> tuple[str, str]:
    """The next poll's URL and the ETag it sends, from an answer's poll element."""
    body = response.content.decode()
    element = re.search(r'<div id="live-(?:claim|queue)-poll"[^>]*>', body).group(0)
    url = html.unescape(re.search(r'hx-get="([^"]+)"', element).group(1))
    etag = re.search(r'If-None-Match": "\\"([0-9a-f]+)\\""', element).group(1)
    assert response["ETag"] == f'"{etag}"'
    return url, etag


def first_poll(client, claim):
    return client.get(reverse("claim_live", args=[claim.pk]), {"since": claim.version}, **HTMX)


def again(client, response, **headers):
    url, etag = poll_of(response)
    return client.get(url, HTTP_IF_NONE_MATCH=f'"{etag}"', **HTMX, **headers)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# The claim page


def test_claim_page_has_the_live_region_and_a_reload_link_without_javascript(client, editor, claim):
    client.force_login(editor)

    body = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    poll = f'hx-get="{reverse("claim_live", args=[claim.pk])}?since={claim.version}"'
    assert poll in body
    assert 'hx-swap="none"' in body  # the poll never swaps a form
    noscript = re.search(r"<noscript>.*?</noscript>", body, re.S).group(0)
    assert f'href="{reverse("claim_detail", args=[claim.pk])}">Reload</a>' in noscript


def test_unchanged_claim_answers_304_from_one_query(editor, claim, django_assert_num_queries):
    client = client_for(editor)
    first = first_poll(client, claim)
    assert first.status_code == 200

    with django_assert_num_queries(1):
        unchanged = again(client, first)

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    assert "no-cache" in unchanged["Cache-Control"]


def test_changed_claim_names_who_changed_what(editor, reporter, claim):
    watching = client_for(reporter)
    first = first_poll(watching, claim)

    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )
    changed = again(watching, first)

    assert changed.status_code == 200
    assert "eddie set the status to In review · 0 s ago" in text_of(changed)
    assert "Show the new version" in text_of(changed)
    assert f'href="{reverse("claim_detail", args=[claim.pk])}"' in changed.content.decode()
    # Only the live region's own elements are replaced, never a form.
    assert "<form" not in changed.content.decode()
    replaced = re.findall(r'id="([\w-]+)" hx-swap-oob', changed.content.decode())
    assert set(replaced) == {"live-claim-poll", "live-presence", "live-changes"}
    assert again(watching, changed).status_code == 304


def test_my_own_changes_raise_no_banner(editor, claim):
    client = client_for(editor)
    first = first_poll(client, claim)

    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )
    answer = again(client, first)

    assert answer.status_code == 200
    assert "set the status" not in text_of(answer)
    assert "Show the new version" not in text_of(answer)


def test_show_the_new_version_answers_the_claim_parts_but_no_form(editor, reporter, claim):
    watching = client_for(reporter)
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )

    shown = watching.get(reverse("claim_live", args=[claim.pk]), {"since": 1, "show": 1}, **HTMX)

    body = shown.content.decode()
    assert shown.status_code == 200
    assert re.search(r'id="claim-state"[^>]*hx-swap-oob="true"', body)
    assert re.search(r'id="claim-timeline"[^>]*hx-swap-oob="true"', body)
    assert "<form" not in body
    assert f"Showing version {claim.version + 1}" in text_of(shown)
    url, _ = poll_of(shown)
    assert f"since={claim.version + 1}" in url


def test_poll_is_for_the_desk_only(client, claim):
    anonymous = client.get(reverse("claim_live", args=[claim.pk]), {"since": 1})

    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_a_token_from_another_session_goes_the_whole_way(editor, reporter, claim):
    first = first_poll(client_for(editor), claim)
    url, etag = poll_of(first)

    other = client_for(reporter).get(url, HTTP_IF_NONE_MATCH=f'"{etag}"', **HTMX)

    # The ETag and token were the editor's session's: the reporter gets a full answer of
    # their own, in which the editor is present.
    assert other.status_code == 200
    assert "eddie is here" in text_of(other)


def test_hidden_claim_poll_is_404_for_a_reporter(editor, reporter, moderator, claim):
    services.claim_hide(claim=claim, actor=moderator, expected_version=claim.version)

    answer = first_poll(client_for(reporter), claim)

    assert answer.status_code == 404


# Presence


def test_presence_shows_the_others_never_me_and_expires(editor, reporter, claim):
    editors, reporters = client_for(editor), client_for(reporter)
    first_poll(editors, claim)

    mine = first_poll(reporters, claim)
    assert "eddie is here" in text_of(mine)
    assert "rita" not in text_of(mine)
    assert "rita is here" in text_of(first_poll(editors, claim))

    # The editor's page stops polling: their mark is older than the presence window.
    marks = cache.get(presence.presence_key(claim.pk))
    name, _ = marks[editor.pk]
    marks[editor.pk] = (name, time.time() - presence.PRESENCE_SECONDS - 1)
    cache.set(presence.presence_key(claim.pk), marks, presence.PRESENCE_SECONDS)
    gone = again(reporters, mine)

    assert gone.status_code == 200  # what the page shows changed
    assert "is here" not in text_of(gone)


def test_presence_key_expires_with_the_last_poll(editor, claim):
    first_poll(client_for(editor), claim)

    cache.delete(presence.presence_key(claim.pk))  # as Redis does PRESENCE_SECONDS later

    assert presence.claim_presence(claim_id=claim.pk, user_id=0, username="x") == []


def test_here_phrase_names_a_few():
    assert presence.here_phrase([]) == ""
    assert presence.here_phrase(["eddie"]) == "eddie is here"
    assert presence.here_phrase(["eddie", "olga"]) == "eddie and olga are here"
    assert presence.here_phrase(list("abcde")) == "a, b and 3 others are here"


# The queue


def queue_poll(client, since: str, **params):
    return client.get(reverse("queue_live"), {"since": since, **params}, **HTMX)


def test_queue_has_the_live_region_and_a_reload_link(client, editor, claim):
    client.force_login(editor)

    body = client.get(reverse("review_queue"), {"status": "unverified"}).content.decode()

    assert 'id="live-queue-poll"' in body
    assert re.search(r'hx-get="/desk/review/live/\?status=unverified&amp;since=', body) or (
        "review/live/?status=unverified" in body
    )
    assert re.search(r"<noscript>.*Reload</a>.*</noscript>", body, re.S)


def test_unchanged_queue_answers_304_from_one_query(editor, claim, django_assert_num_queries):
    client = client_for(editor)
    first = queue_poll(client, claim.changed_at.isoformat())
    assert first.status_code == 200

    with django_assert_num_queries(1):
        unchanged = again(client, first)

    assert unchanged.status_code == 304


def test_queue_counts_changes_since_it_was_rendered_within_its_filters(
    editor, reporter, story, claim
):
    elsewhere = ClaimFactory(story=StoryFactory(actor=editor), actor=reporter)
    client = client_for(editor)
    since = timezone.now().isoformat()
    everything = queue_poll(client, since)
    this_story = queue_poll(client, since, story=story.slug)
    assert "new change" not in text_of(everything)

    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )
    services.note_add(claim=elsewhere, body="not a change of the claim", actor=editor)
    services.claim_assign(
        claim=elsewhere, assignee=editor, actor=editor, expected_version=elsewhere.version
    )
    moved = again(client, this_story)

    assert moved.status_code == 200
    assert "1 new change — show" in text_of(moved)
    link = re.search(r'<a class="live-banner" href="([^"]+)"', moved.content.decode()).group(1)
    assert html.unescape(link) == f"{reverse('review_queue')}?story={story.slug}"
    assert "2 new changes — show" in text_of(again(client, everything))


def test_queue_poll_is_for_the_desk_only(client):
    assert queue_poll(client, "2020-01-01T00:00:00+00:00").status_code == 302


def test_full_answers_run_a_few_queries(editor, reporter, claim, django_assert_max_num_queries):
    watching = client_for(reporter)
    first = first_poll(watching, claim)
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=claim.version
    )

    # The session, the user, their permissions (two), the claim, its new revisions and
    # their redactions (two).
    with django_assert_max_num_queries(8):
        assert again(watching, first).status_code == 200
    # When any claim last changed, the session, the user, their permissions, the queue's
    # filter choices (cached for a minute: three) and the count.
    with django_assert_max_num_queries(9):
        assert queue_poll(watching, timezone.now().isoformat()).status_code == 200
