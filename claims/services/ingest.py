"""Ingest: live-update text in, candidate claims out, and the editor's decision on each.

A job is created with its text and extracted by a task after commit. Each candidate is then
accepted (a new claim with its speaker's attribution), merged into the claim it corrects (a
quantity edit with its revision) or dismissed, always through the claim services.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import outbox
from claims.access import Action, may_see_claim, require
from claims.lib.extraction import ExtractionError, extract, subject_key
from claims.models import Claim, IngestCandidate, IngestJob, Story
from claims.services.claims import claim_create, claim_edit
from claims.services.evidence import attribution_add
from claims.services.sources import source_get_or_create
from claims.validation import (
    MAX_LONG_TEXT,
    MAX_SUBJECT,
    MAX_TEXT,
    MAX_UNIT,
    clean_ingest_text,
    json_number,
)
from sources.models import Source

Decision = IngestCandidate.Decision
Flag = IngestCandidate.Flag
# Longer than the task's hard time limit: a job "running" this long lost its worker.
STALLED_AFTER = timedelta(minutes=5)
_ANONYMOUS_WORDS = {"official", "officials", "source", "sources", "spokesperson", "aide", "aides"}


# --- jobs -----------------------------------------------------------------------------------


def _sentence(message: str) -> str:
    message = message.strip()
    return (message[:1].upper() + message[1:]).rstrip(".") + "."


@transaction.atomic
def ingest_job_create(*, story: Story, text: str, actor) -> IngestJob:
    """Record the text and queue its extraction once the job is committed."""
    require(actor, Action.CREATE)
    if not isinstance(story, Story):
        raise ValidationError({"story": "Choose the story these updates belong to."})
    text = clean_ingest_text(text)
    job = IngestJob.objects.create(story=story, text=text, created_by=actor)
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


def ingest_job_run(*, job_id: int, time_limit: float | None = None) -> str | None:
    """Extract candidates for a job; return its final state (None if there was nothing to do).

    Extraction that needs more than ``time_limit`` seconds fails the job, with a message
    that tells the editor so.
    """
    job = _start(job_id)
    if job is None:
        return None
    try:
        result = extract(job.text, time_limit=time_limit)
    except ExtractionError as exc:
        _finish(job, state=IngestJob.State.FAILED, error=_sentence(str(exc)))
        return IngestJob.State.FAILED
    except Exception:
        _finish(job, state=IngestJob.State.FAILED, error="The extractor failed on this text.")
        raise
    _store_candidates(job, result)
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
def _store_candidates(job: IngestJob, result: dict) -> None:
    # A re-run replaces what an earlier, interrupted run may have written.
    IngestCandidate.objects.filter(job=job, decision=Decision.OPEN).delete()
    claims = _ClaimsBySubject(_quantified_claims(job.story_id))
    IngestCandidate.objects.bulk_create(
        [
            _candidate_row(job, index, found, claims)
            for index, found in enumerate(result["candidates"])
        ],
        ignore_conflicts=True,
    )
    job.conflicts = result["conflicts"]
    job.state = IngestJob.State.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["conflicts", "state", "error", "finished_at"])


def _quantified_claims(story_id: int) -> list[Claim]:
    return list(
        Claim.objects.filter(story_id=story_id, quantity_value__isnull=False, is_hidden=False)
        .exclude(status=Claim.Status.SUPERSEDED)
        .exclude(quantity_subject="")
        .order_by("-changed_at", "-id")
    )


class _ClaimsBySubject:
    """A story's quantified claims, newest first, found by subject key: a candidate is
    compared with the claims about its own subjects, not with every claim of the story."""

    def __init__(self, claims: list[Claim]) -> None:
        self._by_key: dict[str, list[tuple[int, Claim]]] = {}
        for order, claim in enumerate(claims):
            key = subject_key(claim.quantity_subject)
            self._by_key.setdefault(key, []).append((order, claim))

    def about(self, keys: set[str]) -> list[tuple[str, Claim]]:
        """(key, claim) for the claims with one of ``keys``, newest first."""
        found = [(order, key, c) for key in keys for order, c in self._by_key.get(key, ())]
        return [(key, claim) for _, key, claim in sorted(found, key=lambda f: f[0])]


def _candidate_row(job: IngestJob, index: int, found: dict, claims: _ClaimsBySubject):
    corrects = found.get("corrects")
    claim, flag, _ = _conflicting_claim(found["quantities"], corrects, claims)
    return IngestCandidate(
        job=job,
        index=index,
        sentence=found["sentence"],
        speaker=(found.get("speaker") or "")[:300],
        quantities=found["quantities"],
        score=float(found["score"]),
        corrects=corrects,
        conflicting_claim=claim,
        flag=flag,
    )


def _conflicting_claim(
    quantities: list[dict], corrects: dict | None, claims: _ClaimsBySubject
) -> tuple[Claim | None, str, dict | None]:
    """The existing claim a candidate's figure contradicts, how, and the figure itself.

    A candidate that states a correction from the claim's value ("57, not 63") corrects
    it; any other different value for the same subject conflicts with it.
    """
    keys = [subject_key(q.get("subject") or "") for q in quantities]
    for key, claim in claims.about(set(keys)):
        same = [q for q, k in zip(quantities, keys, strict=True) if k == key]
        # A corrected figure ("not 63") is mentioned, not asserted.
        same = [q for q in same if not (corrects and q["value"] == corrects["old"])]
        values = {Decimal(str(q["value"])) for q in same}
        if not same or claim.quantity_value in values:
            continue  # says nothing about this claim, or agrees with it
        newest = [q for q in same if corrects and q["value"] == corrects["new"]]
        quantity = (newest or same)[0]
        if corrects and Decimal(str(corrects["old"])) == claim.quantity_value:
            return claim, Flag.CORRECTION, quantity
        return claim, Flag.CONFLICT, quantity
    return None, Flag.NONE, None


def conflicts_with_story(candidates: list[dict], story: Story) -> list[dict]:
    """Conflicts between extracted figures and the story's claims, in the extractor's shape.

    Each lists the claim's value first, then the new figures, and names the claim.
    """
    claims = _ClaimsBySubject(_quantified_claims(story.pk))
    found: dict[int, dict] = {}
    seen: dict[int, set] = {}  # each claim's values listed so far
    for index, candidate in enumerate(candidates):
        claim, flag, quantity = _conflicting_claim(
            candidate["quantities"], candidate.get("corrects"), claims
        )
        if claim is None:
            continue
        entry = found.setdefault(
            claim.pk,
            {
                "subject": claim.quantity_subject,
                "values": [json_number(claim.quantity_value)],
                "candidates": [],
                "kind": "disagreement",
                "claim": claim.pk,
            },
        )
        values = seen.setdefault(claim.pk, set(entry["values"]))
        if quantity["value"] not in values:
            values.add(quantity["value"])
            entry["values"].append(quantity["value"])
        entry["candidates"].append(index)
        if flag == Flag.CORRECTION:
            entry["kind"] = "correction"
    return list(found.values())


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


# --- decisions ------------------------------------------------------------------------------


def _lock_open(candidate: IngestCandidate) -> IngestCandidate:
    locked = (
        IngestCandidate.objects.select_for_update()
        .select_related("job__story")
        .get(pk=candidate.pk)
    )
    if locked.decision != Decision.OPEN:
        done = locked.get_decision_display().lower()
        raise ValidationError(f"This candidate was already {done}.")
    return locked


def _chosen_quantity(candidate: IngestCandidate, subject: str = "") -> dict | None:
    """The figure a claim should carry: the one matching ``subject``, else the corrected one."""
    quantities = candidate.quantities or []
    if subject:
        key = subject_key(subject)
        for quantity in quantities:
            if subject_key(quantity.get("subject") or "") == key:
                return quantity
    if candidate.corrects:
        for quantity in quantities:
            if quantity["value"] == candidate.corrects["new"]:
                return quantity
    return quantities[0] if quantities else None


def _speaker_source(name: str, actor) -> Source | None:
    name = name.strip()
    if not name:
        return None
    words = {w.lower().strip(".,") for w in name.split()}
    kind = Source.Kind.ANONYMOUS if words & _ANONYMOUS_WORDS else Source.Kind.PERSON
    return source_get_or_create(name=name[:200], actor=actor, kind=kind)


def _attribute(claim: Claim, candidate: IngestCandidate, actor) -> None:
    source = _speaker_source(candidate.speaker, actor)
    if source is not None:
        attribution_add(claim=claim, source=source, actor=actor, quote=candidate.sentence[:5000])


@transaction.atomic
def ingest_candidate_accept(*, candidate: IngestCandidate, actor) -> Claim:
    """Create a claim from the sentence, with its figure and its speaker's attribution."""
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    quantity = _chosen_quantity(candidate) or {}
    claim = claim_create(
        story=candidate.job.story,
        text=candidate.sentence[:MAX_TEXT],
        actor=actor,
        quantity_subject=(quantity.get("subject") or "")[:MAX_SUBJECT],
        quantity_value=quantity.get("value"),
        quantity_unit=(quantity.get("unit") or "")[:MAX_UNIT],
        note=f"Proposed by ingest #{candidate.job_id}.",
    )
    return _settle(candidate, Decision.ACCEPTED, claim, actor)


@transaction.atomic
def ingest_candidate_merge(
    *, candidate: IngestCandidate, into: Claim, actor, expected_version: int
) -> Claim:
    """Write the candidate's figure onto the claim it corrects, as an edit with a revision."""
    require(actor, Action.EDIT)
    if not may_see_claim(actor, into):
        raise ValidationError("There is no existing claim to merge this sentence into.")
    candidate = _lock_open(candidate)
    if into.story_id != candidate.job.story_id:
        raise ValidationError("A candidate can only be merged into a claim of the same story.")
    quantity = _chosen_quantity(candidate, subject=into.quantity_subject)
    if quantity is None:
        raise ValidationError("This sentence states no figure to merge into the claim.")
    claim = claim_edit(
        claim=into,
        actor=actor,
        expected_version=expected_version,
        quantity_value=quantity["value"],
        note=f"From ingest #{candidate.job_id}: {candidate.sentence}"[:MAX_LONG_TEXT],
    )
    return _settle(candidate, Decision.MERGED, claim, actor)


def _settle(candidate: IngestCandidate, decision: str, claim: Claim, actor) -> Claim:
    """Credit the sentence's speaker on the claim it became, and record the decision."""
    _attribute(claim, candidate, actor)
    candidate.decision = decision
    candidate.claim = claim
    candidate.save(update_fields=["decision", "claim"])
    return claim


@transaction.atomic
def ingest_candidate_dismiss(*, candidate: IngestCandidate, actor) -> IngestCandidate:
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    candidate.decision = Decision.DISMISSED
    candidate.save(update_fields=["decision"])
    return candidate
