"""Purges of the HTTP cache, recorded with the change that stales the public pages.

``record_purge`` writes a ``CachePurge`` row in the caller's transaction and queues its
sending after commit (``outbox.PURGE``); a rolled-back change purges nothing, and a cache
that is down leaves the row unsent for the sweep. Keys follow the public responses'
``Surrogate-Key`` headers: ``claim-<id>``, ``story-<id>``, ``figure-<id>``,
``source-<id>``, ``feeds``, ``index``.
"""

import time
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from claims import outbox
from claims.lib import purge
from claims.models import CachePurge

FEEDS = "feeds"
INDEX = "index"
MAX_ATTEMPTS = 20
# How long a purge waits for the read replica to replay the change it announces.
REPLICA_WAIT_SECONDS = 2.0


def claim_keys(claim) -> list[str]:
    keys = [f"claim-{claim.pk}", f"story-{claim.story_id}", FEEDS, INDEX]
    if claim.figure_id:
        keys.append(f"figure-{claim.figure_id}")
    return keys


def story_keys(story) -> list[str]:
    return [f"story-{story.pk}", FEEDS, INDEX]


def record_purge(keys: Iterable[str]) -> CachePurge:
    row = CachePurge.objects.create(keys=sorted(set(keys)))
    outbox.queue_after_commit(outbox.PURGE, row.pk)
    return row


def record_claim_purge(claim, *more: str) -> CachePurge:
    """Purge everything that shows ``claim``: its page, its story, its figure, the feeds."""
    return record_purge([*claim_keys(claim), *more])


def record_story_purge(story) -> CachePurge:
    return record_purge(story_keys(story))


def record_source_purge(source_id: int) -> CachePurge:
    """Purge every public page and feed that names the source (its ``source-<id>`` key)."""
    return record_purge([f"source-{source_id}", FEEDS])


def purge_on_source_revision(sender, instance, created: bool, **kwargs) -> None:
    """A source's change is written as a ``SourceRevision`` (the sources app, which knows
    nothing of claims); the pages naming it are purged in the same transaction."""
    if created:
        record_source_purge(instance.source_id)


def purge_send(purge_id: int, *, backend: purge.PurgeBackend | None = None) -> str:
    """Send one recorded purge; a failure is kept on the row for the sweep. Safe to repeat."""
    backend = backend or purge.backend_for(getattr(settings, "CLAIMDESK_PURGE_URL", None))
    if backend is not None:
        replica_caught_up()
    with transaction.atomic():
        row = CachePurge.objects.select_for_update().filter(pk=purge_id).first()
        if row is None or row.purged_at is not None:
            return "done"
        if backend is None:
            row.purged_at = timezone.now()
            row.save(update_fields=["purged_at"])
            return "no-cache"
        row.attempts += 1
        try:
            backend.purge(row.keys)
        except purge.PurgeError as error:
            row.last_error = str(error)[:500]
            row.save(update_fields=["attempts", "last_error"])
            return "failed"
        row.purged_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "purged_at", "last_error"])
        return "purged"


def replica_caught_up(seconds: float = REPLICA_WAIT_SECONDS) -> bool:
    """Wait, at most ``seconds``, until the read replica has replayed the primary's writes so
    far. A purge sent sooner lets the cache fetch the page again from a replica that does not
    have the change yet, and keep that stale page for its ``s-maxage``. Without a replica, or
    with one that cannot be reached (readers then fall back to the primary), no wait."""
    if "replica" not in settings.DATABASES or connections["default"].vendor != "postgresql":
        return True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + seconds
    while True:
        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
                (replayed,) = cursor.fetchone()
        except DatabaseError:
            return True
        # NULL: not a standby (a test's mirror of the primary): nothing to wait for.
        if replayed is None or replayed:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def unsent_purge_ids() -> list[int]:
    pending = CachePurge.objects.filter(purged_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    return list(pending.order_by("id").values_list("id", flat=True)[:500])
