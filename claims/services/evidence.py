"""What a claim rests on: its evidence, who made it (attributions), the desk's notes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from claims import outbox
from claims.access import Action, require
from claims.models import Attribution, Claim, Evidence, Note, Revision
from claims.services.revisions import commit_change, lock_claim, refresh_search_document
from claims.validation import MAX_LONG_TEXT, MAX_OUTLET, clean_moment, clean_text, clean_url
from sources.models import Source


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    url: str,
    stance: str,
    actor,
    excerpt: str = "",
    source: Source | None = None,
    expected_version: int | None = None,
    capture: bool = True,
) -> Evidence:
    require(actor, Action.ADD_EVIDENCE)
    cited = {"url": clean_url(url, field="url", required=True)}
    if stance not in Evidence.Stance.values:
        raise ValidationError({"stance": "Choose supports, refutes or context."})
    cited["stance"] = stance
    cited["excerpt"] = clean_text(
        excerpt, field="excerpt", max_length=MAX_LONG_TEXT, required=False
    )
    claim = lock_claim(claim, expected_version)
    capture_status = Evidence.Capture.PENDING if capture else Evidence.Capture.SKIPPED
    evidence = Evidence.objects.create(
        claim=claim, source=source, added_by=actor, capture_status=capture_status, **cited
    )
    claim.evidence_count += 1
    commit_change(
        claim,
        kind=Revision.Kind.EVIDENCE,
        actor=actor,
        fields=["evidence_count"],
        after={"evidence_id": evidence.pk, "stance": stance, "url": cited["url"]},
    )
    if capture:
        outbox.queue_after_commit(outbox.CAPTURE, evidence.pk)
    return evidence


@transaction.atomic
def attribution_add(
    *,
    claim: Claim,
    source: Source,
    actor,
    quote: str = "",
    url: str = "",
    outlet: str = "",
    said_at=None,
    expected_version: int | None = None,
) -> Attribution:
    require(actor, Action.ADD_ATTRIBUTION)
    if not isinstance(source, Source):
        raise ValidationError({"source": "Choose who made the claim."})
    said = {
        "quote": clean_text(quote, field="quote", max_length=MAX_LONG_TEXT, required=False),
        "url": clean_url(url, field="url", required=False),
        "outlet": clean_text(outlet, field="outlet", max_length=MAX_OUTLET, required=False),
        "said_at": clean_moment(said_at, field="said_at"),
    }
    claim = lock_claim(claim, expected_version)
    attribution = Attribution.objects.create(claim=claim, source=source, added_by=actor, **said)
    refresh_search_document(claim)
    commit_change(
        claim,
        kind=Revision.Kind.ATTRIBUTION,
        actor=actor,
        fields=["search_document"],
        after={"attribution_id": attribution.pk, "source": source.name, "quote": said["quote"]},
    )
    return attribution


@transaction.atomic
def note_add(*, claim: Claim, body: str, actor) -> Note:
    """Internal notes are for the desk only and do not change the claim's version."""
    require(actor, Action.ADD_NOTE)
    body = clean_text(body, field="body", max_length=MAX_LONG_TEXT, required=True)
    return Note.objects.create(claim=claim, author=actor, body=body)
