"""Background work. Tasks take ids, re-fetch, call a service, and are safe to run twice.

Each task serves one of the outbox's queue names (``outbox.register``) and is queued, by
that name, after the commit that recorded its work; a periodic sweep (celery beat) queues
again whatever a dead worker or an unreachable Redis left behind. This is the only module
that knows which task serves which queue.
Transient database errors are retried with exponential backoff, jitter and a cap that stays
below the broker's visibility timeout.

Extraction has a Celery queue of its own (routed in ``config.celery``) and limits of its
own. Inline (no Redis) it runs in the editor's request, so there it gets
``INLINE_EXTRACTION_SECONDS`` and then fails the job, saying so.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from claims import outbox
from claims.models import Claim
from claims.selectors.figures import desk_story_figures
from claims.services import capture, delivery, ingest
from claims.services import purges as purge_service

# 2 MB of the worst text takes extraction about 12 s (``manage.py bench --extraction-only``)
# and the whole job, storing its 70,000 candidates, about 16 s; these leave room for a slower
# machine. The hard limit stays below ingest.STALLED_AFTER and the broker's visibility timeout.
INGEST_SOFT_TIME_LIMIT = 120
INGEST_TIME_LIMIT = 150
# In a worker, extraction gives up on its own before the soft limit, leaving time to store.
WORKER_EXTRACTION_SECONDS = INGEST_SOFT_TIME_LIMIT - 30
INLINE_EXTRACTION_SECONDS = 10

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@outbox.register(outbox.DISPATCH)
@shared_task(**RETRY)
def outbox_dispatch(event_id: int) -> int:
    """Fan one outbox event out to webhook deliveries and watcher e-mails, then send them."""
    delivery_ids = delivery.dispatch_event(event_id)
    delivery.queue_deliveries(delivery_ids)
    return len(delivery_ids)


@outbox.register(outbox.DELIVER)
@shared_task(**RETRY)
def webhook_deliver(delivery_id: int) -> str | None:
    """One attempt at one webhook; failures are rescheduled on the row for the sweep."""
    return delivery.deliver_webhook(delivery_id)


@shared_task(**RETRY)
def outbox_sweep() -> int:
    """Queue every undispatched event and every due webhook retry."""
    event_ids = delivery.undispatched_event_ids()
    for event_id in event_ids:
        outbox.queue(outbox.DISPATCH, event_id)
    delivery_ids = delivery.due_delivery_ids()
    delivery.queue_deliveries(delivery_ids)
    return len(event_ids) + len(delivery_ids)


@outbox.register(outbox.CAPTURE)
@shared_task(**RETRY)
def evidence_capture(evidence_id: int) -> str | None:
    """Fetch an evidence URL safely and store its snapshot; failures are recorded, not raised."""
    try:
        return capture.evidence_capture_run(evidence_id=evidence_id)
    except SoftTimeLimitExceeded:
        capture.evidence_record_failure(
            evidence_id=evidence_id, reason="capture took longer than the task time limit"
        )
        return "failed"


@shared_task(**RETRY)
def capture_sweep() -> int:
    """Queue captures whose task was lost, and give up on those pending for too long."""
    given_up = capture.give_up_lost_captures()
    stale = capture.stale_capture_ids()
    for evidence_id in stale:
        outbox.queue(outbox.CAPTURE, evidence_id)
    return given_up + len(stale)


@outbox.register(outbox.EXTRACT)
@shared_task(
    bind=True,
    soft_time_limit=INGEST_SOFT_TIME_LIMIT,
    time_limit=INGEST_TIME_LIMIT,
    **RETRY,
)
def ingest_extract(self, job_id: int) -> str | None:
    """Split an ingest job's text into candidate claims, within this run's time."""
    inline = self.request.is_eager
    seconds = INLINE_EXTRACTION_SECONDS if inline else WORKER_EXTRACTION_SECONDS
    try:
        return ingest.ingest_job_run(job_id=job_id, read_figures=story_figures, time_limit=seconds)
    except SoftTimeLimitExceeded:
        ingest.ingest_job_fail(
            job_id=job_id,
            error=f"the text took longer than the {INGEST_SOFT_TIME_LIMIT} s limit to ingest; "
            "split it into smaller parts and ingest them one at a time",
        )
        return "failed"


def story_figures(story):
    """A story's figures as extraction judges them: by every report the desk has not hidden."""
    return desk_story_figures(story, Claim.objects.filter(is_hidden=False))


@shared_task(**RETRY)
def ingest_sweep() -> int:
    """Queue ingest jobs that never started or whose worker died while extracting."""
    job_ids = ingest.stalled_job_ids()
    for job_id in job_ids:
        outbox.queue(outbox.EXTRACT, job_id)
    return len(job_ids)


@outbox.register(outbox.PURGE)
@shared_task(**RETRY)
def cache_purge(purge_id: int) -> str:
    """Send one recorded HTTP-cache purge; a failure stays on the row for the sweep."""
    return purge_service.purge_send(purge_id)


@shared_task(**RETRY)
def purge_sweep() -> int:
    """Queue every cache purge not yet confirmed by the cache."""
    purge_ids = purge_service.unsent_purge_ids()
    for purge_id in purge_ids:
        outbox.queue(outbox.PURGE, purge_id)
    return len(purge_ids)
