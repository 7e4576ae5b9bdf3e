"""The figure page: its state, series, chart and history, and reporting a new value of it,
as htmx swaps and as plain posts; bad input, stale versions, and who may do what."""

import re

import pytest
from django.core.cache import cache

from claims import services
from claims.models import Attribution, Claim, Revision
from sources.models import Source
from tests.claims.desk.figure_helpers import (
    HTMX,
    JAN_10,
    figure_url,
    new_value,
    report,
    rule,
    toll,
)
from tests.support.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figure(story, reporter):
    return toll(story, reporter)


@pytest.fixture
def first(figure, reporter):
    return report(figure, reporter, 63, "Government of Canada")


def test_page_shows_the_state_the_series_as_table_and_chart_and_the_history(
    client, editor, figure, first
):
    newer = report(figure, editor, 57, "François-Philippe Champagne", said_at=JAN_10,
                   supersedes=first, supersedes_version=first.version)  # fmt: skip
    rule(newer, editor, "confirmed")
    client.force_login(editor)

    html = client.get(figure_url(figure)).content.decode()

    state = html.split('id="figure-state"')[1].split("</section>")[0]
    assert '<h1 id="figure-heading">Canadian citizens killed on PS752</h1>' in state
    assert "Count · in people · 2 reports" in state
    assert '<span class="figure-value">57 people</span> <span class="badge confirmed">' in state
    assert "François-Philippe Champagne" in state and f"claim #{newer.pk}" in state
    series = html.split('id="figure-series"')[1].split("</section>")[0]
    rows = re.findall(r'<tr id="report-(\d+)"', series)
    assert rows == [str(newer.pk), str(first.pk)]  # newest first
    assert '<td data-label="Value" class="value"><s>63 people</s></td>' in series
    assert '<span class="badge superseded">Superseded</span>' in series
    assert f'by <a href="/claims/{newer.pk}/">#{newer.pk}</a>' in series
    assert '<svg class="step-chart"' in series and 'role="img"' in series
    assert 'class="sc-mark sc-superseded struck"' in series
    assert 'class="sc-mark sc-confirmed"' in series
    assert "<strong>Created</strong>" in html.split('id="figure-history"')[1]


def test_reporter_gets_the_report_form_and_no_editor_forms(client, reporter, figure, first):
    client.force_login(reporter)

    html = client.get(figure_url(figure)).content.decode()

    assert 'id="form-report"' in html and "Report a new value" in html
    assert 'id="form-update"' not in html and 'id="form-split"' not in html
    assert 'id="form-merge"' not in html
    assert f'<option value="{first.pk}:{first.version}">#{first.pk}: 63 people' in html


def test_editor_gets_rename_merge_and_split(client, editor, story, figure, first):
    toll(story, editor, subject="Permanent residents killed on PS752")
    report(figure, editor, 57, "François-Philippe Champagne", said_at=JAN_10)
    client.force_login(editor)

    html = client.get(figure_url(figure)).content.decode()

    assert 'id="form-update"' in html and 'id="form-merge"' in html and 'id="form-split"' in html
    assert "Permanent residents killed on PS752 (people)</option>" in html


@pytest.mark.parametrize("action", ["update", "merge", "split"])
def test_reporter_posting_an_editor_form_is_refused(client, reporter, story, figure, first, action):
    other = toll(story, reporter, subject="Permanent residents killed on PS752")
    client.force_login(reporter)
    data = {"version": 1, "subject": "Renamed", "kind": "count", "unit": "people",
            "into": other.pk, "reports": [first.pk]}  # fmt: skip

    response = client.post(figure_url(figure, action), data)

    assert response.status_code == 403
    figure.refresh_from_db()
    assert (figure.subject, figure.version, figure.merged_into_id) == (
        "Canadian citizens killed on PS752", 1, None,
    )  # fmt: skip
    assert Claim.objects.get(pk=first.pk).figure_id == figure.pk


def test_a_figure_of_another_story_or_none_at_all_is_404(client, editor, reporter, figure):
    elsewhere = StoryFactory(actor=editor, title="Elsewhere")
    client.force_login(reporter)

    tampered = f"/stories/{elsewhere.slug}/figures/{figure.pk}/"
    assert client.get(tampered).status_code == 404
    assert client.post(tampered + "report/", new_value()).status_code == 404
    assert client.get(f"/stories/{figure.story.slug}/figures/987654/").status_code == 404
    assert not Claim.objects.filter(text__startswith="Champagne").exists()


def test_someone_not_on_the_desk_is_refused_and_anonymous_goes_to_login(client, figure):
    anonymous = client.get(figure_url(figure))
    client.force_login(UserFactory(username="visitor"))

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client.get(figure_url(figure)).status_code == 403


def test_reporting_a_new_value_that_replaces_the_old_creates_the_claim_and_supersedes(
    client, editor, figure, first
):
    client.force_login(editor)

    response = client.post(
        figure_url(figure, "report"), new_value(supersedes=f"{first.pk}:{first.version}")
    )

    assert response.status_code == 302 and response["Location"] == figure_url(figure)
    claim = Claim.objects.get(text="Champagne says 57 Canadians died on PS752.")
    assert (claim.figure, claim.value, claim.approximation, claim.created_by) == (
        figure, 57, "exact", editor,
    )  # fmt: skip
    attribution = claim.attributions.get()
    assert attribution.source.name == "François-Philippe Champagne"
    assert (attribution.said_at, attribution.quote) == (JAN_10, "57 Canadians")
    first.refresh_from_db()
    assert (first.status, first.superseded_by_id) == ("superseded", claim.pk)
    assert Revision.objects.filter(claim=first, kind="superseded").count() == 1
    assert list(claim.revisions.values_list("kind", flat=True).order_by("number")) == [
        "created", "attribution", "superseded",
    ]  # fmt: skip
    page = client.get(figure_url(figure)).content.decode()
    assert "New value reported: claim #" in page


def test_reporting_with_htmx_swaps_the_form_and_refreshes_the_series(client, reporter, figure):
    client.force_login(reporter)

    response = client.post(figure_url(figure, "report"), new_value(), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="form-report"')
    assert "New value reported: claim #" in html
    assert '<section id="figure-series" class="card" hx-swap-oob="true"' in html
    assert '<section id="figure-state" class="card" hx-swap-oob="true"' in html
    assert "57 people" in html.split('id="figure-series"')[1]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": "lots"}, "The value must be a number, like 57 or 1.5."),
        ({"value": "inf"}, "The value must be a finite number."),
        ({"approximation": "range", "value_high": "40"}, "The top of the range is below its"),
        ({"approximation": "range"}, "A range needs its top value too."),
        ({"said_at": "2020-13-45T99:00"}, "There is no such date or time."),
        ({"supersedes": "999999:1"}, "That report no longer stands: reload the page."),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_bad_input_is_refused_in_the_form_and_writes_nothing(
    client, editor, figure, first, overrides, message
):
    client.force_login(editor)
    claims, sources = Claim.objects.count(), Source.objects.count()

    response = client.post(figure_url(figure, "report"), new_value(**overrides), **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="form-report"')
    assert message in html
    assert "Champagne says 57 Canadians died on PS752." in html  # the input is kept
    assert (Claim.objects.count(), Source.objects.count()) == (claims, sources)


def test_words_that_do_not_state_the_value_offer_the_mismatch_box(client, editor, figure):
    client.force_login(editor)
    words = new_value(text="Champagne revises the Canadian toll on PS752.")

    refused = client.post(figure_url(figure, "report"), words, **HTMX)
    confirmed = client.post(figure_url(figure, "report"), {**words, "confirm_mismatch": "on"})

    assert refused.status_code == 422
    assert "The words do not state the value 57 people." in refused.content.decode()
    assert "The words and the value differ on purpose" in refused.content.decode()
    assert "differ on purpose" not in client.get(figure_url(figure)).content.decode()
    assert confirmed.status_code == 302
    claim = Claim.objects.get(text="Champagne revises the Canadian toll on PS752.")
    assert claim.revisions.get(kind="created").after["mismatch_confirmed"] is True


def test_a_reporter_may_not_replace_another_sources_report(client, reporter, figure, first):
    client.force_login(reporter)

    response = client.post(
        figure_url(figure, "report"), new_value(supersedes=f"{first.pk}:{first.version}")
    )

    assert response.status_code == 422
    assert "Only an editor may say a report by another source replaces this one." in (
        response.content.decode()
    )
    assert not Claim.objects.filter(text__startswith="Champagne").exists()
    assert not Source.objects.filter(name="François-Philippe Champagne").exists()
    assert Claim.objects.get(pk=first.pk).status == "unverified"


def test_a_source_revising_its_own_report_may_be_filed_by_a_reporter(
    client, reporter, figure, first
):
    client.force_login(reporter)
    revision = new_value(source="government of canada", text="Canada now says 57 died.",
                         supersedes=f"{first.pk}:{first.version}")  # fmt: skip

    response = client.post(figure_url(figure, "report"), revision)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "superseded"
    assert Attribution.objects.get(claim=first.superseded_by).source.name == "Government of Canada"


def test_replacing_a_report_that_changed_since_the_page_loaded_is_a_conflict(
    client, editor, figure, first
):
    stale = f"{first.pk}:{first.version}"
    rule(first, editor, "in_review")
    client.force_login(editor)

    response = client.post(figure_url(figure, "report"), new_value(supersedes=stale), **HTMX)

    html = response.content.decode()
    assert response.status_code == 409
    assert f"Report #{first.pk} changed since you loaded this page. Nothing was saved." in html
    assert stale != f"{first.pk}:{first.version}"
    assert f'<option value="{first.pk}:{first.version}" selected>' in html
    assert "Champagne says 57 Canadians died on PS752." in html
    assert not Claim.objects.filter(text__startswith="Champagne").exists()


def test_a_moderator_without_the_right_to_file_claims_gets_no_report_form(
    client, moderator, figure
):
    client.force_login(moderator)

    html = client.get(figure_url(figure)).content.decode()
    response = client.post(figure_url(figure, "report"), new_value())

    assert 'id="form-report"' not in html
    assert response.status_code == 403
    assert not Claim.objects.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_the_figure_page_runs_a_fixed_number_of_queries(
    client, editor, story, figure, size, django_assert_num_queries
):
    toll(story, editor, subject="Permanent residents killed on PS752")
    for n in range(size):
        claim = report(
            figure, editor, 50 + n, f"Official {n % 3}", said_at=JAN_10.replace(day=1 + n)
        )
        if n % 2:
            rule(claim, editor, "confirmed")
    client.force_login(editor)

    # Session, user, two permission reads, story, figure, its reports, the standing reports'
    # versions, the story's figures (to merge into), its history, the recent sources.
    cache.clear()  # cold, as on every backend: no session or permissions cached
    with django_assert_num_queries(11):
        response = client.get(figure_url(figure))

    assert response.content.decode().count('<tr id="report-') == size


def test_a_hidden_report_is_listed_as_such_for_editors_only_and_never_stands(
    client, editor, reporter, figure, first
):
    services.claim_hide(claim=first, actor=editor)

    client.force_login(editor)
    as_editor = client.get(figure_url(figure)).content.decode()
    client.force_login(reporter)
    as_reporter = client.get(figure_url(figure)).content.decode()

    assert f'<tr id="report-{first.pk}"' in as_editor
    assert '<span class="badge hidden-badge">Hidden</span>' in as_editor
    assert "No standing value" in as_editor
    assert f'<tr id="report-{first.pk}"' not in as_reporter and "No reports yet." in as_reporter
