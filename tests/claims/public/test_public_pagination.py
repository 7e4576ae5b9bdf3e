"""The story index and story pages come a page at a time, newest first, with links a reader
(and a crawler) follows, and each page is cached under a key that changes with what it
shows."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import F, FloatField
from django.db.models.functions import Cast, Mod

from claims import services
from claims.lib.keyset import Cursor, Position, keyset_page
from claims.models import Claim
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db

CLAIM_LINK = re.compile(r'<a href="/c/\d+/[^"]*">([^<]+)</a>')
STORY_LINK = re.compile(r'<li><a href="/s/[^"]+/">([^<]+)</a>')


def make_claims(story, editor, count: int, start: int = 0) -> list[Claim]:
    return [
        ClaimFactory(story=story, actor=editor, text=f"Claim number {n}.")
        for n in range(start, start + count)
    ]


def numbers(body: str) -> list[int]:
    return [int(re.search(r"\d+", text).group()) for text in CLAIM_LINK.findall(body)]


def head_link(body: str, rel: str) -> str | None:
    head = body.split("</head>")[0]
    found = re.search(rf'<link rel="{rel}" href="([^"]+)">', head)
    return html.unescape(found.group(1)) if found else None


def visible_link(body: str, rel: str) -> str | None:
    main = body.split('<main id="main">')[1]
    found = re.search(rf'<a rel="{rel}" href="([^"]+)">([^<]+)</a>', main)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def long_story(story, editor):
    make_claims(story, editor, 120)
    return story


# Story pages ------------------------------------------------------------------------------


def test_a_story_with_120_claims_shows_50_a_page_newest_first_without_overlap(client, long_story):
    url = f"/s/{long_story.slug}/"

    first = client.get(url).content.decode()
    second = client.get(head_link(first, "next")).content.decode()
    third = client.get(head_link(second, "next")).content.decode()

    assert numbers(first) == list(range(119, 69, -1))
    assert numbers(second) == list(range(69, 19, -1))
    assert numbers(third) == list(range(19, -1, -1))
    assert head_link(first, "prev") is None
    assert head_link(third, "next") is None
    assert head_link(second, "next") == visible_link(second, "next")
    assert head_link(second, "prev") == visible_link(second, "prev")
    assert "Older claims</a>" in first and "Newer claims</a>" not in first
    assert "Newer claims</a>" in third and "Older claims</a>" not in third


def test_newer_links_lead_back_to_the_same_pages(client, long_story):
    url = f"/s/{long_story.slug}/"
    first = client.get(url).content.decode()
    second = client.get(head_link(first, "next")).content.decode()
    third = client.get(head_link(second, "next")).content.decode()

    back_to_second = client.get(visible_link(third, "prev")).content.decode()
    back_to_first = client.get(visible_link(back_to_second, "prev")).content.decode()

    assert numbers(back_to_second) == numbers(second)
    assert numbers(back_to_first) == numbers(first)
    assert head_link(back_to_first, "prev") is None
    assert head_link(back_to_first, "next") == head_link(first, "next")


def test_an_edited_claim_moves_to_the_top_of_the_first_page(client, long_story, editor):
    oldest = long_story.claims.get(text="Claim number 0.")
    services.claim_edit(claim=oldest, actor=editor, expected_version=1, text="Claim number 500.")

    body = client.get(f"/s/{long_story.slug}/").content.decode()

    assert numbers(body)[:2] == [500, 119]
    assert len(numbers(body)) == 50


@pytest.mark.parametrize(
    "query",
    [
        "?after=garbage",
        "?before=garbage",
        "?after=",
        "?after=~",
        "?after=%00%7E",
        "?after=2025-01-01T00:00:00%2B00:00_5",  # the desk queue's unsealed kind
        "?after=0.5_2025-01-01T00:00:00%2B00:00_5",
        "?before=" + "9" * 500,
        "?after=9999-12-31T23:59:59%2B00:00_1~0000000000000000",
    ],
)
def test_a_malformed_cursor_gives_the_first_page(client, long_story, query):
    url = f"/s/{long_story.slug}/"
    first = client.get(url)

    response = client.get(url + query)

    assert response.status_code == 200
    assert response.content == first.content


def test_a_cursor_of_another_story_or_tampered_with_gives_the_first_page(client, story, editor):
    other = StoryFactory(actor=editor, title="Another story")
    for n in range(60):  # the two stories' claims interleave in time
        make_claims(story, editor, 1, start=n)
        make_claims(other, editor, 1, start=1000 + n)
    foreign = head_link(client.get(f"/s/{other.slug}/").content.decode(), "next")
    url = f"/s/{story.slug}/"
    first = client.get(url).content.decode()
    own = parse_qs(urlsplit(head_link(first, "next")).query)["after"][0]
    cursor = Cursor.decode(own.rsplit("~", 1)[0])
    tampered = own.replace(f"_{cursor.id}~", f"_{cursor.id - 10}~")

    from_other_story = client.get(url + "?" + urlsplit(foreign).query)
    tampered_with = client.get(url, {"after": tampered})
    genuine = client.get(url, {"after": own})

    assert numbers(from_other_story.content.decode()) == numbers(first)
    assert numbers(tampered_with.content.decode()) == numbers(first)
    assert numbers(genuine.content.decode()) == list(range(9, -1, -1))


def test_a_cursor_past_every_claim_gives_the_first_page(client, story, editor, moderator):
    claims = make_claims(story, editor, 51)
    first = client.get(f"/s/{story.slug}/").content.decode()
    services.claim_hide(claim=claims[0], actor=moderator)  # the only claim on page two

    response = client.get(head_link(first, "next"))

    assert numbers(response.content.decode()) == list(range(50, 0, -1))


def test_story_pages_read_a_constant_number_of_queries(
    client, story, editor, django_assert_max_num_queries
):
    # The story, its page of claims and, on the first page only, the story's figures.
    make_claims(story, editor, 3)
    with django_assert_max_num_queries(3):
        client.get(f"/s/{story.slug}/")
    make_claims(story, editor, 150, start=3)

    with django_assert_max_num_queries(3):
        first = client.get(f"/s/{story.slug}/").content.decode()
    with django_assert_max_num_queries(2):
        second = client.get(head_link(first, "next")).content.decode()
    with django_assert_max_num_queries(4):  # back to fewer than a page: the first page
        back = client.get(head_link(second, "prev")).content.decode()
    with django_assert_max_num_queries(1):  # cached
        again = client.get(head_link(first, "next")).content.decode()

    assert len(numbers(first)) == len(numbers(second)) == 50
    assert again == second
    assert back == first


# The page cache ---------------------------------------------------------------------------


def test_a_cached_story_page_is_one_query_and_changes_when_a_claim_is_hidden_or_edited(
    client, long_story, editor, moderator, django_assert_max_num_queries
):
    first_url = f"/s/{long_story.slug}/"
    second_url = head_link(client.get(first_url).content.decode(), "next")
    before = client.get(second_url).content.decode()
    on_second = long_story.claims.get(text="Claim number 60.")
    on_first = long_story.claims.get(text="Claim number 100.")
    with django_assert_max_num_queries(1):
        assert client.get(second_url).content.decode() == before

    services.claim_hide(claim=on_second, actor=moderator)
    after_hiding = client.get(second_url).content.decode()
    services.claim_edit(claim=on_first, actor=editor, expected_version=1, text="Reworded 100.")
    after_editing = client.get(first_url).content.decode()

    assert "Claim number 60." in before
    assert "Claim number 60." not in after_hiding
    assert "Claim number 19." in after_hiding  # the first claim of page three moves up
    assert "Reworded 100." in after_editing
    assert "Claim number 100." not in after_editing


def test_a_cached_story_page_changes_when_the_story_or_a_ruling_changes(
    client, story, editor, moderator
):
    claim = ClaimFactory(story=story, actor=editor, text="A claim to rule on.")
    url = f"/s/{story.slug}/"
    client.get(url)

    services.story_update(
        story=story, actor=editor, title="A new title", description="", is_public=True
    )
    retitled = client.get(url).content.decode()
    services.claim_set_status(
        claim=claim, status="in_review", rationale="", actor=editor, expected_version=1
    )
    ruled = client.get(url).content.decode()
    services.story_set_public(story=story, is_public=False, actor=editor)
    private = client.get(url)

    assert "<h1>A new title</h1>" in retitled
    assert '<span class="badge in_review">In review</span>' in ruled
    assert private.status_code == 404


# Story index ------------------------------------------------------------------------------


def test_story_index_shows_50_stories_a_page_newest_first(
    client, editor, django_assert_max_num_queries
):
    for n in range(60):
        StoryFactory(actor=editor, title=f"Story number {n}")
    StoryFactory(actor=editor, title="A private story", is_public=False)

    with django_assert_max_num_queries(2):
        first = client.get("/s/").content.decode()
    with django_assert_max_num_queries(2):
        second = client.get(head_link(first, "next")).content.decode()

    assert STORY_LINK.findall(first) == [f"Story number {n}" for n in range(59, 9, -1)]
    assert STORY_LINK.findall(second) == [f"Story number {n}" for n in range(9, -1, -1)]
    assert "Older stories</a>" in first
    assert "Newer stories</a>" in second and head_link(second, "next") is None


def test_cached_story_index_changes_when_a_story_is_published_or_withdrawn(
    client, story, editor, django_assert_max_num_queries
):
    client.get("/s/")
    with django_assert_max_num_queries(1):
        client.get("/s/")

    StoryFactory(actor=editor, title="Freshly public")
    services.story_set_public(story=story, is_public=False, actor=editor)
    body = client.get("/s/").content.decode()

    assert "Freshly public" in body
    assert story.title not in body


# The keyset helper, as the desk queue's relevance ranking would use it --------------------


def test_ranked_pages_walk_rank_then_time_then_id_without_overlap(story, editor):
    make_claims(story, editor, 25)
    ranked = Claim.objects.filter(story=story).annotate(rank=Cast(Mod(F("id"), 3), FloatField()))
    position = Position(ranked=True)
    seen = []

    while True:
        page = keyset_page(ranked, position, limit=7)
        seen.extend(page.rows)
        if not page.next_cursor:
            break
        position = Position.read(after=page.next_cursor, before="", ranked=True)

    expected = sorted(ranked, key=lambda c: (c.rank, c.changed_at, c.id), reverse=True)
    assert [c.pk for c in seen] == [c.pk for c in expected]
