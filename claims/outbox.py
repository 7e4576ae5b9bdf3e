"""Background work recorded in the transaction that causes it, queued once it commits.

Services record what must happen (an ``OutboxEvent`` row, or a row left pending such as an
evidence capture) and name the queue for it; ``claims.tasks`` registers the task behind each
queue name when it is imported. This module imports no task, so a service never depends on
Celery. The rows are already in the database, so a broker that is down, or a process that
has no task registered, only delays the work: the periodic sweeps queue whatever was left.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from claims.models import Claim, OutboxEvent, Revision

logger = logging.getLogger(__name__)

# Queue names, each served by one task registered in claims.tasks.
DISPATCH = "outbox_dispatch"
DELIVER = "webhook_deliver"
CAPTURE = "evidence_capture"
EXTRACT = "ingest_extract"
PURGE = "cache_purge"

_tasks: dict[str, object] = {}


def register(name: str) -> Callable:
    """Serve the queue ``name`` with a task: ``@outbox.register(outbox.CAPTURE)`` above it."""

    def decorate(task):
        _tasks[name] = task
        return task

    return decorate


def queue(name: str, object_id: int) -> None:
    """Send the work now, or leave it to the sweeps if the broker cannot be reached."""
    task = _tasks.get(name)
    if task is None:
        logger.warning("No task serves %s(%s); the sweep will pick it up", name, object_id)
        return
    try:
        task.delay(object_id)
    except Exception:  # the broker is unreachable; the sweep will deliver it later
        logger.warning("Could not queue %s(%s); the sweep will pick it up", name, object_id)


def queue_after_commit(name: str, object_id: int) -> None:
    transaction.on_commit(lambda: queue(name, object_id))


def record(
    kind: str, claim: Claim | None, revision: Revision | None, payload: dict, *, story=None
) -> OutboxEvent:
    """Record an event with the change that caused it (a claim's, or a ``story``'s own); it
    is dispatched after commit."""
    event = OutboxEvent.objects.create(
        kind=kind, claim=claim, story=story, revision=revision, payload=payload
    )
    queue_after_commit(DISPATCH, event.pk)
    return event
