"""Extraction travels on a Celery queue of its own, and the worker serves it, judging each
sentence against the story's figures."""

import json

import pytest
import redis
from django.conf import settings

from claims.models import IngestJob
from claims.services import ingest
from tests.support.factories import (
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)
from tests.support.receivers import wait_for
from tests.worker.test_worker import Worker

TEXT = "Police said 52 protesters were arrested, up from 40."


@pytest.fixture
def broker() -> redis.Redis:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("ingest", "celery")
    yield client
    client.delete("ingest", "celery")


@pytest.mark.redis
def test_an_ingest_job_is_sent_to_the_ingest_queue(
    broker, story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=TEXT, actor=editor)

    [message] = [json.loads(raw) for raw in broker.lrange("ingest", 0, -1)]
    assert message["headers"]["task"] == "claims.tasks.ingest_extract"
    assert message["headers"]["argsrepr"] == f"({job.pk},)"
    assert broker.llen("celery") == 0


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.redis
def test_the_worker_extracts_jobs_from_the_ingest_queue(broker, committed_db, tmp_path):
    editor = UserFactory(username="eddie", role="editor")
    story = StoryFactory(actor=editor)
    arrested = FigureFactory(story=story, subject="protesters arrested", actor=editor)
    report = ReportFactory(
        figure=arrested, value=40, text="Police said 40 protesters were arrested.",
        source=SourceFactory(name="Police"), actor=editor,
    )  # fmt: skip
    worker = Worker(settings.REDIS_URL, tmp_path).start()
    try:
        job = ingest.ingest_job_create(story=story, text=TEXT, actor=editor)

        wait_for(
            lambda: IngestJob.objects.get(pk=job.pk).state == IngestJob.State.DONE,
            timeout=60,
            what=worker.logs,
        )
    finally:
        worker.kill()

    [candidate] = job.candidates.all()
    assert candidate.corrects == {
        "old": 40, "new": 52, "subject": "protesters arrested", "figure": "arrested",
        "reason": "stated as a correction",
    }  # fmt: skip
    assert (candidate.figure, candidate.conflicting_claim) == (arrested, report)
    assert candidate.flag == "correction"
