"""What the editor sees on the ingest page: each candidate's proposed claim beside its exact
words, its speakers with their kinds, its time, its figure in words, the correction or
disagreement it states and why, and its score in words; and, once the earlier value is filed,
the correction offered as a new value replacing it."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Figure, IngestCandidate
from claims.services import ingest

pytestmark = pytest.mark.django_db

FLOOD = (
    "09:12 At least 40 people have died in the floods, the Interior Ministry said.\n"
    "09:40 Between 30 and 35 bridges were washed away, the Red Cross said.\n"
    "10:05 About 250 people were evacuated from Riverside, police said.\n"
    "10:20 A senior official, speaking on condition of anonymity, accused contractors of "
    "sabotaging the dam.\n"
    "11:30 Correction: The Interior Ministry has revised the death toll to 31."
)


@pytest.fixture
def flood(story, reporter, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(
            story=story, text=FLOOD, actor=reporter, story_date=date(2026, 3, 14),
            time_zone="Europe/London",
        )  # fmt: skip
    return job


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _card(page: str, candidate: IngestCandidate) -> str:
    """The markup of one candidate's card, its whitespace collapsed."""
    start = page.index(f'<li id="candidate-{candidate.pk}"')
    end = page.index("</li>\n          \n", start)
    return re.sub(r"\s+", " ", page[start:end])


def _candidate(job, start: str) -> IngestCandidate:
    return job.candidates.get(sentence__startswith=start)


def test_each_candidate_shows_its_proposal_words_speaker_time_figure_and_score(reporter, flood):
    page = _as(reporter).get(flood.get_absolute_url()).text

    first = _card(page, _candidate(flood, "At least 40"))
    assert "Proposed claim</span> Interior Ministry says at least 40 people have died" in first
    assert "<blockquote>At least 40 people have died in the floods, the Interior Ministry " in first
    assert "<li>Interior Ministry · government</li>" in first
    assert '<time datetime="2026-03-14T09:12:00+00:00">09:12, 14 Mar 2026</time>' in first
    assert "(Europe/London)" in first
    assert "<strong>at least 40</strong> people died" in first
    assert "Figure differs elsewhere in this text" not in first
    assert "Corrected in this text: 40 → 31, revised by the same speaker" in first
    assert "High: states a figure" in first
    bridges = _card(page, _candidate(flood, "Between 30"))
    assert "<strong>between 30 and 35</strong> bridges" in bridges
    assert "Red Cross · organisation" in bridges
    evacuated = _card(page, _candidate(flood, "About 250"))
    assert "<strong>about 250</strong> people evacuated" in evacuated


def test_an_anonymous_accusation_explains_its_high_score(reporter, flood):
    page = _as(reporter).get(flood.get_absolute_url()).text

    card = _card(page, _candidate(flood, "A senior official"))
    assert '<span class="badge score-high">High</span>' in card
    assert "High: an accusation, anonymous sourcing" in card
    assert "senior official · anonymous" in card


def test_a_correction_in_the_text_says_what_it_corrects_and_how_to_record_it(reporter, flood):
    page = _as(reporter).get(flood.get_absolute_url()).text

    card = _card(page, _candidate(flood, "Correction:"))
    assert "Proposed claim</span> Interior Ministry revises the death toll to 31, from 40" in card
    assert "<blockquote>Correction: The Interior Ministry has revised the death toll to 31." in card
    assert "corrects 40 → 31 (revised by the same speaker)" in card
    assert "accept the earlier value first (candidate 1)" in card
    assert "Report a new value" not in card  # nothing on the story to replace yet
    assert "11:30" in card and "11:30 Correction" not in card


def test_filing_the_earlier_value_offers_the_correction_as_its_replacement(story, reporter, flood):
    client = _as(reporter)
    first, correction = _candidate(flood, "At least 40"), _candidate(flood, "Correction:")
    accept = reverse("ingest_decide", args=[first.pk, "accept"])

    swapped = client.post(accept, {
        "claim_text": first.claim_text, "quote": first.quote, "speaker_kind": "government",
        "said_at": "2026-03-14T09:12", "figure": "new", "subject": "Deaths", "kind": "count",
    }, HTTP_HX_REQUEST="true").text  # fmt: skip

    earlier = Claim.objects.get(figure__story=story, value=40)
    assert f'<li id="candidate-{correction.pk}"' in swapped
    assert 'hx-swap-oob="outerHTML"' in swapped  # the correction's card, out of band
    card = _card(client.get(flood.get_absolute_url()).text, correction)
    assert f'replacing <a href="{earlier.get_absolute_url()}">claim #{earlier.pk}</a>' in card
    assert "(at least 40)" in card
    assert "Report a new value of Deaths" in card
    assert f'name="supersedes" value="{earlier.pk}"' in card

    report = reverse("ingest_decide", args=[correction.pk, "report"])
    done = client.post(report, {
        "claim_text": correction.claim_text, "quote": correction.quote,
        "said_at": "2026-03-14T11:30", "speaker_kind": "government",
        "supersedes": earlier.pk, "supersedes_version": Claim.objects.get(pk=earlier.pk).version,
    }, HTTP_HX_REQUEST="true")  # fmt: skip

    assert done.status_code == 200
    new = Claim.objects.get(figure=Figure.objects.get(story=story, subject="Deaths"), value=31)
    assert Claim.objects.get(pk=earlier.pk).superseded_by == new
    assert new.text == "Interior Ministry revises the death toll to 31, from 40"
    assert "which stands at <strong>31</strong>" in done.text


def test_a_disagreement_names_its_reason(
    story, reporter, eager_celery, django_capture_on_commit_callbacks
):
    text = (
        "09:12 At least 40 people have died in the floods, the Interior Ministry said.\n"
        "10:50 The regional governor said 63 people had died."
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=text, actor=reporter)

    page = _as(reporter).get(job.get_absolute_url()).text

    card = _card(page, _candidate(job, "The regional governor"))
    assert "Figure differs elsewhere in this text</span>: 40 → 63" in card
    [conflict] = job.__class__.objects.get(pk=job.pk).conflicts
    assert conflict["reason"] in card
    assert '<a href="#candidate-n1">candidate 1</a>' in card


def test_candidates_filter_by_score_in_a_fixed_number_of_queries(
    reporter, flood, django_assert_max_num_queries
):
    client = _as(reporter)
    client.get(flood.get_absolute_url())

    with django_assert_max_num_queries(10):
        page = client.get(flood.get_absolute_url() + "?score=medium").text

    shown = re.findall(r'<li id="candidate-\d+"', page)
    medium = flood.candidates.filter(score_label="medium").count()
    assert len(shown) == medium
    assert 'aria-current="page">Medium' in page
    assert f"All ({flood.candidates.count()})" in page


def test_markup_in_the_pasted_text_is_shown_as_words_never_run(
    story, reporter, eager_celery, django_capture_on_commit_callbacks
):
    text = '<script>alert("x")</script> Officials said <b>40</b> people died in <i>Varna</i>.'
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=text, actor=reporter)

    page = _as(reporter).get(job.get_absolute_url()).text

    assert "&lt;script&gt;" in page and '<script>alert("x")' not in page
    assert "<b>40</b>" not in page


def test_a_range_that_changes_within_the_text_is_shown_in_words(
    story, reporter, eager_celery, django_capture_on_commit_callbacks
):
    text = (
        "The Red Cross said 40 people were missing.\n"
        "The Red Cross has revised the number of missing to between 30 and 35."
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=text, actor=reporter)

    page = re.sub(r"\s+", " ", _as(reporter).get(job.get_absolute_url()).text)

    assert "40 → between 30 and 35" in page
    assert "[30, 35]" not in page
