"""Ingest meets figures: a sentence is linked to the story's figure by subject key, judged
against what that figure stands at, and accepted as a report of it or as a new value that
replaces the report it corrects."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services, tasks
from claims.lib.extraction import subject_key
from claims.models import Attribution, Claim, Figure, FigureRevision, IngestJob, Revision
from claims.selectors.figures import desk_figure
from claims.services import ConflictError, ingest
from sources.models import Source
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory, StoryFactory

CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)
CHAMPAGNE = "Francois-Philippe Champagne"  # names over titles
FRIDAY = datetime(2020, 1, 10, 16, tzinfo=UTC)


def _candidate(story, text, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=text, actor=actor)
    job.refresh_from_db()
    assert job.state == IngestJob.State.DONE
    return job.candidates.select_related("figure", "conflicting_claim").get()


@pytest.fixture
def ingested(story, editor, eager_celery, django_capture_on_commit_callbacks):
    def run(text, actor=editor):
        return _candidate(story, text, actor, django_capture_on_commit_callbacks)

    return run


@pytest.fixture
def victims(story, reporter) -> Figure:
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=reporter)


@pytest.fixture
def canada() -> Source:
    return SourceFactory(name="Government of Canada", kind="government")


@pytest.fixture
def report_63(victims, canada, reporter) -> Claim:
    return ReportFactory(
        figure=victims, value=63, source=canada, actor=reporter,
        said_at=datetime(2020, 1, 8, 20, tzinfo=UTC),
    )  # fmt: skip


def _fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def _rows() -> tuple[int, int, int, int]:
    return (
        Claim.objects.count(),
        Revision.objects.count(),
        Figure.objects.count(),
        Source.objects.count(),
    )


# --- linking --------------------------------------------------------------------------------


def test_subject_keys_link_differently_worded_mentions_but_not_other_subjects():
    assert subject_key("the Canadian victims") == subject_key("victims from Canada")
    assert subject_key("Canadian victims") != subject_key("Canadian citizens killed on PS752")


def test_a_sentence_links_only_to_a_figure_of_its_own_story_and_kind(story, reporter, ingested):
    FigureFactory(story=story, subject="People aboard PS752", actor=reporter)
    other_story = FigureFactory(subject="Canadian victims", actor=reporter)

    candidate = ingested(CORRECTION)

    assert candidate.figure is None
    assert (candidate.flag, candidate.conflicting_claim) == ("", None)
    assert other_story.story != story


def test_a_value_the_figure_already_stands_at_links_without_a_conflict(
    victims, report_63, editor, ingested
):
    ReportFactory(
        figure=victims, value=57, source=SourceFactory(name=CHAMPAGNE), actor=editor,
        supersedes=report_63, supersedes_version=_fresh(report_63).version, said_at=FRIDAY,
    )  # fmt: skip

    candidate = ingested(CORRECTION)

    assert candidate.figure == victims
    assert (candidate.flag, candidate.conflicting_claim) == ("", None)


def test_a_different_value_conflicts_with_the_current_report_not_an_older_one(
    victims, report_63, editor, ingested
):
    current = ReportFactory(
        figure=victims, value=57, source=SourceFactory(name=CHAMPAGNE), actor=editor,
        supersedes=report_63, supersedes_version=_fresh(report_63).version, said_at=FRIDAY,
    )  # fmt: skip

    candidate = ingested("Officials said on Saturday that 60 Canadian victims were on board.")

    assert (candidate.figure, candidate.flag) == (victims, "conflict")
    assert candidate.conflicting_claim == current


def test_a_figure_named_in_the_desks_words_is_found_by_a_sentence_in_other_words(
    story, canada, reporter, ingested
):
    killed = FigureFactory(
        story=story, subject="Canadian citizens killed on PS752", unit="people", actor=reporter
    )
    aboard = FigureFactory(story=story, subject="People aboard PS752", actor=reporter)
    report = ReportFactory(
        figure=killed, value=63, source=canada, actor=reporter,
        said_at=datetime(2020, 1, 8, 20, tzinfo=UTC),
    )  # fmt: skip

    candidate = ingested(CORRECTION)

    assert (candidate.figure, candidate.flag, candidate.conflicting_claim) == (
        killed, "correction", report,
    )  # fmt: skip
    assert candidate.figure != aboard


def test_while_sources_disagree_a_correction_names_the_standing_report_it_corrects(
    victims, report_63, reporter, ingested
):
    ReportFactory(figure=victims, value=57, actor=reporter, said_at=FRIDAY)

    agreeing = ingested(CORRECTION)
    correcting = ingested("Ottawa said the number of Canadian victims is 60, not 63.")

    assert (agreeing.figure, agreeing.flag, agreeing.conflicting_claim) == (victims, "", None)
    assert (correcting.flag, correcting.conflicting_claim) == ("correction", report_63)


def test_a_hidden_report_is_not_what_a_sentence_is_judged_against(
    victims, report_63, moderator, ingested
):
    services.claim_hide(claim=_fresh(report_63), actor=moderator)

    candidate = ingested(CORRECTION)

    assert candidate.figure == victims
    assert (candidate.flag, candidate.conflicting_claim) == ("", None)


# --- accepting ------------------------------------------------------------------------------


def test_accepting_a_sentence_with_a_new_figure_starts_the_figure_and_reports_its_value(
    story, reporter, ingested
):
    candidate = ingested(
        "One US official told Reuters that US satellites had detected the launch of two "
        "missiles shortly before the plane crashed.",
        reporter,
    )
    assert candidate.figure is None
    draft = ingest.FigureDraft(subject="Missiles launched at PS752", kind="count", unit="missiles")

    claim = ingest.ingest_candidate_accept(
        candidate=candidate, actor=reporter, figure=draft,
        filing=ingest.Filing(said_at=datetime(2020, 1, 9, 16, tzinfo=UTC)),
    )  # fmt: skip

    figure = Figure.objects.get(story=story, subject="Missiles launched at PS752")
    assert (claim.figure, claim.value, figure.unit) == (figure, 2, "missiles")
    assert FigureRevision.objects.get(figure=figure).kind == "created"
    attribution = Attribution.objects.get(claim=claim)
    assert (attribution.source.name, attribution.source.kind) == ("One US official", "anonymous")
    assert attribution.said_at.date().isoformat() == "2020-01-09"
    assert (candidate.__class__.objects.get(pk=candidate.pk).figure) == figure


def test_accepting_with_no_figure_files_a_plain_claim(story, reporter, victims, ingested):
    candidate = ingested(CORRECTION, reporter)

    claim = ingest.ingest_candidate_accept(candidate=candidate, actor=reporter, figure=None)

    assert (claim.figure, claim.value, claim.approximation) == (None, None, "")
    assert Attribution.objects.get(claim=claim).source.name == CHAMPAGNE


@pytest.mark.parametrize(
    ("unit", "kind", "written"),
    [
        ("%", "percentage", "%"),
        ("USD", "amount", "USD"),
        ("$", "amount", "USD"),
        ("km", "distance", "km"),
        ("miles", "distance", "mi"),
        ("m", "distance", "m"),
        ("hours", "duration", "hours"),
        (None, "count", ""),
        ("people", "count", "people"),
    ],
)
def test_a_new_figures_kind_is_guessed_from_the_extracted_unit(unit, kind, written):
    assert ingest.figure_kind_for(unit) == (kind, written)


def test_accepting_into_a_figure_of_another_story_writes_nothing(reporter, ingested):
    candidate = ingested(CORRECTION, reporter)
    elsewhere = FigureFactory(story=StoryFactory(), subject="Canadian victims", actor=reporter)
    before = _rows()

    with pytest.raises(ValidationError, match="this story's figures"):
        ingest.ingest_candidate_accept(candidate=candidate, actor=reporter, figure=elsewhere)

    assert _rows() == before
    assert candidate.__class__.objects.get(pk=candidate.pk).decision == "open"


def test_a_sentence_with_no_speaker_is_not_credited_to_a_source(story, reporter, ingested):
    candidate = ingested("The death toll of the Canadian victims rose to 57 on Friday.", reporter)
    before = _rows()

    with pytest.raises(ValidationError, match="names no speaker"):
        ingest.ingest_candidate_accept(
            candidate=candidate, actor=reporter, figure=ingest.FigureDraft("Canadian victims")
        )

    assert _rows() == before


# --- reporting a new value ------------------------------------------------------------------


def test_reporting_a_new_value_supersedes_the_corrected_report(
    victims, report_63, editor, ingested
):
    candidate = ingested(CORRECTION)
    version = _fresh(report_63).version

    claim = ingest.ingest_candidate_report(
        candidate=candidate, actor=editor, supersedes_version=version,
        filing=ingest.Filing(said_at=FRIDAY),
    )  # fmt: skip

    new, old = _fresh(claim), _fresh(report_63)
    assert (new.figure, new.value, new.text, new.status) == (
        victims, 57, candidate.claim_text, "unverified"
    )  # fmt: skip
    assert (old.status, old.superseded_by) == ("superseded", new)
    attribution = Attribution.objects.get(claim=new)
    assert (attribution.source.name, attribution.said_at, attribution.quote) == (
        CHAMPAGNE, FRIDAY, CORRECTION
    )  # fmt: skip
    assert list(Revision.objects.filter(claim=new).values_list("kind", flat=True)) == [
        "created", "attribution", "superseded"
    ]  # fmt: skip
    assert Revision.objects.get(claim=old, kind="superseded").after["superseded_by"] == new.pk
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.claim) == ("accepted", new)
    state = desk_figure(victims, Claim.objects.all()).state
    assert (state.kind, state.current.claim_id, state.current.value) == ("current", new.pk, 57)


def test_a_reporter_may_not_replace_another_sources_report_and_nothing_is_written(
    report_63, reporter, ingested
):
    candidate = ingested(CORRECTION, reporter)
    before = _rows()

    with pytest.raises(PermissionDenied, match="Only an editor may replace"):
        ingest.ingest_candidate_report(
            candidate=candidate, actor=reporter, supersedes_version=_fresh(report_63).version
        )

    assert _rows() == before
    assert _fresh(report_63).status == "unverified"
    assert candidate.__class__.objects.get(pk=candidate.pk).decision == "open"


def test_a_reporter_may_file_a_source_revising_its_own_report(story, reporter, ingested):
    injured = FigureFactory(story=story, subject="injured", unit="people", actor=reporter)
    police = SourceFactory(name="Police", kind="government")
    old = ReportFactory(figure=injured, value=22, source=police, actor=reporter,
                        text="Police say 22 people were injured.")  # fmt: skip
    candidate = ingested(
        "Police said the number of injured was revised to 18 from 22 on Monday.", reporter
    )

    claim = ingest.ingest_candidate_report(
        candidate=candidate, actor=reporter, supersedes_version=_fresh(old).version
    )

    assert (_fresh(old).superseded_by, claim.value) == (claim, 18)
    assert Attribution.objects.get(claim=claim).source == police


def test_a_stale_version_of_the_corrected_report_writes_nothing(report_63, editor, ingested):
    candidate = ingested(CORRECTION)
    stale = _fresh(report_63).version
    services.note_add(claim=report_63, body="Call Ottawa.", actor=editor)  # keeps the version
    services.claim_set_status(
        claim=_fresh(report_63), status="in_review", rationale="", actor=editor,
        expected_version=stale,
    )  # fmt: skip
    before = _rows()

    with pytest.raises(ConflictError):
        ingest.ingest_candidate_report(candidate=candidate, actor=editor, supersedes_version=stale)

    assert _rows() == before
    assert _fresh(report_63).status == "in_review"
    assert candidate.__class__.objects.get(pk=candidate.pk).decision == "open"


def test_a_decided_candidate_is_not_reported_again(report_63, editor, ingested):
    candidate = ingested(CORRECTION)
    ingest.ingest_candidate_dismiss(candidate=candidate, actor=editor)
    before = _rows()

    with pytest.raises(ValidationError, match="already dismissed"):
        ingest.ingest_candidate_report(
            candidate=candidate, actor=editor, supersedes_version=_fresh(report_63).version
        )

    assert _rows() == before


def test_a_sentence_that_contradicts_no_report_has_none_to_replace(victims, editor, ingested):
    candidate = ingested(CORRECTION)

    with pytest.raises(ValidationError, match="no report for this sentence to replace"):
        ingest.ingest_candidate_report(candidate=candidate, actor=editor, supersedes_version=1)


def test_a_report_moved_by_a_figure_merge_is_replaced_where_it_now_is(
    story, victims, report_63, editor, ingested
):
    candidate = ingested(CORRECTION)
    toll = FigureFactory(story=story, subject="Canadian deaths on PS752", actor=editor)
    services.figure_merge(figure=victims, into=toll, actor=editor, expected_version=1)

    claim = ingest.ingest_candidate_report(
        candidate=candidate, actor=editor, supersedes_version=_fresh(report_63).version
    )

    assert (claim.figure, _fresh(report_63).superseded_by) == (toll, claim)


def test_extraction_judges_figures_through_the_task_as_the_worker_does(story, editor, victims):
    job = ingest.ingest_job_create(story=story, text=CORRECTION, actor=editor)

    state = ingest.ingest_job_run(job_id=job.pk, read_figures=tasks.story_figures)

    assert state == "done"
    assert job.candidates.get().figure == victims
