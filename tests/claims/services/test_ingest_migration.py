"""Candidates extracted before figures existed are linked to the figure their claim's quantity
became; the test leaves the database migrated to the latest state."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0009():
    apps = migrate([("claims", "0009_ruled_edits_and_redactions")])
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_an_open_candidate_is_linked_to_the_figure_its_claim_now_reports(at_0009):
    Story = at_0009.get_model("claims", "Story")
    Claim = at_0009.get_model("claims", "Claim")
    IngestJob = at_0009.get_model("claims", "IngestJob")
    IngestCandidate = at_0009.get_model("claims", "IngestCandidate")
    story = Story.objects.create(title="PS752", slug="ps752")
    quantified = Claim.objects.create(
        story=story, text="63 Canadians died.", quantity_subject="Canadian victims",
        quantity_value=Decimal(63), quantity_unit="people", changed_at=timezone.now(),
    )  # fmt: skip
    job = IngestJob.objects.create(story=story, text="57, not 63.", state="done")
    correcting = IngestCandidate.objects.create(
        job=job, index=0, sentence="57, not 63.", conflicting_claim=quantified, flag="correction"
    )
    plain = IngestCandidate.objects.create(job=job, index=1, sentence="Nothing to count.")

    apps = migrate([("claims", "0011_ingest_candidate_figure")])

    Figure = apps.get_model("claims", "Figure")
    Candidate = apps.get_model("claims", "IngestCandidate")
    figure = Figure.objects.get(story_id=story.pk)
    assert figure.subject == "Canadian victims"
    assert Candidate.objects.get(pk=correcting.pk).figure_id == figure.pk
    assert Candidate.objects.get(pk=plain.pk).figure_id is None


@pytest.fixture
def at_0011():
    apps = migrate([("claims", "0011_ingest_candidate_figure")])
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_earlier_candidates_read_as_before_with_their_sentence_speaker_and_score(at_0011):
    Story = at_0011.get_model("claims", "Story")
    IngestJob = at_0011.get_model("claims", "IngestJob")
    IngestCandidate = at_0011.get_model("claims", "IngestCandidate")
    job = IngestJob.objects.create(
        story=Story.objects.create(title="PS752", slug="ps752"), text="...", state="done"
    )
    said = "63 Canadians died, officials said."
    anonymous = IngestCandidate.objects.create(
        job=job, index=0, sentence=said, speaker="US officials", score=0.8
    )
    unattributed = IngestCandidate.objects.create(job=job, index=1, sentence="Smoke.", score=0.1)

    apps = migrate([("claims", "0012_ingest_candidate_analysis")])

    Candidate = apps.get_model("claims", "IngestCandidate")
    first, second = (
        Candidate.objects.get(pk=anonymous.pk),
        Candidate.objects.get(pk=unattributed.pk),
    )
    assert (first.claim_text, first.quote, first.score_label) == (said, said, "high")
    assert (first.speaker_kind, first.reasons, first.said_at) == ("anonymous", [], None)
    assert first.attributions == [
        {"speaker": "US officials", "kind": "anonymous", "via": None, "when": None}
    ]
    assert (second.speaker_kind, second.attributions, second.score_label) == ("", [], "low")
    assert apps.get_model("claims", "IngestJob").objects.get(pk=job.pk).time_zone == "UTC"
