"""What a reader sees of a story's figures: the public figure page with its series and step
chart, the story page's "How the figures changed", and the figure in a claim's trail."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.utils.html import escape

from claims import services
from claims.models import Claim
from tests.support.factories import ClaimFactory, FigureFactory, SourceFactory, StoryFactory
from tests.support.public import rule, ruled_report, toll_figure, toll_pair

pytestmark = pytest.mark.django_db

JAN = datetime(2020, 1, 1, tzinfo=UTC)


def now(shown: str) -> str:
    """The figure's current value as the page states it."""
    return f'<span class="muted">Now</span> <span class="figure-value">{shown}</span>'


def rows(body: str) -> list[str]:
    """The series table's rows, as text without markup, top to bottom."""
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]


def on(day: int, hour: int = 12) -> datetime:
    return JAN.replace(day=day, hour=hour)


@pytest.fixture
def toll(story, editor):
    old, new = toll_pair(story, editor)
    return old.figure, old, new


# The figure page --------------------------------------------------------------------------


def test_figure_page_shows_the_series_newest_first_with_its_current_value(client, toll):
    figure, old, new = toll

    response = client.get(figure.get_public_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="figure-heading">Canadian citizens killed on PS752</h1>' in body
    assert now("57 people") in body
    assert "as François-Philippe Champagne said on <time" in body
    assert rows(body) == [
        "57 people (current) François-Philippe Champagne 10 Jan 2020, 15:00 UTC Confirmed "
        + new.text,
        "63 people (replaced by a later report ) Government of Canada 8 Jan 2020, 21:00 UTC "
        "Superseded " + old.text,
    ]
    assert f'<a href="{new.get_public_url()}"><strong>57 people</strong></a>' in body
    assert f'replaced by <a href="{new.get_public_url()}">a later report</a>' in body
    assert f'<a href="/s/{figure.story.slug}/">{escape(figure.story.title)}</a>' in body


def test_figure_page_draws_the_step_chart_with_a_struck_mark_for_the_replaced_report(client, toll):
    figure, _, _ = toll

    body = client.get(figure.get_public_url()).content.decode()

    svg = body.split('<svg class="step-chart"', 1)[1].split("</svg>", 1)[0]
    assert "Canadian citizens killed on PS752: reports over time" in svg
    assert svg.count('class="sc-mark') == 2
    assert 'class="sc-mark sc-superseded struck"' in svg
    assert "63 people, Government of Canada, 8 Jan 2020, superseded" in svg
    assert "57 people, François-Philippe Champagne, 10 Jan 2020, confirmed" in svg
    assert "<script" not in body and "style=" not in body


def test_sources_that_disagree_are_named_with_their_values(client, story, editor):
    figure = FigureFactory(story=story, subject="People aboard PS752", actor=editor)
    for name, value, day in [("Ukraine International Airlines", 176, 8), ("Iran's CAO", 180, 9)]:
        ruled_report(
            figure, editor, "unproven", value=value, text=f"{name} says {value} were aboard.",
            source=SourceFactory(name=name), said_at=on(day),
        )  # fmt: skip

    body = client.get(figure.get_public_url()).content.decode()

    assert '<span class="badge disagree">Sources disagree</span>' in body
    clash = body.split('<ul class="clash">', 1)[1].split("</ul>", 1)[0]
    assert "<strong>Iran&#x27;s CAO</strong> says 180 people" in clash
    assert "<strong>Ukraine International Airlines</strong> says 176 people" in clash
    assert 'class="muted">Now</span>' not in body
    assert "(current)" not in body


def test_a_hidden_report_never_shows_on_the_figure_page(client, toll, editor, moderator):
    figure, old, new = toll
    client.get(figure.get_public_url())  # cached before the report is hidden
    hidden = ruled_report(
        figure, editor, value=61, text="A leaked list says 61 Canadians died.",
        source=SourceFactory(name="Leaked list"), said_at=on(11),
    )  # fmt: skip
    assert "61 people" in client.get(figure.get_public_url()).content.decode()

    services.claim_hide(claim=hidden, actor=moderator, note="Unverifiable leak.")

    body = client.get(figure.get_public_url()).content.decode()
    assert "61 people" not in body and "Leaked list" not in body and "leaked" not in body
    assert len(rows(body)) == 2
    assert now("57 people") in body


def test_a_private_storys_figure_is_the_same_404_as_a_missing_one(client, editor):
    private = StoryFactory(actor=editor, is_public=False, title="Desk only story")
    figure = toll_figure(private, editor)
    ruled_report(figure, editor, text="Canada says 63 of its citizens died.")

    responses = [
        client.get(f"/s/{private.slug}/figures/{figure.pk}/"),
        client.get(f"/s/no-such-story/figures/{figure.pk}/"),
        client.get(f"/s/{private.slug}/figures/999999/"),
    ]

    assert {r.status_code for r in responses} == {404}
    for response in responses:
        assert b"Canadian citizens" not in response.content
        assert b"63" not in response.content


def test_a_figure_is_reached_only_through_its_own_story(client, toll, editor):
    figure, _, _ = toll
    other = StoryFactory(actor=editor, title="Another public story")

    response = client.get(f"/s/{other.slug}/figures/{figure.pk}/")

    assert response.status_code == 404


def test_a_figure_with_no_report_a_reader_may_see_has_no_page(client, story, editor, moderator):
    bare = FigureFactory(story=story, subject="Desk-only working figure", actor=editor)
    figure = toll_figure(story, editor)
    report = ruled_report(figure, editor, text="Canada says 63 of its citizens died.")
    services.claim_hide(claim=report, actor=moderator)

    for each in (bare, figure):
        response = client.get(each.get_public_url())

        assert response.status_code == 404
        assert each.subject.encode() not in response.content


def test_a_merged_figure_redirects_to_the_one_it_was_merged_into(client, toll, editor):
    figure, _, _ = toll
    duplicate = FigureFactory(story=figure.story, subject="Canadian victims", actor=editor)
    ruled_report(duplicate, editor, value=57, text="Ottawa says 57 Canadians died.")
    services.figure_merge(figure=duplicate, into=figure, actor=editor, expected_version=1)

    response = client.get(duplicate.get_public_url())

    assert response.status_code == 301
    assert response["Location"] == figure.get_public_url()
    assert "Ottawa says 57" in client.get(figure.get_public_url()).content.decode()


def test_a_renamed_figure_shows_its_new_name_at_once(client, toll, editor):
    figure, _, _ = toll
    client.get(figure.get_public_url())

    services.figure_update(
        figure=figure, actor=editor, expected_version=figure.version,
        subject="Canadians killed when PS752 was shot down",
    )  # fmt: skip

    body = client.get(figure.get_public_url()).content.decode()
    assert '<h1 id="figure-heading">Canadians killed when PS752 was shot down</h1>' in body


def test_figure_page_lists_its_feeds_and_the_storys(client, toll):
    figure, _, _ = toll
    base = f"/s/{figure.story.slug}/figures/{figure.pk}/feed"

    body = client.get(figure.get_public_url()).content.decode()

    for fmt, mime in [("rss", "rss+xml"), ("atom", "atom+xml"), ("json", "feed+json")]:
        assert f'<link rel="alternate" type="application/{mime}" title="Canadian citizens ' in body
        assert f'href="{base}.{fmt}"' in body
        assert f'href="/stories/{figure.story.slug}/feed.{fmt}"' in body
        assert client.get(f"{base}.{fmt}").status_code == 200


def test_figure_page_query_count_does_not_grow_with_reports(
    client, story, editor, django_assert_num_queries
):
    figure = toll_figure(story, editor)
    ruled_report(figure, editor, value=63, said_at=on(8))
    # The figure with its story and marks, then (not cached yet) its reports.
    with django_assert_num_queries(2):
        assert client.get(figure.get_public_url()).status_code == 200
    for n in range(12):
        ruled_report(figure, editor, "unproven", value=60 + n, said_at=on(9 + n))

    with django_assert_num_queries(2):
        response = client.get(figure.get_public_url())
    with django_assert_num_queries(1):  # cached: the marks are the same
        again = client.get(figure.get_public_url())

    assert len(rows(response.content.decode())) == 13
    assert again.content == response.content


# The story page's figures -----------------------------------------------------------------


def test_story_page_shows_how_each_figure_changed(client, story, toll, editor):
    figure, old, new = toll
    aboard = FigureFactory(story=story, subject="People aboard PS752", actor=editor)
    ruled_report(aboard, editor, value=176, text="UIA says 176 people were aboard.", said_at=on(8))

    body = client.get(f"/s/{story.slug}/").content.decode()

    section = body.split('<h2 id="figures">How the figures changed</h2>', 1)[1]
    section = section.split('<ul class="claims">', 1)[0]
    assert f'<a href="{figure.get_public_url()}">Canadian citizens killed on PS752</a>' in section
    assert f'<a href="{aboard.get_public_url()}">People aboard PS752</a>' in section
    toll_part = section.split("Canadian citizens killed on PS752</a>", 1)[1].split("People", 1)[0]
    assert toll_part.index("57 people") < toll_part.index("63 people")
    assert now("57 people") in toll_part
    assert "François-Philippe Champagne, <time" in toll_part
    assert "10 January 2020, 15:00 UTC" in toll_part
    assert '<span class="badge confirmed">Confirmed</span>' in toll_part
    assert f'(replaced by <a href="{new.get_public_url()}">a later report</a>)' in toll_part
    assert now("176 people") in section


def test_story_page_names_a_disagreement_and_leaves_out_hidden_reports(
    client, story, editor, moderator
):
    figure = FigureFactory(story=story, subject="Missiles launched", unit="", actor=editor)
    ruled_report(figure, editor, "unproven", value=2, text="A US official says 2 missiles.",
                 source=SourceFactory(name="Anonymous US official"), said_at=on(9))  # fmt: skip
    ruled_report(figure, editor, "unproven", value=3, text="A blogger says 3 missiles.",
                 source=SourceFactory(name="A blogger"), said_at=on(10))  # fmt: skip
    client.get(f"/s/{story.slug}/")  # cached with the disagreement
    blogger = Claim.objects.get(text__startswith="A blogger")

    before = client.get(f"/s/{story.slug}/").content.decode()
    services.claim_hide(claim=blogger, actor=moderator)
    after = client.get(f"/s/{story.slug}/").content.decode()

    assert '<span class="badge disagree">Sources disagree</span>' in before
    assert "A blogger" in before
    assert "A blogger" not in after
    assert now("2") in after
    assert "as Anonymous US official said on" in after


def test_a_figure_with_only_hidden_reports_is_left_out_of_the_story_page(
    client, story, editor, moderator
):
    figure = FigureFactory(story=story, subject="Secret working figure", actor=editor)
    services.claim_hide(claim=ruled_report(figure, editor), actor=moderator)

    body = client.get(f"/s/{story.slug}/").content.decode()

    assert "How the figures changed" not in body
    assert "Secret working figure" not in body


def test_story_page_lists_each_figures_feeds(client, story, toll):
    figure, _, _ = toll
    base = f"/s/{story.slug}/figures/{figure.pk}/feed"

    body = client.get(f"/s/{story.slug}/").content.decode()

    head = body.split("</head>", 1)[0]
    for fmt in ("rss", "atom", "json"):
        assert f'href="{base}.{fmt}"' in head
        assert f'href="{base}.{fmt}"' in body.split("How the figures changed", 1)[1]


def test_story_page_figures_cost_two_queries_however_many_reports(
    client, story, editor, django_assert_num_queries
):
    figure = toll_figure(story, editor)
    ruled_report(figure, editor, value=63, said_at=on(8))
    # The story with its marks, the page of claims, the figures, their reports.
    with django_assert_num_queries(4):
        client.get(f"/s/{story.slug}/")
    other = FigureFactory(story=story, subject="People aboard PS752", actor=editor)
    for n in range(6):
        ruled_report(figure, editor, "unproven", value=50 + n, said_at=on(9 + n))
        ruled_report(other, editor, "unproven", value=170 + n, said_at=on(9 + n))

    with django_assert_num_queries(4):
        response = client.get(f"/s/{story.slug}/")

    assert response.content.decode().count('class="figure-series') == 2


# A report in the corrections trail --------------------------------------------------------


def test_a_reports_trail_names_its_figure_and_its_replacement_by_text(client, toll):
    figure, old, new = toll

    body = client.get(old.get_public_url()).content.decode()

    assert "Figure:\n              Canadian citizens killed on PS752" in body
    assert "Value:\n              63" in body
    assert "Approximation" not in body  # an exact value needs no word of its own
    assert (
        f'Replaced by:\n              <a href="{new.get_public_url()}">{escape(new.text)}</a>'
        in (body)
    )


def test_moving_a_report_to_another_figure_stays_off_the_public_trail(client, toll, editor):
    figure, old, new = toll
    duplicate = FigureFactory(story=figure.story, subject="Canadian victims", actor=editor)
    moved = ruled_report(duplicate, editor, value=57, text="Ottawa says 57 Canadians died.")
    services.figure_merge(figure=duplicate, into=figure, actor=editor, expected_version=1)
    moved.refresh_from_db()

    body = client.get(moved.get_public_url()).content.decode()

    assert moved.revisions.filter(kind="refiled").exists()
    assert "Moved to another figure" not in body
    assert body.count("Figure:") == 1  # when it was logged, under the figure merged away
    assert f'Reports <a href="{figure.get_public_url()}">' in body


def test_a_value_typo_fix_shows_in_the_trail_with_its_note_and_reopens(client, story, editor):
    figure = toll_figure(story, editor)
    report = ruled_report(figure, editor, value=75, text="Canada says 75 of its citizens died.")
    services.claim_edit(
        claim=report, actor=editor, expected_version=report.version,
        text="Canada says 57 of its citizens died.", value=57,
        note="We typed 75 for the minister's 57.",
    )  # fmt: skip
    report.refresh_from_db()

    body = client.get(report.get_public_url()).content.decode()

    assert "<strong>Figure typo corrected</strong>:" in body
    assert "Value:\n              75 → 57" in body
    assert "We typed 75 for the minister&#x27;s 57." in body
    assert "Confirmed → In review" in body
    assert rule(report, "confirmed", editor).status == "confirmed"


def test_a_claim_that_reports_no_figure_shows_no_figure_line(client, story, editor):
    claim = ClaimFactory(story=story, actor=editor, text="The plane turned back.")

    body = client.get(claim.get_public_url()).content.decode()

    assert "Reports <a" not in body
    assert "Figure:" not in body


def test_a_replaced_reports_page_names_its_figure_and_replacement_without_more_queries(
    client, toll, django_assert_max_num_queries
):
    figure, old, new = toll

    # As for any claim: its page's marks, the claim (with its story, figure and replacement),
    # attributions, evidence, trail, redactions, source renames, and the claims it replaced.
    with django_assert_max_num_queries(8):
        response = client.get(old.get_public_url())

    body = response.content.decode()
    assert f'Reports <a href="{figure.get_public_url()}">Canadian citizens killed on PS752</a>' in (
        body
    )
    assert f'<a href="{new.get_public_url()}">{escape(new.text)}</a>' in body
