"""Ingest keeps what the extractor explains about each sentence (its proposed claim, the exact
quote, its speakers with their kinds, its time in the text's zone, its score in words), and a
correction of a figure already on the story is filed as a new claim that replaces the old
report, credited to the speaker as the kind of source it is, at the time the text gives."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from claims.models import Attribution, Claim, Figure, IngestCandidate, IngestJob, Revision
from claims.services import ingest
from sources.models import Source
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory, StoryFactory

FLOOD = (
    "09:12 At least 40 people have died in the floods, the Interior Ministry said.\n"
    "11:30 Correction: The Interior Ministry has revised the death toll to 31."
)
LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 3, 14)


@pytest.fixture
def ingested(story, editor, eager_celery, django_capture_on_commit_callbacks):
    def run(text=FLOOD, actor=editor, **options) -> IngestJob:
        options = {"story_date": DAY, "time_zone": "Europe/London"} | options
        with django_capture_on_commit_callbacks(execute=True):
            job = ingest.ingest_job_create(story=story, text=text, actor=actor, **options)
        job.refresh_from_db()
        assert job.state == IngestJob.State.DONE, job.error
        return job

    return run


def _fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def _file_first_value(job: IngestJob, actor) -> Claim:
    """The desk accepts the first entry as the first report of a new figure."""
    first = job.candidates.get(index=0)
    return ingest.ingest_candidate_accept(
        candidate=first, actor=actor, figure=ingest.FigureDraft(subject="Killed")
    )


def test_a_candidate_keeps_the_proposal_quote_speakers_time_and_score_in_words(ingested):
    job = ingested()

    first, correction = job.candidates.order_by("index")

    assert first.claim_text == "Interior Ministry says at least 40 people have died in the floods"
    assert first.quote == "At least 40 people have died in the floods, the Interior Ministry said."
    assert (first.speaker, first.speaker_kind) == ("Interior Ministry", "government")
    assert first.said_at == datetime(2026, 3, 14, 9, 12, tzinfo=LONDON)
    assert [(a["speaker"], a["kind"]) for a in first.attributions] == [
        ("Interior Ministry", "government")
    ]
    assert first.quantities[0]["approximation"] == "at_least"
    assert correction.score_label == "high"
    assert {"a correction", "states a figure"} <= set(correction.reasons)
    assert correction.corrects["reason"] == "revised by the same speaker"
    assert "11:30" not in correction.claim_text and "11:30" not in correction.quote


def test_live_blog_times_are_read_in_the_zone_and_on_the_day_the_desk_gives(ingested):
    job = ingested(story_date=date(2026, 7, 1), time_zone="Asia/Tokyo")

    first = job.candidates.get(index=0)

    assert (job.story_date, job.time_zone) == (date(2026, 7, 1), "Asia/Tokyo")
    assert first.said_at == datetime(2026, 7, 1, 9, 12, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_without_a_day_or_zone_the_times_are_of_today_in_the_desks_zone(
    story, editor, settings, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=FLOOD, actor=editor)
    job.refresh_from_db()

    assert job.time_zone == settings.TIME_ZONE
    first = job.candidates.get(index=0)
    assert first.said_at.date() == job.story_date
    assert first.said_at.utcoffset().total_seconds() == 0


def test_an_unknown_time_zone_is_refused_and_creates_no_job(story, editor):
    with pytest.raises(ValidationError, match="no time zone"):
        ingest.ingest_job_create(story=story, text=FLOOD, actor=editor, time_zone="Mars/Olympus")

    assert not IngestJob.objects.exists()


def test_accepting_a_correction_files_a_new_claim_that_supersedes_the_old_report(
    story, reporter, ingested
):
    job = ingested(actor=reporter)
    earlier = _file_first_value(job, reporter)
    correction = job.candidates.get(index=1)
    version = _fresh(earlier).version

    new = ingest.ingest_candidate_report(
        candidate=correction, actor=reporter, supersedes=earlier, supersedes_version=version
    )

    killed = Figure.objects.get(story=story, subject="Killed")
    new, old = _fresh(new), _fresh(earlier)
    assert (old.figure, old.value, old.approximation) == (killed, 40, "at_least")
    assert (new.figure, new.value, new.approximation) == (killed, 31, "exact")
    assert new.text == "Interior Ministry revises the death toll to 31, from 40"
    assert (old.status, old.superseded_by) == ("superseded", new)
    assert list(Revision.objects.filter(claim=new).values_list("kind", flat=True)) == [
        "created", "attribution", "superseded"
    ]  # fmt: skip
    assert Revision.objects.get(claim=old, kind="superseded").after["superseded_by"] == new.pk
    attribution = Attribution.objects.get(claim=new)
    assert (
        attribution.quote == "Correction: The Interior Ministry has revised the death toll to 31."
    )
    assert attribution.said_at == datetime(2026, 3, 14, 11, 30, tzinfo=LONDON)
    ministry = Source.objects.get(name="Interior Ministry")
    assert (ministry.kind, attribution.source) == ("government", ministry)
    assert Attribution.objects.get(claim=old).source == ministry  # one source, not two
    correction.refresh_from_db()
    assert (correction.decision, correction.claim, correction.conflicting_claim) == (
        "accepted", new, old
    )  # fmt: skip


def test_the_desks_words_time_and_kind_of_speaker_are_what_is_filed(story, editor, ingested):
    job = ingested()
    first = job.candidates.get(index=0)
    said = datetime(2026, 3, 14, 10, 0, tzinfo=LONDON)
    filing = ingest.Filing(
        text="The ministry says at least 40 people died.", quote="At least 40 people have died",
        said_at=said, speaker_kind="organisation",
    )  # fmt: skip

    claim = ingest.ingest_candidate_accept(candidate=first, actor=editor, filing=filing)

    assert (claim.text, claim.figure) == ("The ministry says at least 40 people died.", None)
    attribution = Attribution.objects.get(claim=claim)
    assert (attribution.quote, attribution.said_at) == ("At least 40 people have died", said)
    assert attribution.source.kind == "organisation"


def test_a_known_source_keeps_its_kind(story, editor, ingested):
    known = SourceFactory(name="Interior Ministry", kind="organisation")
    first = ingested().candidates.get(index=0)

    claim = ingest.ingest_candidate_accept(candidate=first, actor=editor)

    assert Attribution.objects.get(claim=claim).source == known
    assert Source.objects.get(pk=known.pk).kind == "organisation"


def test_a_report_of_another_story_is_not_replaced_and_nothing_is_written(
    editor, reporter, ingested
):
    correction = ingested().candidates.get(index=1)
    elsewhere = FigureFactory(story=StoryFactory(), subject="Killed", actor=reporter)
    other = ReportFactory(figure=elsewhere, value=40, actor=reporter)
    before = (Claim.objects.count(), Revision.objects.count())

    with pytest.raises(ValidationError):
        ingest.ingest_candidate_report(
            candidate=correction, actor=editor, supersedes=other,
            supersedes_version=_fresh(other).version,
        )  # fmt: skip

    assert (Claim.objects.count(), Revision.objects.count()) == before
    assert _fresh(other).status == "unverified"
    assert IngestCandidate.objects.get(pk=correction.pk).decision == "open"


def test_a_range_is_filed_as_one_report_with_its_top(story, editor, ingested):
    job = ingested("09:40 Between 30 and 35 bridges were washed away, the Red Cross said.")
    candidate = job.candidates.get()

    claim = ingest.ingest_candidate_accept(
        candidate=candidate, actor=editor, figure=ingest.FigureDraft(subject="Bridges lost")
    )

    assert (claim.value, claim.value_high, claim.approximation) == (30, 35, "range")
    assert Attribution.objects.get(claim=claim).source.kind == "organisation"
