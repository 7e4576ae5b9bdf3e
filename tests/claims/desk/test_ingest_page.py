"""The ingest page with figures: each candidate names the figure it speaks of and what that
figure stands at, and offers to report a new value replacing the report it corrects; every
decision works as a plain post and as an htmx swap, and bad input writes nothing."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Attribution, Claim, Figure, IngestCandidate, Revision
from claims.services import ingest
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)
SATELLITES = (
    "One US official told Reuters that US satellites had detected the launch of two missiles "
    "shortly before the plane crashed."
)


@pytest.fixture
def victims(story, reporter) -> Figure:
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=reporter)


@pytest.fixture
def report_63(victims, reporter) -> Claim:
    return ReportFactory(
        figure=victims, value=63, source=SourceFactory(name="Government of Canada"),
        said_at=datetime(2020, 1, 8, 20, tzinfo=UTC), actor=reporter,
    )  # fmt: skip


@pytest.fixture
def job(story, editor, eager_celery, django_capture_on_commit_callbacks):
    def run(text: str, actor=editor):
        with django_capture_on_commit_callbacks(execute=True):
            made = ingest.ingest_job_create(story=story, text=text, actor=actor)
        return made

    return run


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decide(client, candidate, decision, data, *, htmx=True):
    """Post a decision as the page's form does: the proposal, as the desk left it."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    proposal = {"claim_text": candidate.claim_text, "quote": candidate.quote}
    url = reverse("ingest_decide", args=[candidate.pk, decision])
    return client.post(url, proposal | data, **headers)


def _counts() -> tuple[int, int, int]:
    return Claim.objects.count(), Revision.objects.count(), Figure.objects.count()


def test_a_candidate_shows_its_figure_what_it_stands_at_and_the_report_it_corrects(
    story, editor, victims, report_63, job
):
    made = job(CORRECTION)
    candidate = made.candidates.get()

    page = _as(editor).get(made.get_absolute_url()).text

    figure_url = reverse("figure_detail", args=[story.slug, victims.pk])
    assert f'<a href="{figure_url}">Canadian victims</a>' in page
    assert "which stands at <strong>63 people</strong>" in page
    assert f"claim #{report_63.pk}</a>, which says 63 people" in page
    assert "Report a new value of Canadian victims" in page
    version = Claim.objects.get(pk=report_63.pk).version
    assert f'name="supersedes_version" value="{version}"' in page
    assert f'<option value="{victims.pk}" selected>' in page
    assert candidate.figure == victims


def test_reporting_a_new_value_from_the_page_swaps_in_the_decided_candidate(
    editor, victims, report_63, job
):
    candidate = job(CORRECTION).candidates.get()
    version = Claim.objects.get(pk=report_63.pk).version

    response = _decide(
        _as(editor), candidate, "report",
        {"supersedes_version": version, "said_at": "2020-01-10T16:00"},
    )  # fmt: skip

    new = Claim.objects.get(figure=victims, value=57)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Accepted" in response.text and f"claim #{new.pk}" in response.text
    assert "which stands at <strong>57 people</strong>" in response.text
    assert Claim.objects.get(pk=report_63.pk).superseded_by == new
    said = Attribution.objects.get(claim=new).said_at
    assert said.isoformat().startswith("2020-01-10")


def test_a_reporter_replacing_another_sources_report_is_told_why_and_offered_to_file_it(
    reporter, victims, report_63, job
):
    candidate = job(CORRECTION, reporter).candidates.get()
    version = Claim.objects.get(pk=report_63.pk).version
    before = _counts()

    response = _decide(
        _as(reporter), candidate, "report", {"supersedes_version": version, "figure": victims.pk}
    )

    assert response.status_code == 422
    assert 'role="alert">Only an editor may replace a report by another source' in response.text
    assert "File the sentence without replacing it" in response.text
    assert f'<option value="{victims.pk}" selected>' in response.text
    assert "Accept as claim" in response.text
    assert _counts() == before
    assert IngestCandidate.objects.get(pk=candidate.pk).decision == "open"

    filed = _decide(_as(reporter), candidate, "accept", {"figure": victims.pk})

    assert filed.status_code == 200
    claim = Claim.objects.get(figure=victims, value=57)
    assert Claim.objects.get(pk=report_63.pk).status == "unverified"
    assert claim.status == "unverified"


def test_a_stale_report_version_is_a_conflict_and_writes_nothing(editor, victims, report_63, job):
    candidate = job(CORRECTION).candidates.get()
    before = _counts()

    response = _decide(_as(editor), candidate, "report", {"supersedes_version": 1})

    assert response.status_code == 409
    assert "since you opened it" in response.text
    current = Claim.objects.get(pk=report_63.pk).version
    assert f'name="supersedes_version" value="{current}"' in response.text
    assert _counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "The form lost the version of the report it replaces"),
        ({"supersedes_version": "x"}, "The form lost the version of the report it replaces"),
        ({"supersedes_version": 2**40}, "reload the page"),
    ],
)
def test_a_missing_or_broken_version_writes_nothing(editor, report_63, job, data, message):
    candidate = job(CORRECTION).candidates.get()
    before = _counts()

    response = _decide(_as(editor), candidate, "report", data)

    assert response.status_code == 422
    assert message in response.text
    assert _counts() == before


def test_a_figure_of_another_story_is_refused_and_writes_nothing(reporter, victims, job):
    candidate = job(CORRECTION, reporter).candidates.get()
    elsewhere = FigureFactory(story=StoryFactory(), subject="Canadian victims", actor=reporter)
    before = _counts()

    response = _decide(_as(reporter), candidate, "accept", {"figure": elsewhere.pk})

    assert response.status_code == 422
    assert "Choose one of this story&#x27;s figures, or none." in response.text
    assert _counts() == before
    assert IngestCandidate.objects.get(pk=candidate.pk).decision == "open"


def test_a_sentence_about_no_figure_offers_a_new_one_named_from_the_extracted_value(
    story, reporter, job
):
    made = job(SATELLITES, reporter)
    candidate = made.candidates.get()
    client = _as(reporter)

    page = client.get(made.get_absolute_url()).text
    response = _decide(client, candidate, "accept", {
        "figure": "new", "subject": "Missiles launched at PS752", "kind": "count",
        "unit": "missiles", "said_at": "",
    })  # fmt: skip

    assert '<option value="new" selected>' in page
    assert 'value="Missile"' in page  # the extracted figure, as a start
    assert "<details open>" in page
    assert response.status_code == 200
    figure = Figure.objects.get(story=story, subject="Missiles launched at PS752")
    claim = Claim.objects.get(figure=figure)
    assert (claim.value, figure.unit, figure.kind) == (2, "missiles", "count")
    assert Attribution.objects.get(claim=claim).source.name == "One US official"


def test_a_new_figure_that_the_story_already_has_is_refused_and_writes_nothing(
    reporter, victims, job
):
    candidate = job(CORRECTION, reporter).candidates.get()
    before = _counts()

    response = _decide(_as(reporter), candidate, "accept", {
        "figure": "new", "subject": "Victims from Canada", "kind": "count", "unit": "people",
    })  # fmt: skip

    assert response.status_code == 422
    assert "The story already has this figure" in response.text
    assert 'value="Victims from Canada"' in response.text  # what the user typed is kept
    assert _counts() == before


def test_a_decided_candidate_is_not_decided_again_from_the_page(editor, victims, job):
    candidate = job(CORRECTION).candidates.get()
    client = _as(editor)
    _decide(client, candidate, "dismiss", {})
    before = _counts()

    response = _decide(client, candidate, "accept", {"figure": victims.pk}, htmx=False)

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "This candidate was already dismissed." in page
    assert _counts() == before


def test_plain_posts_decide_and_redirect_back_to_the_job(editor, victims, report_63, job):
    made = job(CORRECTION)
    candidate = made.candidates.get()
    version = Claim.objects.get(pk=report_63.pk).version

    response = _decide(
        _as(editor), candidate, "report", {"supersedes_version": version}, htmx=False
    )

    assert (response.status_code, response["Location"]) == (302, made.get_absolute_url())
    assert Claim.objects.get(pk=report_63.pk).status == "superseded"


def test_the_old_merge_decision_is_gone(editor, report_63, job):
    candidate = job(CORRECTION).candidates.get()

    response = _decide(_as(editor), candidate, "merge", {"version": 1})

    assert response.status_code == 404


def test_a_merged_figures_candidate_speaks_of_the_figure_it_went_into(
    story, editor, victims, report_63, job
):
    from claims import services

    made = job(CORRECTION)
    toll = FigureFactory(story=story, subject="Canadian deaths on PS752", actor=editor)
    services.figure_merge(figure=victims, into=toll, actor=editor, expected_version=1)

    page = _as(editor).get(made.get_absolute_url()).text

    assert f'<a href="{toll.get_absolute_url()}">Canadian deaths on PS752</a>' in page
    assert "Report a new value of Canadian deaths on PS752" in page


def test_the_ingest_page_reads_in_a_fixed_number_of_queries(
    story, editor, reporter, victims, report_63, job, django_assert_max_num_queries
):
    FigureFactory(story=story, subject="Missiles", unit="missiles", actor=reporter)
    small = job(CORRECTION)
    large = job("\n".join([CORRECTION, SATELLITES] * 10))
    client = _as(editor)
    client.get(small.get_absolute_url())  # the session and permissions, once

    # Session, user, two permission reads, the job, the figures, their reports, the
    # candidates, and the claims they replace or became.
    with django_assert_max_num_queries(9) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(small_queries)) as large_queries:
        page = client.get(large.get_absolute_url())

    assert page.text.count("Report a new value of Canadian victims") >= 2
    assert len(large_queries) == len(small_queries)
