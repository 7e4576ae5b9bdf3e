"""Ingest: live-update text in, candidate claims out, and the editor's decision on each.

A job is created with its text and extracted by a task after commit; each candidate is linked
to the story's figure it speaks of and judged against what that figure stands at
(``ingest_figures``). The desk then accepts it, reports it as a new value of its figure, or
dismisses it (``ingest_decisions``), always through the claim and figure services.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import outbox
from claims.access import Action, require
from claims.lib.extraction import ExtractionError, extract
from claims.models import IngestCandidate, IngestJob, Story
from claims.services.ingest_decisions import (
    FigureDraft,
    Filing,
    ingest_candidate_accept,
    ingest_candidate_dismiss,
    ingest_candidate_report,
    proposed_quantity,
    quantity_for,
)
from claims.services.ingest_figures import (
    FigureIndex,
    Judgement,
    ReadFigures,
    conflicts_with_story,
    correction_value,
    figure_kind_for,
)
from claims.validation import MAX_LONG_TEXT, MAX_TEXT, clean_ingest_text
from sources.models import SourceKind

__all__ = [
    "FigureDraft",
    "FigureIndex",
    "Filing",
    "Judgement",
    "clean_time_zone",
    "conflicts_with_story",
    "correction_value",
    "figure_kind_for",
    "ingest_candidate_accept",
    "ingest_candidate_dismiss",
    "ingest_candidate_report",
    "ingest_job_create",
    "ingest_job_fail",
    "ingest_job_run",
    "proposed_quantity",
    "quantity_for",
    "stalled_job_ids",
]

Decision = IngestCandidate.Decision
# Longer than the task's hard time limit: a job "running" this long lost its worker.
STALLED_AFTER = timedelta(minutes=5)


# --- jobs -----------------------------------------------------------------------------------


def _sentence(message: str) -> str:
    message = message.strip()
    return (message[:1].upper() + message[1:]).rstrip(".") + "."


def clean_time_zone(name) -> str:
    """A time zone's IANA name ("Europe/London"); empty is the desk's own zone."""
    name = (name or "").strip() or settings.TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": f"“{name[:64]}” is no time zone: write one like Europe/London."}
        ) from None
    return name


@transaction.atomic
def ingest_job_create(
    *, story: Story, text: str, actor, story_date: date | None = None, time_zone: str = ""
) -> IngestJob:
    """Record the text and queue its extraction once the job is committed.

    Its live-blog times ("09:12") are read as times of ``story_date`` (today where the text
    was written, unless the desk says otherwise) in ``time_zone`` (the desk's by default)."""
    require(actor, Action.CREATE)
    if not isinstance(story, Story):
        raise ValidationError({"story": "Choose the story these updates belong to."})
    text = clean_ingest_text(text)
    time_zone = clean_time_zone(time_zone)
    if story_date is not None and not isinstance(story_date, date):
        raise ValidationError({"story_date": "Give the day the updates were written."})
    story_date = story_date or timezone.localdate(timezone=ZoneInfo(time_zone))
    job = IngestJob.objects.create(
        story=story, text=text, created_by=actor, story_date=story_date, time_zone=time_zone
    )
    outbox.queue_after_commit(outbox.EXTRACT, job.pk)
    return job


def _start(job_id: int) -> IngestJob | None:
    """Mark a waiting (or stalled) job as running; None if another worker has it or it is done."""
    with transaction.atomic():
        job = (
            IngestJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id)
            .filter(_runnable())
            .first()
        )
        if job is None:
            return None
        job.state = IngestJob.State.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at"])
        return job


def _runnable() -> Q:
    stalled = Q(state=IngestJob.State.RUNNING, started_at__lt=timezone.now() - STALLED_AFTER)
    return Q(state=IngestJob.State.PENDING) | stalled


def ingest_job_run(
    *, job_id: int, read_figures: ReadFigures, time_limit: float | None = None
) -> str | None:
    """Extract candidates for a job; return its final state (None if there was nothing to do).

    ``read_figures`` gives the story's figures with what each stands at, read once the text
    is extracted. Extraction that needs more than ``time_limit`` seconds fails the job, with
    a message that tells the editor so.
    """
    job = _start(job_id)
    if job is None:
        return None
    try:
        result = extract(
            job.text,
            time_limit=time_limit,
            story_date=job.story_date,
            time_zone=ZoneInfo(job.time_zone),
        )
    except ExtractionError as exc:
        _finish(job, state=IngestJob.State.FAILED, error=_sentence(str(exc)))
        return IngestJob.State.FAILED
    except Exception:
        _finish(job, state=IngestJob.State.FAILED, error="The extractor failed on this text.")
        raise
    _store_candidates(job, result, read_figures)
    return IngestJob.State.DONE


def ingest_job_fail(*, job_id: int, error: str) -> None:
    """Record that a job could not be finished (its worker ran out of time), unless it was."""
    IngestJob.objects.filter(pk=job_id).exclude(state=IngestJob.State.DONE).update(
        state=IngestJob.State.FAILED, error=_sentence(error)[:500], finished_at=timezone.now()
    )


def _finish(job: IngestJob, *, state: str, error: str = "") -> None:
    IngestJob.objects.filter(pk=job.pk).update(
        state=state, error=error[:500], finished_at=timezone.now()
    )


@transaction.atomic
def _store_candidates(job: IngestJob, result: dict, read_figures: ReadFigures) -> None:
    # A re-run replaces what an earlier, interrupted run may have written.
    IngestCandidate.objects.filter(job=job, decision=Decision.OPEN).delete()
    figures = FigureIndex(read_figures(job.story))
    IngestCandidate.objects.bulk_create(
        [
            _candidate_row(job, index, found, figures)
            for index, found in enumerate(result["candidates"])
        ],
        ignore_conflicts=True,
    )
    job.conflicts = result["conflicts"]
    job.state = IngestJob.State.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["conflicts", "state", "error", "finished_at"])


def _candidate_row(job: IngestJob, index: int, found: dict, figures: FigureIndex):
    corrects = found.get("corrects")
    judged = figures.judge(found["quantities"], corrects)
    attributions = [a for a in found.get("attributions") or [] if a.get("speaker")]
    return IngestCandidate(
        job=job,
        index=index,
        sentence=found["sentence"],
        claim_text=(found.get("claim_text") or found["sentence"])[:MAX_TEXT],
        quote=(found.get("quote") or found["sentence"])[:MAX_LONG_TEXT],
        speaker=(found.get("speaker") or "")[:300],
        speaker_kind=_kind(found.get("speaker_kind")) if found.get("speaker") else "",
        attributions=attributions,
        said_at=_said_at(found, attributions),
        quantities=found["quantities"],
        score=float(found["score"]),
        score_label=_score_label(found),
        reasons=[str(reason) for reason in found.get("reasons") or []],
        corrects=corrects,
        figure=judged.figure,
        conflicting_claim_id=judged.report_id,
        flag=judged.flag,
    )


def _kind(kind) -> str:
    """The extractor's kind of source; a name it could not type reads as a person's."""
    return kind if kind in SourceKind.values else SourceKind.PERSON


def _said_at(found: dict, attributions: list[dict]) -> datetime | None:
    """When the first speaker said it, else the entry's time: aware, or None."""
    for moment in [*(a.get("when") for a in attributions[:1]), found.get("time")]:
        try:
            parsed = datetime.fromisoformat(moment) if moment else None
        except (TypeError, ValueError):
            continue
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    return None


def _score_label(found: dict) -> str:
    label = found.get("score_label")
    return label if label in IngestCandidate.Score.values else IngestCandidate.Score.LOW


def stalled_job_ids(limit: int = 100) -> list[int]:
    """Jobs still waiting after a minute, or whose worker died while extracting."""
    now = timezone.now()
    waiting = Q(state=IngestJob.State.PENDING, created_at__lt=now - timedelta(minutes=1))
    stalled = Q(state=IngestJob.State.RUNNING, started_at__lt=now - STALLED_AFTER)
    return list(
        IngestJob.objects.filter(waiting | stalled)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
