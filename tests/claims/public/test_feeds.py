import json

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.http import http_date

from claims import services
from claims.models import Claim
from claims.public.feeds import FORMATS
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    ReportFactory,
    StoryFactory,
)
from tests.support.public import (
    attribute,
    rule,
    ruled_claim,
    ruled_report,
    toll_figure,
    toll_pair,
)

pytestmark = pytest.mark.django_db

XML_FORMATS = ("rss", "atom")


def parse(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    if url.split("?")[0].endswith(".json"):
        return response, json.loads(response.content)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def titles(feed) -> list[str]:
    items = feed["items"] if isinstance(feed, dict) else feed.entries
    return [item["title"] for item in items]


def ids(feed) -> list[str]:
    items = feed["items"] if isinstance(feed, dict) else feed.entries
    return [item["id"] for item in items]


TOLL = "Canada's foreign minister says 57 Canadians died on PS752."


@pytest.fixture
def toll(story, editor):
    return ruled_report(toll_figure(story, editor), editor, value=57, text=TOLL)


# What an item says ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_status_change_is_a_valid_feed_item_with_title_link_guid_and_category(
    client, story, toll, fmt
):
    response, parsed = parse(client, f"/feeds/status.{fmt}")

    entry = parsed.entries[0]
    assert entry.title == f"Confirmed: {TOLL}"
    assert entry.link == f"http://127.0.0.1:8000/c/{toll.pk}/{toll.slug}/"
    assert entry.id == f"tag:127.0.0.1,2020:claimdesk/revision/{toll.pk}/{toll.version}"
    assert [tag.term for tag in entry.tags] == [story.title]
    assert entry.published_parsed is not None
    assert "Unverified → Confirmed" in entry.summary
    assert "Ruled confirmed on the record." in entry.summary
    assert parsed.feed.link.startswith("http://127.0.0.1:8000/")


def test_atom_feed_has_tag_ids_an_author_and_updated_entries(client, toll):
    _, parsed = parse(client, "/feeds/status.atom")

    assert parsed.version == "atom10"
    assert parsed.feed.id.startswith("tag:127.0.0.1,2020:claimdesk/feed/")
    assert parsed.feed.author == "Claimdesk Newsroom"
    assert all(entry.id.startswith("tag:") for entry in parsed.entries)
    assert all(entry.updated_parsed for entry in parsed.entries)
    assert all(entry.author == "Claimdesk Newsroom" for entry in parsed.entries)


def test_rss_feed_is_rss_2_with_non_permalink_guids(client, toll):
    response, parsed = parse(client, "/feeds/status.rss")

    assert parsed.version == "rss20"
    assert response["Content-Type"].startswith("application/rss+xml")
    assert b'<guid isPermaLink="false">tag:' in response.content
    assert b'rel="self"' in response.content


def test_json_feed_has_the_required_fields_of_json_feed_1_1(client, story, toll):
    response, feed = parse(client, "/feeds/status.json")

    assert response["Content-Type"].startswith("application/feed+json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["feed_url"] == "http://127.0.0.1:8000/feeds/status.json"
    assert feed["home_page_url"].startswith("http://127.0.0.1:8000/")
    assert feed["authors"] == [{"name": "Claimdesk Newsroom", "url": "https://claimdesk.example"}]
    item = feed["items"][0]
    assert isinstance(item["id"], str) and item["id"].startswith("tag:")
    assert item["title"] == f"Confirmed: {TOLL}"
    assert "Status: Unverified → Confirmed" in item["content_text"]
    assert item["content_html"].startswith("<p>")
    assert item["url"] == f"http://127.0.0.1:8000{toll.get_public_url()}"
    assert item["tags"] == [story.title]
    assert item["_claimdesk"] == {
        "claim_id": toll.pk,
        "old_status": "unverified",
        "new_status": "confirmed",
    }
    assert all(isinstance(i["id"], str) and i["content_text"] for i in feed["items"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_supersession_is_an_item_naming_old_and_new(client, story, editor, fmt):
    old, new = toll_pair(story, editor)

    _, feed = parse(client, f"/feeds/status.{fmt}")

    assert titles(feed)[0] == (
        "Superseded: Canada says 63 of its citizens died when PS752 came down., replaced by "
        "Canada's foreign minister says 57 Canadians died on PS752, not 63."
    )
    assert ids(feed)[0] == f"tag:127.0.0.1,2020:claimdesk/revision/{old.pk}/{old.version}"


def test_status_changes_are_newest_first(client, story, editor):
    first = ruled_claim(story, editor, text="First ruling.")
    second = ruled_claim(story, editor, text="Second ruling.")

    _, feed = parse(client, "/feeds/status.json")

    assert titles(feed)[:2] == ["Confirmed: Second ruling.", "Confirmed: First ruling."]
    assert [i["_claimdesk"]["claim_id"] for i in feed["items"][:2]] == [second.pk, first.pk]


def test_control_characters_in_claim_text_do_not_break_xml_feeds(client, story, editor):
    ruled_claim(story, editor, text="Vertical\x0btab and form\x0cfeed \ufffe in a quote.")

    for fmt in XML_FORMATS:
        _, parsed = parse(client, f"/feeds/status.{fmt}")

        assert parsed.entries[0].title == "Confirmed: Verticaltab and formfeed in a quote."


def test_markup_in_claim_text_is_escaped_in_item_html(client, story, editor):
    ruled_claim(story, editor, text="<script>alert(1)</script> & <b>bold</b>")

    rss = client.get("/feeds/status.rss").content.decode()
    _, feed = parse(client, "/feeds/status.json")

    assert "&amp;lt;script&amp;gt;" in rss
    assert "<script>" not in feed["items"][0]["content_html"]
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in feed["items"][0]["content_html"]
    )
    assert feed["items"][0]["title"] == "Confirmed: <script>alert(1)</script> & <b>bold</b>"


# Scopes and filters -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_story_feed_has_only_that_storys_changes(client, story, editor, fmt):
    ruled_claim(story, editor, text="In this story.")
    ruled_claim(StoryFactory(actor=editor, title="Another story"), editor, text="Elsewhere.")

    _, feed = parse(client, f"/stories/{story.slug}/feed.{fmt}")

    assert titles(feed) == ["Confirmed: In this story."]


@pytest.mark.parametrize("fmt", FORMATS)
def test_claim_feed_has_only_that_claims_rulings(client, story, editor, fmt):
    claim = ruled_claim(story, editor, text="This claim.")
    ruled_claim(story, editor, text="Another claim.")
    rule(claim, "in_review", editor)
    rule(claim, "false", editor)

    _, feed = parse(client, f"/claims/{claim.pk}/feed.{fmt}")

    assert titles(feed) == ["False: This claim.", "Confirmed: This claim."]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_move_to_in_review_or_back_to_unverified_is_no_feed_item(client, story, editor, fmt):
    opened = ClaimFactory(story=story, actor=editor, text="Opened for review.")
    rule(opened, "in_review", editor)
    rule(opened, "unverified", editor)
    reopened = ruled_claim(story, editor, text="Ruled, then reopened.")
    rule(reopened, "in_review", editor)

    for url in ("/feeds/status", f"/stories/{story.slug}/feed", f"/claims/{reopened.pk}/feed"):
        _, feed = parse(client, f"{url}.{fmt}")

        assert not any(t.startswith(("In review", "Unverified")) for t in titles(feed)), url
        assert "Opened for review." not in str(titles(feed))
    assert titles(parse(client, f"/claims/{reopened.pk}/feed.{fmt}")[1]) == [
        "Confirmed: Ruled, then reopened."
    ]


def test_status_filter_keeps_only_that_status(client, story, editor):
    ruled_claim(story, editor, text="A falsehood.", status="false")
    ruled_claim(story, editor, text="A truth.", status="confirmed")

    for url in ("/feeds/status.json", f"/stories/{story.slug}/feed.json"):
        _, feed = parse(client, url + "?status=false")

        assert titles(feed) == ["False: A falsehood."]


def test_unknown_status_filter_is_a_400_with_a_clear_message(client, story, toll):
    response = client.get("/feeds/status.rss?status=bogus")

    assert response.status_code == 400
    assert "Unknown status filter" in response.content.decode()
    assert "confirmed" in response.content.decode()


@pytest.mark.parametrize("status", ["in_review", "unverified"])
def test_filtering_by_a_status_that_is_no_ruling_is_a_400_saying_so(client, story, toll, status):
    response = client.get(f"/stories/{story.slug}/feed.json?status={status}")

    assert response.status_code == 400
    assert f"“{status}” is not a ruling" in response.content.decode()
    assert "superseded" in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_of_a_private_story_is_the_same_404_as_a_missing_one(client, editor, fmt):
    private = StoryFactory(actor=editor, is_public=False, title="Desk only story")
    ruled_claim(private, editor, text="Secret ruling.")

    private_response = client.get(f"/stories/{private.slug}/feed.{fmt}")
    missing_response = client.get(f"/stories/no-such-story/feed.{fmt}")

    assert private_response.status_code == missing_response.status_code == 404
    assert private_response.content == missing_response.content.replace(
        b"no-such-story", private.slug.encode()
    )
    assert b"Secret ruling" not in private_response.content


def test_feed_of_a_hidden_or_private_claim_is_404(client, story, editor, moderator):
    hidden = ruled_claim(story, editor, text="Hidden ruling.")
    services.claim_hide(claim=hidden, actor=moderator)
    private = ruled_claim(StoryFactory(actor=editor, is_public=False), editor)

    for claim_id in (hidden.pk, private.pk, 999999):
        assert client.get(f"/claims/{claim_id}/feed.rss").status_code == 404


# Visibility changes -----------------------------------------------------------------------


def test_hiding_an_older_claim_drops_it_from_every_feed_at_once(client, story, editor, moderator):
    older = ruled_claim(story, editor, text="Older ruling, soon hidden.")
    ruled_claim(story, editor, text="Newest ruling.")
    feeds = [f"/feeds/status.{f}" for f in FORMATS] + [
        f"/stories/{story.slug}/feed.{f}" for f in FORMATS
    ]
    etags = {url: client.get(url)["ETag"] for url in feeds}

    services.claim_hide(claim=older, actor=moderator, note="Defamatory wording.")

    for url in feeds:
        response = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert response.status_code == 200, url
        assert b"Older ruling" not in response.content
        assert b"Newest ruling" in response.content


def test_unhidden_claim_comes_back_into_the_feed(client, story, editor, moderator):
    claim = ruled_claim(story, editor, text="Was hidden once.")
    ruled_claim(story, editor, text="Newest ruling.")
    services.claim_hide(claim=claim, actor=moderator)
    assert b"Was hidden once" not in client.get("/feeds/status.rss").content

    services.claim_unhide(claim=claim, actor=moderator)

    assert b"Was hidden once" in client.get("/feeds/status.rss").content


def test_story_made_private_drops_out_of_the_feeds(client, story, editor):
    ruled_claim(story, editor, text="Ruling in a story going private.")
    ruled_claim(StoryFactory(actor=editor), editor, text="Newest ruling elsewhere.")
    etag = client.get("/feeds/status.atom")["ETag"]

    services.story_set_public(story=story, is_public=False, actor=editor)

    response = client.get("/feeds/status.atom", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"going private" not in response.content
    assert b"Newest ruling elsewhere" in response.content
    assert client.get(f"/stories/{story.slug}/feed.atom").status_code == 404


def test_a_reopened_claims_old_verdict_keeps_the_words_it_rated(client, story, editor, toll):
    etag = client.get("/feeds/status.json")["ETag"]
    toll.refresh_from_db()

    services.claim_edit(
        claim=toll,
        actor=editor,
        expected_version=toll.version,
        text="Canada's foreign minister says 55 Canadians died on PS752.",
        value=55,
        note="The ministry's list has 55 names: our typo.",
    )

    response, feed = parse(client, "/feeds/status.json", HTTP_IF_NONE_MATCH=etag)
    assert response["ETag"] != etag
    assert titles(feed) == [f"Confirmed: {TOLL}"]
    assert "55 Canadians" not in response.content.decode()
    assert feed["items"][0]["url"].endswith(Claim.objects.get(pk=toll.pk).get_public_url())


def test_a_minor_edit_keeps_the_ruling_and_shows_the_new_words(client, story, editor, toll):
    client.get("/feeds/status.json")
    toll.refresh_from_db()

    services.claim_edit(
        claim=toll,
        actor=editor,
        expected_version=toll.version,
        text="Canada's foreign minister says 57 Canadians died on flight PS752.",
        note="Typo.",
        keep_ruling=True,
    )
    rule(toll, "false", editor)

    _, feed = parse(client, "/feeds/status.json")
    assert titles(feed) == [
        "False: Canada's foreign minister says 57 Canadians died on flight PS752.",
        f"Confirmed: {TOLL}",
    ]


def test_internal_notes_usernames_and_hidden_claims_never_appear_in_feeds(
    client, story, editor, moderator
):
    old, new = toll_pair(story, editor)
    services.note_add(claim=new, body="INTERNAL: call the ministry back", actor=editor)
    attribute(new, editor, quote="57 Canadians")
    hidden = ruled_claim(story, editor, text="Hidden claim text.")
    services.claim_hide(claim=hidden, actor=moderator, note="moderation reason")
    private = StoryFactory(actor=editor, is_public=False, title="Private story title")
    ruled_claim(private, editor, text="Private claim text.")

    bodies = [client.get(f"/feeds/status.{fmt}").content.decode() for fmt in FORMATS]
    bodies += [client.get(f"/stories/{story.slug}/feed.{fmt}").content.decode() for fmt in FORMATS]
    bodies += [client.get(f"/claims/{old.pk}/feed.{fmt}").content.decode() for fmt in FORMATS]

    for body in bodies:
        assert "foreign minister says 57 Canadians" in body
        for secret in (
            "INTERNAL",
            "Minister revised.",  # the supersession's revision note
            "moderation reason",
            "Hidden claim text",
            "Private claim text",
            "Private story title",
            editor.username,
            editor.email,
        ):
            assert secret not in body


# Conditional GET and caching --------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/feeds/status.rss", "/stories/{slug}/feed.atom", "/claims/{claim}/feed.json"]
)
def test_unchanged_feed_answers_304_after_one_query(
    client, story, toll, url, django_assert_max_num_queries
):
    url = url.format(slug=story.slug, claim=toll.pk)
    first = client.get(url)

    with django_assert_max_num_queries(1):
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    with django_assert_max_num_queries(1):
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_etag["Cache-Control"] == settings.CLAIMDESK_PUBLIC_CACHE_CONTROL


def test_feed_response_carries_validators_and_shared_cache_headers(client, toll):
    response = client.get("/feeds/status.rss")

    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"] == http_date(toll.status_changed_at.timestamp())
    assert response["Cache-Control"] == settings.CLAIMDESK_PUBLIC_CACHE_CONTROL
    assert response["Vary"] == "Accept-Encoding"
    assert not response.cookies


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_empty_feeds_are_valid_and_answer_304_when_unchanged(client, story, fmt):
    first = client.get(f"/feeds/status.{fmt}")
    story_feed = client.get(f"/stories/{story.slug}/feed.{fmt}")

    again = client.get(f"/feeds/status.{fmt}", HTTP_IF_NONE_MATCH=first["ETag"])

    for response in (first, story_feed):
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0
        assert parsed.entries == []
    assert again.status_code == 304


def test_head_request_gets_the_headers_without_a_body(client, toll):
    response = client.head("/feeds/status.atom")

    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == client.get("/feeds/status.atom")["ETag"]


def test_feeds_refuse_writes(client, toll):
    assert client.post("/feeds/status.rss").status_code == 405


def test_each_format_and_filter_has_its_own_etag(client, toll):
    etags = {client.get(f"/feeds/status.{fmt}")["ETag"] for fmt in FORMATS}
    etags.add(client.get("/feeds/status.rss?status=confirmed")["ETag"])

    assert len(etags) == 4


def test_new_status_change_makes_the_old_etag_answer_200_with_the_new_item(
    client, story, editor, toll
):
    etags = {fmt: client.get(f"/feeds/status.{fmt}")["ETag"] for fmt in FORMATS}

    ruled_claim(story, editor, text="A fresh ruling from another process.", status="false")

    for fmt in FORMATS:
        response = client.get(f"/feeds/status.{fmt}", HTTP_IF_NONE_MATCH=etags[fmt])
        assert response.status_code == 200
        assert b"A fresh ruling from another process." in response.content
        assert response["ETag"] != etags[fmt]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_NONE_MATCH": 'garbage, ,,"unterminated'},
        {"HTTP_IF_MODIFIED_SINCE": "yesterday-ish"},
        {"HTTP_IF_MODIFIED_SINCE": "Sun, 99 Foo 99999 99:99:99 GMT"},
        {"HTTP_IF_NONE_MATCH": "\x00\x01", "HTTP_IF_MODIFIED_SINCE": "\x00"},
    ],
)
def test_garbage_conditional_headers_are_ignored(client, toll, headers):
    response = client.get("/feeds/status.rss", **headers)

    assert response.status_code == 200
    assert b"foreign minister says 57 Canadians" in response.content


def test_if_modified_since_in_the_past_gets_the_full_feed(client, toll):
    response = client.get(
        "/feeds/status.rss", HTTP_IF_MODIFIED_SINCE=http_date(timezone.now().timestamp() - 86400)
    )

    assert response.status_code == 200


def _rule_many(story, editor, count: int) -> None:
    start = story.claims.count()
    for n in range(start, start + count):
        claim = ClaimFactory(story=story, actor=editor, text=f"Claim number {n}.")
        EvidenceFactory(claim=claim, actor=editor)
        services.claim_set_status(
            claim=claim, status="unproven", rationale="Not shown.", actor=editor, expected_version=2
        )


# The freshness query, the story or claim (if any), then one indexed query per item kind that
# the freshness found items of (here only status changes: no supersessions, no merges).
@pytest.mark.parametrize(("url", "queries"), [("/feeds/status", 2), ("/stories/{slug}/feed", 3)])
def test_full_feed_query_count_does_not_grow_with_items(
    client, story, editor, url, queries, django_assert_num_queries
):
    url = url.format(slug=story.slug)
    _rule_many(story, editor, 5)
    for fmt in FORMATS:
        with django_assert_num_queries(queries):
            response = client.get(f"{url}.{fmt}")
        assert response.content.count(b"Claim number") >= 5

    _rule_many(story, editor, 45)

    for fmt in FORMATS:
        with django_assert_num_queries(queries):
            response = client.get(f"{url}.{fmt}")
        assert b"Claim number 49." in response.content


def test_full_claim_feed_query_count_does_not_grow_with_items(
    client, story, editor, toll, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get(f"/claims/{toll.pk}/feed.rss")
    for _ in range(10):
        for status in ("false", "confirmed"):
            rule(toll, status, editor)

    with django_assert_num_queries(3):
        response = client.get(f"/claims/{toll.pk}/feed.rss")

    assert len(feedparser.parse(response.content).entries) == 21


def test_filtered_feed_reads_only_the_kinds_that_can_match(client, toll, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/feeds/status.rss?status=confirmed")

    assert b"foreign minister says 57 Canadians" in response.content


def test_fifty_newest_items_only(client, story, editor):
    _rule_many(story, editor, 52)

    _, feed = parse(client, "/feeds/status.json")

    assert len(feed["items"]) == 50
    assert feed["items"][0]["title"] == "Unproven: Claim number 51."


def test_unchanged_feed_is_served_from_the_cache_after_one_query(
    client, toll, django_assert_num_queries
):
    first = client.get("/feeds/status.atom")

    with django_assert_num_queries(1):
        again = client.get("/feeds/status.atom")

    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.redis
def test_feed_bodies_are_cached_in_redis_under_the_freshness_key(client, toll):
    from django.core.cache import caches
    from django_redis import get_redis_connection

    response = client.get("/feeds/status.rss")

    key = "public-feed:" + response["ETag"].strip('"')
    assert caches["default"].get(key)[1] == response.content
    assert get_redis_connection("default").exists(caches["default"].make_key(key))


def test_a_report_is_named_by_its_text_never_by_its_figure(client, story, editor):
    figure = FigureFactory(story=story, subject="Missiles launched", unit="", actor=editor)
    claim = ruled_report(figure, editor, value=2, text="A US official says Iran fired 2 missiles.")

    for url in ("/feeds/status", f"/claims/{claim.pk}/feed"):
        _, feed = parse(client, f"{url}.json")

        assert titles(feed) == ["Confirmed: A US official says Iran fired 2 missiles."]
        assert "Missiles launched" not in feed["items"][0]["content_text"]


def test_a_ruling_made_on_the_desk_shows_up_in_all_three_feeds(client, story, editor):
    claim = ReportFactory(
        figure=toll_figure(story, editor),
        actor=editor,
        value=57,
        text="57 Canadian citizens died on PS752.",
    )
    EvidenceFactory(claim=claim, actor=editor)
    claim.refresh_from_db()
    for fmt in FORMATS:
        parse(client, f"/feeds/status.{fmt}")  # cached before the ruling
    client.force_login(editor)

    response = client.post(
        f"/claims/{claim.pk}/status/",
        {"status": "confirmed", "rationale": "Global Affairs list.", "version": claim.version},
    )
    client.logout()

    assert response.status_code == 302
    for fmt in FORMATS:
        _, feed = parse(client, f"/feeds/status.{fmt}")
        assert any(title.startswith("Confirmed: ") and "57" in title for title in titles(feed))
