"""The desk's decision on an ingest candidate, made once.

Accepting files the proposed claim text (as the desk edited it) as a claim, with the exact
words as the quote, credited to the speaker (a new source gets the kind the extractor read)
at the time the text gives; when it gives the value of a figure of the story (the one it was
linked to, another the desk picks, or a new one started from the extracted subject) it becomes
a report of that figure, with the value's approximation. A sentence that corrects or
contradicts a report is filed as a new value of the figure replacing that report: a new claim,
never an edit of the old one's number. Dismissing files nothing. Each decision goes through
the claim and figure services and is recorded in their transaction, so a refused one writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.access import Action, may_see_claim, may_supersede_report, require
from claims.models import Claim, Figure, IngestCandidate
from claims.models.choices import Approximation
from claims.services.claims import claim_create
from claims.services.evidence import attribution_add
from claims.services.figures import figure_create, figure_report
from claims.services.ingest_figures import correction_value, figure_keys, quantity_keys
from claims.services.sources import source_get_or_create
from claims.validation import MAX_LONG_TEXT, MAX_TEXT
from sources import services as source_services
from sources.models import Source

Decision = IngestCandidate.Decision


@dataclass(frozen=True)
class FigureDraft:
    """A figure to start for the sentence's value, as the desk named it."""

    subject: str
    kind: str = Figure.Kind.COUNT
    unit: str = ""


@dataclass(frozen=True)
class Filing:
    """What the desk files for a sentence: its words, the quote, when it was said, and the
    kind of source a new speaker is. Left empty, each is what the extractor proposed."""

    text: str = ""
    quote: str = ""
    said_at: datetime | None = None
    speaker_kind: str = ""
    confirm_mismatch: bool = False

    def settled(self, candidate: IngestCandidate) -> Filing:
        return Filing(
            text=(self.text or candidate.proposed_text)[:MAX_TEXT],
            quote=(self.quote or candidate.exact_quote)[:MAX_LONG_TEXT],
            said_at=self.said_at or candidate.said_at,
            speaker_kind=self.speaker_kind or candidate.speaker_kind or Source.Kind.PERSON,
            confirm_mismatch=self.confirm_mismatch,
        )


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
    old, new = (correction_value(candidate.corrects, end) for end in ("old", "new"))
    asserted = [q for q in candidate.quantities or [] if old is None or q["value"] != old]
    keys = set(figure_keys(figure))
    same = [q for q in asserted if keys & set(quantity_keys(q))]
    pool = same or asserted
    newest = [q for q in pool if new is not None and q["value"] == new]
    if newest:
        return newest[0]
    return pool[0] if same or len(asserted) == 1 else None


def proposed_quantity(candidate: IngestCandidate) -> dict | None:
    """The value a sentence linked to no figure would report: the corrected one, else its
    first."""
    new = correction_value(candidate.corrects, "new")
    quantities = candidate.quantities or []
    newest = [q for q in quantities if new is not None and q["value"] == new]
    return (newest or quantities or [None])[0]


def _speaker_source(candidate: IngestCandidate, filing: Filing, actor) -> Source | None:
    name = candidate.speaker.strip()
    if not name:
        return None
    if filing.speaker_kind not in Source.Kind.values:
        raise ValidationError({"speaker_kind": "Choose what kind of source the speaker is."})
    return source_get_or_create(name=name[:200], actor=actor, kind=filing.speaker_kind)


def _note(candidate: IngestCandidate) -> str:
    return f"Proposed by ingest #{candidate.job_id}."


def _approximation(quantity: dict) -> tuple[str, object]:
    """How exact the value is, and a range's top (a range without one is read as exact)."""
    approximation = quantity.get("approximation") or Approximation.EXACT
    high = quantity.get("value_high")
    if approximation == Approximation.RANGE and high is not None:
        return approximation, high
    if approximation in Approximation.values and approximation != "range":
        return approximation, None
    return Approximation.EXACT, None


def _report(candidate, figure: Figure, actor, filing: Filing, *, supersedes=None, version=None):
    """The sentence as a report of ``figure``, credited to its speaker."""
    quantity = quantity_for(candidate, figure)
    if quantity is None:
        raise ValidationError({"figure": f"The sentence states no value of “{figure}”."})
    source = _speaker_source(candidate, filing, actor)
    if source is None:
        raise ValidationError(
            {"figure": "The sentence names no speaker, so no source can be credited with its "
             "value: accept it without a figure."}
        )  # fmt: skip
    approximation, high = _approximation(quantity)
    return figure_report(
        figure=figure,
        value=quantity["value"],
        approximation=approximation,
        value_high=high,
        text=filing.text,
        source=source,
        said_at=filing.said_at or timezone.now(),
        quote=filing.quote,
        actor=actor,
        supersedes=supersedes,
        supersedes_version=version,
        confirm_mismatch=filing.confirm_mismatch,
        note=_note(candidate),
    )


def _settle(candidate: IngestCandidate, claim: Claim, figure: Figure | None, replaced=None):
    candidate.decision = Decision.ACCEPTED
    candidate.claim = claim
    candidate.figure = figure or candidate.figure
    fields = ["decision", "claim", "figure"]
    if replaced is not None:
        candidate.conflicting_claim = replaced
        fields.append("conflicting_claim")
    candidate.save(update_fields=fields)
    return claim


@transaction.atomic
def ingest_candidate_accept(
    *,
    candidate: IngestCandidate,
    actor,
    figure: Figure | FigureDraft | None = None,
    filing: Filing | None = None,
) -> Claim:
    """File the sentence as a claim credited to its speaker; given a figure of the story, or
    a draft of a new one (created here), as a report of that figure's value."""
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    filing = (filing or Filing()).settled(candidate)
    story = candidate.job.story
    if figure is None:
        claim = claim_create(story=story, text=filing.text, actor=actor, note=_note(candidate))
        source = _speaker_source(candidate, filing, actor)
        if source is not None:
            attribution_add(
                claim=claim, source=source, actor=actor, said_at=filing.said_at,
                quote=filing.quote,
            )  # fmt: skip
        return _settle(candidate, claim, None)
    if isinstance(figure, FigureDraft):
        figure = figure_create(
            story=story, subject=figure.subject, kind=figure.kind, unit=figure.unit, actor=actor
        )
    elif not isinstance(figure, Figure) or figure.story_id != story.pk:
        raise ValidationError({"figure": "Choose one of this story's figures."})
    return _settle(candidate, _report(candidate, figure, actor, filing), figure)


@transaction.atomic
def ingest_candidate_report(
    *,
    candidate: IngestCandidate,
    actor,
    supersedes_version: int,
    supersedes: Claim | None = None,
    filing: Filing | None = None,
) -> Claim:
    """File the sentence as a new value of its figure, replacing the report it corrects or
    contradicts (``supersedes``, as the desk was shown it; else the one found when the text
    was extracted): a new claim credited to its speaker, and the old report superseded by it.

    Anyone who files claims may do this when the speaker is the source of the old report,
    revising itself; a report by another source is replaced only by an editor.
    """
    require(actor, Action.CREATE)
    candidate = _lock_open(candidate)
    filing = (filing or Filing()).settled(candidate)
    old = supersedes if supersedes is not None else candidate.conflicting_claim
    if old is not None and not isinstance(old, Claim):
        raise ValidationError("Choose the report this sentence replaces.")
    if old is None or old.figure_id is None or not may_see_claim(actor, old):
        raise ValidationError(
            "There is no report for this sentence to replace: accept it as a claim instead."
        )
    figure = Figure.objects.select_related("story").get(pk=old.figure_id)
    if figure.story_id != candidate.job.story_id:
        raise ValidationError("The report this sentence replaces belongs to another story.")
    _check_may_replace(actor, old, candidate.speaker)
    claim = _report(candidate, figure, actor, filing, supersedes=old, version=supersedes_version)
    return _settle(candidate, claim, figure, replaced=old)


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
