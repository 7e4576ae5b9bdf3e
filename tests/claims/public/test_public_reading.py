"""What readers read on the public pages: a replacement named by its words and link in the
corrections trail, no doubled full stops, list bullets kept inside their cards, and the story
index with each story's latest ruling."""

import re
from datetime import UTC, datetime
from html import escape, unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from claims import services
from claims.models import Revision
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory
from tests.support.public import toll_pair

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[^>]+>")
# A full stop, then (past spaces and markup) another: "not 63.</a>." or "died. ."
DOUBLE_STOP = re.compile(r"\.\s*\.(?!\.)")


def reader_text(html: str) -> str:
    """The words a reader sees: markup, scripts and the head dropped."""
    body = html.split("<body>", 1)[-1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(TAG.sub("", body)))


def test_the_trail_names_the_replacement_by_its_words_and_link(client, story, editor):
    old, new = toll_pair(story, editor)

    body = client.get(old.get_public_url()).content.decode()

    trail = body.split('id="trail"')[1].split("</section>")[0]
    link = f'<a href="{new.get_public_url()}">{escape(new.text)}</a>'
    assert f"Replaced by:\n              {link}" in trail
    assert "Replaced by: Canada's foreign minister says 57 Canadians died" in reader_text(body)
    assert "— →" not in reader_text(trail) and f"→ {new.pk}" not in reader_text(trail)
    assert "Rationale: Ruled confirmed on the record." in reader_text(trail)  # a first rationale
    assert f'<p class="replacement">Replaced by: {link}</p>' in body


def test_the_trail_of_a_merged_claim_names_what_it_was_merged_into(client, story, editor, reporter):
    keep = ClaimFactory(story=story, actor=reporter, text="Iran says a missile hit the plane.")
    repeat = ClaimFactory(story=story, actor=reporter, text="Iran admits a missile hit it.")
    services.claim_merge(claim=repeat, into=keep, actor=editor, expected_version=1)

    body = client.get(repeat.get_public_url()).content.decode()

    trail = reader_text(body.split('id="trail"')[1].split("</section>")[0])
    assert "Replaced by: Iran says a missile hit the plane." in trail
    assert "— →" not in trail and f"→ {keep.pk}" not in trail


def test_no_public_page_doubles_a_full_stop(client, story, editor, reporter):
    old, new = toll_pair(story, editor)
    ruled = ClaimFactory(story=story, actor=reporter, text="Iran shot the plane down by mistake.")
    EvidenceFactory(claim=ruled, actor=reporter)
    services.claim_set_status(
        claim=ruled,
        status="confirmed",
        rationale="Iran's armed forces said so on 11 January.",
        actor=editor,
        expected_version=2,
    )
    urls = [
        reverse("public_story_index"),
        reverse("public_story", args=[story.slug]),
        old.get_public_url(),
        new.get_public_url(),
        ruled.get_public_url(),
        old.figure.get_public_url(),
    ]

    pages = {url: client.get(url) for url in urls}

    for url, response in pages.items():
        assert response.status_code == 200, url
        text = reader_text(response.content.decode())
        assert not DOUBLE_STOP.search(text), (url, DOUBLE_STOP.search(text).group(0))


def test_lists_keep_their_bullets_inside_their_cards(client, story):
    body = client.get(reverse("public_story", args=[story.slug])).content.decode()
    css = (Path(settings.BASE_DIR) / "static" / "css" / "public.css").read_text()

    assert '<link rel="stylesheet" href="/static/css/public.css">' in body
    assert "main .card ul, main .card ol { padding-left: 1.4rem; margin-left: 0; }" in css
    assert "style=" not in body  # the strict CSP allows no inline styles


def test_the_index_lists_stories_with_their_latest_ruling(client, editor, reporter):
    ruled_story = StoryFactory(actor=editor, title="PS752 downed near Tehran")
    quiet_story = StoryFactory(actor=editor, title="A story without rulings")
    claim = ClaimFactory(story=ruled_story, actor=reporter, text="The plane was shot down.")
    EvidenceFactory(claim=claim, actor=reporter)
    services.claim_set_status(
        claim=claim, status="confirmed", rationale="Iran said so.", actor=editor, expected_version=2
    )
    ruling = Revision.objects.get(claim=claim, kind="status")
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=3
    )
    ClaimFactory(story=quiet_story, actor=reporter, text="Unruled claim.")

    body = client.get("/s/").content.decode()

    ruled_item = body.split(f"/s/{ruled_story.slug}/")[1].split("</li>")[0]
    quiet_item = body.split(f"/s/{quiet_story.slug}/")[1].split("</li>")[0]
    assert f'latest ruling <time datetime="{ruling.created_at.isoformat()}">' in ruled_item
    assert "no ruling yet" in quiet_item


def test_the_index_ruling_time_leaves_out_hidden_claims_and_the_cache_follows(
    client, editor, reporter, moderator
):
    story = StoryFactory(actor=editor, title="PS752")
    claim = ClaimFactory(story=story, actor=reporter, text="The plane was shot down.")
    EvidenceFactory(claim=claim, actor=reporter)
    services.claim_set_status(
        claim=claim, status="false", rationale="No.", actor=editor, expected_version=2
    )
    before = client.get("/s/").content.decode()

    services.claim_hide(claim=claim, actor=moderator)
    after = client.get("/s/").content.decode()

    assert "latest ruling" in before
    assert "latest ruling" not in after and "no ruling yet" in after


def test_the_index_costs_the_same_queries_however_many_stories_and_rulings(
    client, editor, reporter, django_assert_num_queries
):
    for n in range(5):
        story = StoryFactory(actor=editor, title=f"Story {n}")
        claim = ClaimFactory(story=story, actor=reporter, text=f"Claim {n}.")
        EvidenceFactory(claim=claim, actor=reporter)
        services.claim_set_status(
            claim=claim, status="false", rationale="No.", actor=editor, expected_version=2
        )

    # The cache marks, then the page of stories with their latest rulings.
    with django_assert_num_queries(2):
        first = client.get("/s/").content.decode()
    with django_assert_num_queries(1):
        client.get("/s/")

    assert first.count("latest ruling <time") == 5


def test_index_dates_read_in_utc_with_the_zone_named(client, editor, reporter):
    story = StoryFactory(actor=editor, title="PS752")
    claim = ClaimFactory(story=story, actor=reporter, text="Shot down.")
    EvidenceFactory(claim=claim, actor=reporter)
    services.claim_set_status(
        claim=claim, status="false", rationale="No.", actor=editor, expected_version=2
    )
    ruled_at = Revision.objects.get(claim=claim, kind="status").created_at.astimezone(UTC)

    body = client.get("/s/").content.decode()

    assert f"{ruled_at:%-d %B %Y, %H:%M} UTC</time>" in body
    assert ruled_at.year >= datetime(2020, 1, 1, tzinfo=UTC).year
