"""Queue background work once the transaction that recorded it has committed.

The rows are already in the database, so a broker that is down only delays the work: the
periodic sweeps pick up whatever was not queued.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def queue(task_name: str, object_id: int) -> None:
    """Send a task now, or leave it to the sweeps if the broker cannot be reached."""
    from claims import tasks

    try:
        getattr(tasks, task_name).delay(object_id)
    except Exception:  # the broker is unreachable; the sweep will deliver it later
        logger.warning("Could not queue %s(%s); the sweep will pick it up", task_name, object_id)


def dispatch_after_commit(event_id: int) -> None:
    transaction.on_commit(lambda: queue("outbox_dispatch", event_id))


def capture_after_commit(evidence_id: int) -> None:
    transaction.on_commit(lambda: queue("evidence_capture", evidence_id))


def ingest_after_commit(job_id: int) -> None:
    transaction.on_commit(lambda: queue("ingest_extract", job_id))
