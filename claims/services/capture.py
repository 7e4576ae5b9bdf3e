"""Capture evidence URLs in the background and record the snapshot on the evidence row."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from claims.lib.capture import Snapshot, fetch_snapshot
from claims.models import Evidence

Capture = Evidence.Capture
# A capture still pending after this long was lost (its worker died and its message with it,
# or it kept failing); it is recorded as failed rather than left spinning on the claim page.
GIVE_UP_AFTER = timedelta(hours=1)
# Fresh captures are left to the task queued after commit before the sweep queues them again.
SWEEP_GRACE = timedelta(minutes=2)


def evidence_capture_run(*, evidence_id: int) -> str | None:
    """Fetch a pending evidence URL and record the outcome; return the new capture state.

    Safe to run twice: only a pending row is fetched, and only a pending row is written, so a
    second run finds the work done (or, if both fetched at once, the first write stands).
    """
    url = (
        Evidence.objects.filter(pk=evidence_id, capture_status=Capture.PENDING)
        .values_list("url", flat=True)
        .first()
    )
    if url is None:
        return None
    snapshot = fetch_snapshot(
        url,
        allow_loopback=settings.CLAIMDESK_CAPTURE_ALLOW_LOOPBACK,
        timeout=settings.CLAIMDESK_CAPTURE_TIMEOUT,
    )
    return evidence_record_capture(evidence_id=evidence_id, snapshot=snapshot)


def capture_state_for(snapshot: Snapshot) -> str:
    if snapshot.ok:
        return Capture.CAPTURED
    if snapshot.error.startswith("blocked") or snapshot.error.startswith("unsupported scheme"):
        return Capture.BLOCKED
    return Capture.FAILED


def evidence_record_capture(*, evidence_id: int, snapshot: Snapshot) -> str | None:
    """Store a snapshot on evidence that is still pending; return the state written."""
    state = capture_state_for(snapshot)
    updated = Evidence.objects.filter(pk=evidence_id, capture_status=Capture.PENDING).update(
        capture_status=state,
        capture_error=snapshot.error[:500],
        capture_final_url=snapshot.final_url[:2000],
        capture_http_status=snapshot.http_status,
        capture_content_type=snapshot.content_type[:200],
        capture_sha256=snapshot.sha256,
        capture_title=snapshot.title[:500],
        capture_text=snapshot.text,
        captured_at=snapshot.fetched_at,
    )
    return state if updated else None


def evidence_record_failure(*, evidence_id: int, reason: str) -> bool:
    """Record a capture that could not finish (time limit, lost task) on pending evidence."""
    return bool(
        Evidence.objects.filter(pk=evidence_id, capture_status=Capture.PENDING).update(
            capture_status=Capture.FAILED, capture_error=reason[:500], captured_at=timezone.now()
        )
    )


def stale_capture_ids(limit: int = 200) -> list[int]:
    """Pending captures old enough that their queued task was probably lost."""
    now = timezone.now()
    return list(
        Evidence.objects.filter(
            capture_status=Capture.PENDING,
            created_at__lte=now - SWEEP_GRACE,
            created_at__gt=now - GIVE_UP_AFTER,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def give_up_lost_captures() -> int:
    return Evidence.objects.filter(
        capture_status=Capture.PENDING, created_at__lte=timezone.now() - GIVE_UP_AFTER
    ).update(
        capture_status=Capture.FAILED,
        capture_error="capture did not complete within an hour; add the link again to retry",
        captured_at=timezone.now(),
    )
