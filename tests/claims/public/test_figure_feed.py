"""A figure's feed, read as a feed reader reads it: an item per new report and per ruling on
one, newest first, in RSS 2.0, Atom 1.0 and JSON Feed 1.1."""

import json
from datetime import UTC, datetime

import feedparser
import pytest
from django.conf import settings

from claims import services
from claims.public.feeds import FORMATS
from sources.services import source_update
from tests.support.factories import FigureFactory, SourceFactory, StoryFactory
from tests.support.public import rule, ruled_report, toll_figure, toll_pair

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
OLD = "Canada says 63 of its citizens died when PS752 came down."
NEW = "Canada's foreign minister says 57 Canadians died on PS752, not 63."


def feed_url(figure, fmt: str) -> str:
    return f"/s/{figure.story.slug}/figures/{figure.pk}/feed.{fmt}"


def read(client, figure, fmt: str, query: str = ""):
    response = client.get(feed_url(figure, fmt) + query)
    assert response.status_code == 200, response.content[:300]
    if fmt == "json":
        return response, json.loads(response.content)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def items(feed) -> list:
    return feed["items"] if isinstance(feed, dict) else feed.entries


def titles(feed) -> list[str]:
    return [item["title"] for item in items(feed)]


@pytest.fixture
def toll(story, editor):
    old, new = toll_pair(story, editor)
    return old.figure, old, new


TOLL_TITLES = [
    f"Superseded: {OLD}, replaced by {NEW}",
    f"Confirmed: {NEW}",
    f"François-Philippe Champagne reports 57 people: {NEW}",
    f"Confirmed: {OLD}",
    f"Government of Canada reports 63 people: {OLD}",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_figure_feed_has_an_item_per_report_and_per_ruling_newest_first(client, toll, fmt):
    figure, old, new = toll

    _, feed = read(client, figure, fmt)

    assert titles(feed) == TOLL_TITLES
    links = [item["url"] if fmt == "json" else item.link for item in items(feed)]
    assert links == [f"{SITE}{c.get_public_url()}" for c in (old, new, new, old, old)]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_figure_feeds_are_valid_with_absolute_links_dates_and_stable_ids(
    client, toll, editor, fmt
):
    figure, old, new = toll

    response, parsed = read(client, figure, fmt)

    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    assert parsed.feed.title == "Canadian citizens killed on PS752: reports and rulings"
    assert parsed.feed.link == f"{SITE}{figure.get_public_url()}"
    assert all(entry.link.startswith(f"{SITE}/c/") for entry in parsed.entries)
    assert all(entry.published_parsed for entry in parsed.entries)
    assert parsed.entries[2].id == f"tag:127.0.0.1,2020:claimdesk/report/{new.pk}"
    assert parsed.entries[2].published_parsed[:3] == new.created_at.timetuple()[:3]
    assert "<strong>Source:</strong> François-Philippe Champagne" in parsed.entries[2].summary
    assert b'rel="self"' in response.content
    ids = [entry.id for entry in parsed.entries]
    ruled_report(figure, editor, value=55, text="A ministry list names 55 Canadians.")

    _, again = read(client, figure, fmt)
    assert [entry.id for entry in again.entries][-5:] == ids
    assert len(again.entries) == 7


def test_json_figure_feed_has_the_shape_of_json_feed_1_1(client, toll):
    figure, old, new = toll

    response, feed = read(client, figure, "json")

    assert response["Content-Type"].startswith("application/feed+json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITE}{feed_url(figure, 'json')}"
    assert feed["home_page_url"] == f"{SITE}{figure.get_public_url()}"
    assert feed["authors"] == [{"name": "Claimdesk Newsroom", "url": "https://claimdesk.example"}]
    report = feed["items"][2]
    assert report["id"] == f"tag:127.0.0.1,2020:claimdesk/report/{new.pk}"
    assert report["content_text"] == (
        f"Figure: Canadian citizens killed on PS752\nValue: 57 people\n"
        f"Source: François-Philippe Champagne\nClaim: {NEW}"
    )
    assert report["_claimdesk"] == {"claim_id": new.pk, "figure_id": figure.pk, "kind": "report"}
    assert report["tags"] == [figure.story.title]
    assert datetime.fromisoformat(report["date_published"]) == new.created_at
    assert feed["items"][0]["_claimdesk"]["new_status"] == "superseded"
    assert all(isinstance(i["id"], str) and i["content_text"] for i in feed["items"])


def test_a_move_to_in_review_is_no_item_of_the_figure_feed(client, toll, editor):
    figure, _, new = toll

    rule(new, "in_review", editor)

    _, feed = read(client, figure, "json")
    assert titles(feed) == TOLL_TITLES
    assert all(i["_claimdesk"].get("new_status") != "in_review" for i in feed["items"])


def test_figure_feed_filtered_by_a_verdict_has_only_those_rulings(client, toll):
    figure, _, _ = toll

    _, confirmed = read(client, figure, "json", "?status=confirmed")
    _, superseded = read(client, figure, "rss", "?status=superseded")
    refused = client.get(feed_url(figure, "atom") + "?status=in_review")

    assert titles(confirmed) == [f"Confirmed: {NEW}", f"Confirmed: {OLD}"]
    assert titles(superseded) == [TOLL_TITLES[0]]
    assert refused.status_code == 400


def test_a_hidden_report_and_its_rulings_are_absent_from_the_figure_feed(
    client, toll, editor, moderator
):
    figure, _, _ = toll
    leak = ruled_report(
        figure, editor, value=61, text="A leaked list says 61 Canadians died.",
        source=SourceFactory(name="Leaked list"),
    )  # fmt: skip
    etag = client.get(feed_url(figure, "rss"))["ETag"]

    services.claim_hide(claim=leak, actor=moderator, note="Unverifiable.")

    response = client.get(feed_url(figure, "rss"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"leaked list" not in response.content.lower()
    assert b"61 people" not in response.content
    assert titles(feedparser.parse(response.content)) == TOLL_TITLES


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_private_storys_figure_feed_is_the_same_404_as_a_missing_one(client, editor, fmt):
    private = StoryFactory(actor=editor, is_public=False, title="Desk only story")
    figure = toll_figure(private, editor)
    ruled_report(figure, editor, text="Canada says 63 of its citizens died.")

    private_response = client.get(feed_url(figure, fmt))
    missing = client.get(f"/s/{private.slug}/figures/999999/feed.{fmt}")

    assert private_response.status_code == missing.status_code == 404
    assert b"Canadian citizens" not in private_response.content
    assert b"63" not in private_response.content


def test_a_figure_with_only_hidden_reports_has_no_feed(client, story, editor, moderator):
    figure = FigureFactory(story=story, subject="Secret working figure", actor=editor)
    services.claim_hide(claim=ruled_report(figure, editor), actor=moderator)

    assert client.get(feed_url(figure, "json")).status_code == 404


def test_a_merged_figures_feed_redirects_to_the_one_it_was_merged_into(client, toll, editor):
    figure, _, _ = toll
    duplicate = FigureFactory(story=figure.story, subject="Canadian victims", actor=editor)
    ruled_report(duplicate, editor, value=57, text="Ottawa says 57 Canadians died.")
    services.figure_merge(figure=duplicate, into=figure, actor=editor, expected_version=1)

    response = client.get(feed_url(duplicate, "atom") + "?status=confirmed")

    assert response.status_code == 301
    assert response["Location"] == feed_url(figure, "atom") + "?status=confirmed"


def test_a_source_renamed_after_the_feed_was_cached_shows_its_new_name(client, toll, editor):
    figure, old, _ = toll
    etag = client.get(feed_url(figure, "json"))["ETag"]
    source = old.attributions.get().source

    source_update(source=source, actor=editor, name="Global Affairs Canada", kind=source.kind)

    response, feed = read(client, figure, "json")
    assert response["ETag"] != etag
    assert f"Global Affairs Canada reports 63 people: {OLD}" in titles(feed)


def test_unchanged_figure_feed_answers_304_after_three_queries(
    client, toll, django_assert_num_queries
):
    figure, _, _ = toll
    first = client.get(feed_url(figure, "rss"))

    # The story, the figure and the figure's marks.
    with django_assert_num_queries(3):
        by_etag = client.get(feed_url(figure, "rss"), HTTP_IF_NONE_MATCH=first["ETag"])
    with django_assert_num_queries(3):
        by_date = client.get(feed_url(figure, "rss"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    with django_assert_num_queries(3):
        cached = client.get(feed_url(figure, "rss"))

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag["Cache-Control"] == settings.CLAIMDESK_PUBLIC_CACHE_CONTROL
    assert cached.content == first.content


def test_figure_feed_query_count_does_not_grow_with_reports(
    client, story, editor, django_assert_num_queries
):
    figure = toll_figure(story, editor)
    ruled_report(figure, editor, value=63)
    # The story, the figure, its marks, then the reports and the rulings on them.
    with django_assert_num_queries(5):
        client.get(feed_url(figure, "atom"))
    for n in range(10):
        ruled_report(figure, editor, "unproven", value=50 + n, said_at=datetime(2020, 2, n + 1,
                     tzinfo=UTC))  # fmt: skip

    for fmt in FORMATS:
        with django_assert_num_queries(5):
            response = client.get(feed_url(figure, fmt))
        assert response.status_code == 200
    assert len(feedparser.parse(client.get(feed_url(figure, "rss")).content).entries) == 22
