"""The desk's decision on an ingest candidate, made once.

Accepting files the sentence as a claim credited to its speaker; when it gives the value of a
figure of the story (the one it was linked to, another the desk picks, or a new one started
from the extracted subject) it becomes a report of that figure. A sentence that corrects or
contradicts a report is filed as a new value of the figure replacing that report: a new claim,
never an edit of the old one's number. Dismissing files nothing. Each decision goes through
the claim and figure services and is recorded in their transaction, so a refused one writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.access import Action, may_see_claim, may_supersede_report, require
from claims.lib.extraction import subject_key
from claims.models import Claim, Figure, IngestCandidate
from claims.services.claims import claim_create
from claims.services.evidence import attribution_add
from claims.services.figures import figure_create, figure_report
from claims.services.sources import source_get_or_create
from claims.validation import MAX_LONG_TEXT, MAX_TEXT
from sources import services as source_services
from sources.models import Source

Decision = IngestCandidate.Decision
_ANONYMOUS_WORDS = {"official", "officials", "source", "sources", "spokesperson", "aide", "aides"}


@dataclass(frozen=True)
class FigureDraft:
    """A figure to start for the sentence's value, as the desk named it."""

    subject: str
    kind: str = Figure.Kind.COUNT
    unit: str = ""


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


def quantity_for(candidate: IngestCandidate, figure: Figure) -> dict | None:
    """The value the sentence gives ``figure``: of the quantities it asserts (not a corrected
    "not 63"), those with the figure's subject key, else all; the corrected value first."""
    corrects = candidate.corrects or {}
    asserted = [
        q for q in candidate.quantities or [] if not (corrects and q["value"] == corrects["old"])
    ]
    same = [q for q in asserted if subject_key(q.get("subject") or "") == figure.subject_key]
    pool = same or asserted
    newest = [q for q in pool if corrects and q["value"] == corrects["new"]]
    if newest:
        return newest[0]
    return pool[0] if same or len(asserted) == 1 else None


def proposed_quantity(candidate: IngestCandidate) -> dict | None:
    """The value a sentence linked to no figure would report: the corrected one, else its
    first."""
    corrects = candidate.corrects or {}
    quantities = candidate.quantities or []
    newest = [q for q in quantities if corrects and q["value"] == corrects["new"]]
    return (newest or quantities or [None])[0]


def _speaker_kind(name: str) -> str:
    words = {w.lower().strip(".,") for w in name.split()}
    return Source.Kind.ANONYMOUS if words & _ANONYMOUS_WORDS else Source.Kind.PERSON


def _speaker_source(name: str, actor) -> Source | None:
    name = name.strip()
    if not name:
        return None
    return source_get_or_create(name=name[:200], actor=actor, kind=_speaker_kind(name))


def _note(candidate: IngestCandidate) -> str:
    return f"Proposed by ingest #{candidate.job_id}."


def _report(candidate, figure: Figure, actor, said_at, *, supersedes=None, version=None):
    """The sentence as a report of ``figure``, credited to its speaker."""
    quantity = quantity_for(candidate, figure)
    if quantity is None:
        raise ValidationError({"figure": f"The sentence states no value of “{figure}”."})
    source = _speaker_source(candidate.speaker, actor)
    if source is None:
        raise ValidationError(
            {"figure": "The sentence names no speaker, so no source can be credited with its "
             "value: accept it without a figure."}
        )  # fmt: skip
    return figure_report(
        figure=figure,
        value=quantity["value"],
        text=candidate.sentence[:MAX_TEXT],
        source=source,
        said_at=said_at or timezone.now(),
        quote=candidate.sentence[:MAX_LONG_TEXT],
        actor=actor,
        supersedes=supersedes,
        supersedes_version=version,
        note=_note(candidate),
    )


def _settle(candidate: IngestCandidate, claim: Claim, figure: Figure | None) -> Claim:
    candidate.decision = Decision.ACCEPTED
    candidate.claim = claim
    candidate.figure = figure or candidate.figure
    candidate.save(update_fields=["decision", "claim", "figure"])
    return claim


@transaction.atomic
def ingest_candidate_accept(
    *, candidate: IngestCandidate, actor, figure: Figure | FigureDraft | None = None, said_at=None
) -> Claim:
    """File the sentence as a claim credited to its speaker; given a figure of the story, or
    a draft of a new one (created here), as a report of that figure's value."""
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    story = candidate.job.story
    if figure is None:
        claim = claim_create(
            story=story, text=candidate.sentence[:MAX_TEXT], actor=actor, note=_note(candidate)
        )
        source = _speaker_source(candidate.speaker, actor)
        if source is not None:
            attribution_add(
                claim=claim, source=source, actor=actor, said_at=said_at,
                quote=candidate.sentence[:MAX_LONG_TEXT],
            )  # fmt: skip
        return _settle(candidate, claim, None)
    if isinstance(figure, FigureDraft):
        figure = figure_create(
            story=story, subject=figure.subject, kind=figure.kind, unit=figure.unit, actor=actor
        )
    elif not isinstance(figure, Figure) or figure.story_id != story.pk:
        raise ValidationError({"figure": "Choose one of this story's figures."})
    return _settle(candidate, _report(candidate, figure, actor, said_at), figure)


@transaction.atomic
def ingest_candidate_report(
    *, candidate: IngestCandidate, actor, supersedes_version: int, said_at=None
) -> Claim:
    """File the sentence as a new value of its figure, replacing the report it corrects or
    contradicts: a new claim credited to its speaker, and the old report superseded by it.

    Anyone who files claims may do this when the speaker is the source of the old report,
    revising itself; a report by another source is replaced only by an editor.
    """
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    old = candidate.conflicting_claim
    if old is None or old.figure_id is None or not may_see_claim(actor, old):
        raise ValidationError(
            "There is no report for this sentence to replace: accept it as a claim instead."
        )
    figure = Figure.objects.select_related("story").get(pk=old.figure_id)
    if figure.story_id != candidate.job.story_id:
        raise ValidationError("The report this sentence replaces belongs to another story.")
    _check_may_replace(actor, old, candidate.speaker)
    claim = _report(candidate, figure, actor, said_at, supersedes=old, version=supersedes_version)
    return _settle(candidate, claim, figure)


def _check_may_replace(actor, old: Claim, speaker: str) -> None:
    """Refuse before anything is written, in words that say what to do instead."""
    known = source_services.source_named(speaker.strip()[:200]) if speaker.strip() else None
    if not may_supersede_report(actor, old, known.pk if known else None):
        raise PermissionDenied(
            f"Only an editor may replace a report by another source: {speaker or 'this speaker'} "
            f"did not make claim #{old.pk}. File the sentence without replacing it, as a report "
            "of its own, and ask an editor to rule."
        )


@transaction.atomic
def ingest_candidate_dismiss(*, candidate: IngestCandidate, actor) -> IngestCandidate:
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    candidate.decision = Decision.DISMISSED
    candidate.save(update_fields=["decision"])
    return candidate
