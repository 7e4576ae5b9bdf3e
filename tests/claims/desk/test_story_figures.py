"""A story's figures on the desk: the story page's list with what each stands at, a new claim
that reports one (or names a new one), and a report's figure on its claim page and in the
queue."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims.models import Claim, Figure
from tests.claims.desk.figure_helpers import HTMX, JAN_10, figure_url, report, rule, toll
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db


def figures_section(html: str) -> str:
    return html.split('id="figures-heading"')[1].split("</section>")[0]


def test_story_page_lists_each_figure_with_its_value_and_number_of_reports(
    client, editor, reporter, story
):
    figure = toll(story, reporter)
    first = report(figure, reporter, 63, "Government of Canada")
    newer = report(figure, editor, 57, "François-Philippe Champagne", said_at=JAN_10,
                   supersedes=first, supersedes_version=first.version)  # fmt: skip
    toll(story, reporter, subject="Missiles launched at PS752", unit="missiles")
    client.force_login(reporter)

    html = client.get(story.get_absolute_url()).content.decode()

    section = figures_section(html)
    assert f'<a href="{figure_url(figure)}">Canadian citizens killed on PS752</a>' in section
    assert "· 2 reports</span>" in section
    assert '<span class="figure-value">57 people</span>' in section
    assert f'<a href="/claims/{newer.pk}/">claim #{newer.pk}</a>' in section
    assert "Missiles launched at PS752" in section and "No reports yet." in section
    assert "(Canadian citizens killed on PS752: 57 people)" in html  # in the claim list


def test_sources_that_disagree_are_named_with_a_prompt_to_rule(client, reporter, story):
    figure = toll(story, reporter, subject="People aboard PS752")
    a = report(figure, reporter, 176, "Ukraine International Airlines", text="UIA: 176 aboard.")
    b = report(figure, reporter, 180, "Iranian state TV", said_at=JAN_10, text="180 aboard.")
    client.force_login(reporter)

    section = figures_section(client.get(story.get_absolute_url()).content.decode())

    assert '<span class="badge disagree">Sources disagree</span>' in section
    assert "<strong>Ukraine International Airlines</strong> says 176 people" in section
    assert "<strong>Iranian state TV</strong> says 180 people" in section
    prompt = section.split('class="prompt"')[1].split("</p>")[0]
    assert "rule it disputed" in prompt
    assert re.findall(r'href="/claims/(\d+)/"', prompt) == [str(b.pk), str(a.pk)]


def test_a_figure_whose_reports_all_fell_says_no_value_stands(client, editor, story):
    figure = toll(story, editor, subject="Missiles launched at PS752", unit="missiles")
    rule(report(figure, editor, 2, "Anonymous US official", text="Two missiles hit PS752."),
         editor, "false")  # fmt: skip
    client.force_login(editor)

    section = figures_section(client.get(story.get_absolute_url()).content.decode())

    assert "No standing value: every report was superseded or ruled false" in section
    assert "figure-value" not in section


@pytest.mark.parametrize("reports", [1, 6])
def test_story_page_runs_a_fixed_number_of_queries(
    client, editor, reporter, story, reports, django_assert_num_queries
):
    for f in range(3):
        figure = toll(story, reporter, subject=f"Figure number {f}")
        for n in range(reports):
            report(figure, reporter, 10 + n, f"Source {n}", said_at=JAN_10.replace(day=1 + n),
                   text=f"Source {n} says {10 + n}.")  # fmt: skip
    ClaimFactory(story=story, actor=reporter)
    client.force_login(editor)

    # Session, user, two permission reads, story, its claims, status counts, status
    # events, who holds what, whether the user follows it, the figures and their reports.
    cache.clear()  # cold, as on every backend: no session or permissions cached
    with django_assert_num_queries(12):
        response = client.get(story.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="figure-item') == 3
    assert html.count(">(Figure number ") == 3 * reports


# A new claim that reports a figure --------------------------------------------------------------


def claim_form(**fields) -> dict:
    return {"text": "Canada says 63 of its citizens died.", "figure": "", "new_subject": "",
            "new_kind": "count", "new_unit": "", "value": "", "approximation": "exact",
            "value_high": "", "note": "", **fields}  # fmt: skip


def test_new_claim_reports_a_value_of_one_of_the_storys_figures(client, reporter, story):
    figure = toll(story, reporter)
    client.force_login(reporter)

    html = client.get(reverse("claim_new", args=[story.slug])).content.decode()
    response = client.post(
        reverse("claim_new", args=[story.slug]), claim_form(figure=figure.pk, value="63")
    )

    assert f'<option value="{figure.pk}">Canadian citizens killed on PS752 (people)' in html
    assert "differ on purpose" not in html
    assert response.status_code == 302
    claim = Claim.objects.get(text="Canada says 63 of its citizens died.")
    assert (claim.figure, claim.value, claim.approximation) == (figure, 63, "exact")
    assert claim.revisions.get().after["figure"] == figure.pk


def test_new_claim_names_a_new_figure_in_the_same_form(client, reporter, story):
    client.force_login(reporter)

    response = client.post(
        reverse("claim_new", args=[story.slug]),
        claim_form(figure="new", new_subject="Canadian victims", new_unit="people", value="63",
                   approximation="at_least", text="At least 63 Canadians died."),
    )  # fmt: skip

    assert response.status_code == 302
    figure = Figure.objects.get(story=story)
    assert (figure.subject, figure.kind, figure.unit, figure.created_by) == (
        "Canadian victims", "count", "people", figure.created_by,
    )  # fmt: skip
    claim = Claim.objects.get(figure=figure)
    assert (claim.value, claim.approximation) == (63, "at_least")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"figure": "new", "new_subject": "Distance flown", "new_kind": "distance",
          "new_unit": "people", "value": "63"}, "new_unit", "A distance is in m, km"),
        ({"figure": "new", "new_subject": "Victims", "value": "inf"}, "value", "finite"),
        ({"figure": "new", "new_subject": "Victims", "value": "63", "approximation": "range",
          "value_high": "50"}, "value_high", "The top of the range is below its bottom"),
        ({"figure": "new", "value": "63"}, "new_subject", "Say what the new figure counts"),
        ({"value": "63"}, "figure", "Choose the figure this value is of."),
    ],
)  # fmt: skip
def test_bad_figure_input_is_refused_and_leaves_no_figure_or_claim(
    client, reporter, story, fields, field, message
):
    client.force_login(reporter)

    response = client.post(reverse("claim_new", args=[story.slug]), claim_form(**fields))

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html.split(f'id="id_{field}"')[1].split("</p>")[0]
    assert not Figure.objects.exists() and not Claim.objects.exists()


def test_a_figure_of_another_story_cannot_be_reported_by_changing_its_id(
    client, reporter, editor, story
):
    elsewhere = toll(StoryFactory(actor=editor, title="Elsewhere"), reporter)
    client.force_login(reporter)

    response = client.post(
        reverse("claim_new", args=[story.slug]), claim_form(figure=elsewhere.pk, value="63")
    )

    assert response.status_code == 422
    assert "Choose one of the story&#x27;s figures." in response.content.decode()
    assert not Claim.objects.exists()


def test_words_that_do_not_state_the_value_need_the_box_ticked(client, reporter, story):
    figure = toll(story, reporter)
    client.force_login(reporter)
    words = claim_form(figure=figure.pk, value="57", text="Canada revised its toll.")

    refused = client.post(reverse("claim_new", args=[story.slug]), words)
    confirmed = client.post(reverse("claim_new", args=[story.slug]), {**words,
                            "confirm_mismatch": "on"})  # fmt: skip

    assert refused.status_code == 422
    assert "The words do not state the value 57 people." in refused.content.decode()
    assert "The words and the value differ on purpose" in refused.content.decode()
    assert confirmed.status_code == 302
    assert Claim.objects.get().revisions.get().after["mismatch_confirmed"] is True


# A report on its claim page and in the queue ------------------------------------------------


def test_claim_page_of_a_report_shows_its_figure_and_sibling_reports(client, editor, story):
    figure = toll(story, editor)
    first = report(figure, editor, 63, "Government of Canada")
    newer = report(figure, editor, 57, "François-Philippe Champagne", said_at=JAN_10,
                   supersedes=first, supersedes_version=first.version)  # fmt: skip
    client.force_login(editor)

    html = client.get(first.get_absolute_url()).content.decode()

    box = html.split('class="claim-figure"')[1].split("</div>")[0]
    assert f'of <a href="{figure_url(figure)}">Canadian citizens killed on PS752</a>' in box
    assert '<span class="figure-value">57 people</span>' in box
    assert "<strong>This claim</strong>:\n        <s>63 people</s>" in box
    assert f'<a href="/claims/{newer.pk}/">#{newer.pk}</a>:\n        57 people' in box
    assert "(57 people)</li>" in html  # "Replaced by …" names the new value


def test_a_reports_value_changes_on_its_page_only_as_a_typo_with_a_note(client, editor, story):
    figure = toll(story, editor)
    claim = report(figure, editor, 63, "Government of Canada", text="Canada says 36 died.",
                   confirm_mismatch=True)  # fmt: skip
    client.force_login(editor)
    url = reverse("claim_edit", args=[claim.pk])
    fix = {"text": "Canada says 63 died.", "figure": figure.pk, "value": "63",
           "approximation": "exact", "version": claim.version}  # fmt: skip

    page = client.get(claim.get_absolute_url()).content.decode()
    typo = {**fix, "text": "Canada says 36 died.", "value": "36", "confirm_mismatch": "on"}
    refused = client.post(url, typo, **HTMX)
    fixed = client.post(url, {**typo, "note": "Typed 63 for 36"}, **HTMX)

    assert "Change a value here only to correct the desk&#x27;s own typo" in page
    assert refused.status_code == 422
    assert "Say what typo this corrects." in refused.content.decode()
    assert fixed.status_code == 200
    claim.refresh_from_db()
    assert claim.value == 36
    assert claim.revisions.order_by("-number").first().kind == "value_fixed"
    assert "Figure typo corrected" in fixed.content.decode()


def test_queue_rows_name_a_reports_figure_and_value(
    client, editor, reporter, story, django_assert_max_num_queries
):
    figure = toll(story, reporter)
    for n in range(5):
        report(figure, reporter, 60 + n, f"Official {n}", text=f"Official {n} says {60 + n}.")
    client.force_login(editor)

    with django_assert_max_num_queries(13):  # the queue's own pin, on a cold cache
        html = client.get(reverse("review_queue")).content.decode()

    assert html.count("Canadian citizens killed on PS752: 6") == 5
