"""What readers and partners see: public stories and claims, the public trail, webhooks."""

import unicodedata

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.utils.text import Truncator

from claims.access.desk import is_ruled
from claims.models import STATUS_LABELS, VERDICTS, Claim, Revision, Story
from sources.models import SourceRevision

# The largest id a bigint primary key holds.
__all__ = [
    "MAX_ID",
    "PUBLIC_REVISION_FIELDS",
    "PUBLIC_REVISION_KINDS",
    "RULINGS",
    "SUBJECT_CHARS",
    "access_public_claim_by_id",
    "access_public_story_by_slug",
    "claim_subject",
    "claims_of_public_stories",
    "public_claim_q",
    "public_claims",
    "public_replaced",
    "public_replacement",
    "public_stories",
    "public_story_claims",
    "published_with_ruling",
    "ruling_title",
    "subscriber_follows",
]

MAX_ID = 2**63 - 1
# Revisions a reader may see in a claim's corrections trail (hidden, assigned, evidence and
# attribution revisions are the desk's own), and the fields of them a reader may see.
PUBLIC_REVISION_KINDS = (
    Revision.Kind.CREATED,
    Revision.Kind.EDITED,
    Revision.Kind.MINOR_EDIT,
    Revision.Kind.STATUS,
    Revision.Kind.SUPERSEDED,
    Revision.Kind.MERGED,
    Revision.Kind.VALUE_FIXED,  # a typo in a report's value, shown with the desk's note
)
PUBLIC_REVISION_FIELDS = frozenset(
    {
        "text",
        "figure",
        "value",
        "approximation",
        "value_high",
        "status",
        "rationale",
        "superseded_by",
        # Revisions written before figures existed name a claim's quantity this way.
        "quantity_subject",
        "quantity_value",
        "quantity_unit",
    }
)
# What feeds and webhooks publish as a ruling: a verdict, or a claim replaced by another.
# Moving a claim to In review (or back to Unverified) is the desk's own business.
RULINGS = (*VERDICTS, Claim.Status.SUPERSEDED.value)


def public_claim_q(prefix: str = "") -> Q:
    """The condition for a public claim, on a claim reached through ``prefix``
    (``"claim__"`` from a revision)."""
    return Q(**{f"{prefix}is_hidden": False, f"{prefix}story__is_public": True})


def public_stories() -> QuerySet[Story]:
    return Story.objects.filter(is_public=True)


def public_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(story__is_public=True, is_hidden=False).for_display()


def public_story_claims(story: Story) -> QuerySet[Claim]:
    """The visible claims of a story the reader reached through ``access_public_story``."""
    return story.claims.filter(is_hidden=False).for_display().order_by("-changed_at", "-id")


def claims_of_public_stories() -> QuerySet[Claim]:
    """Every claim of a public story, hidden ones too: hiding one changes what readers see."""
    return Claim.objects.filter(story__is_public=True)


def access_public_story_by_slug(slug: str) -> Story:
    story = public_stories().filter(slug=slug).first()
    if story is None:
        raise Http404("No such story.")
    return story


def access_public_claim_by_id(claim_id: int) -> Claim:
    claim = (
        public_claims()
        .select_related("story", "superseded_by", "figure")
        .for_display("superseded_by")
        .filter(pk=claim_id)
        # The page names its sources: their newest change is part of what it shows.
        .annotate(sources_changed=Subquery(SourceRevision.objects.order_by("-pk").values("pk")[:1]))
        .first()
    )
    if claim is None:
        raise Http404("No such claim.")
    return claim


def published_with_ruling(claim: Claim, rows) -> list:
    """Of a public claim's attributions or evidence, those readers see: all of them while it
    is open; once it is ruled, what the ruling was given on. What is added to a ruled claim
    waits on the desk until an editor rules again."""
    if not is_ruled(claim) or claim.status_changed_at is None:
        return list(rows)
    return [row for row in rows if row.created_at <= claim.status_changed_at]


def public_replacement(claim: Claim) -> Claim | None:
    """The claim that replaced this public one, when a reader may see it."""
    replacement = claim.superseded_by
    if replacement is None or replacement.is_hidden:
        return None
    return replacement


def public_replaced(claim: Claim) -> QuerySet[Claim]:
    """The claims this public one replaced, as far as a reader may see them."""
    return claim.supersedes.filter(is_hidden=False).for_display()


def subscriber_follows(subscriber, claim: Claim, *, hiding: bool = False) -> bool:
    """An active webhook subscriber that names no stories follows every public story;
    naming stories (which a moderator does in the admin) is how a partner follows those,
    private ones too, and only those. Of a hidden claim, only the notice that it was hidden
    (``hiding``: its id alone, so the partner takes it down) is sent."""
    if (claim.is_hidden and not hiding) or not subscriber.is_active:
        return False
    named = {story.pk for story in subscriber.stories.all()}
    return claim.story_id in named if named else claim.story.is_public


# How a ruling is named to readers and partners (feed items, webhook payloads) ----------------

SUBJECT_CHARS = 140


def claim_subject(text: str) -> str:
    """A claim as a title names it: its own words, never its figure, on one line."""
    subject = unicodedata.normalize("NFC", " ".join((text or "").split()))
    if len(subject) <= SUBJECT_CHARS:
        return subject  # nothing to cut (Truncator's work is the slow part of a feed build)
    return Truncator(subject).chars(SUBJECT_CHARS)


def ruling_title(status: str, text: str, replacement_text: str | None = None) -> str:
    """A ruling's title, by the words it rated: ``Confirmed: Canada's foreign minister says
    57 Canadians died on PS752``. A replaced claim names the claim that replaced it only
    when the caller passes its text (a reader may see it)."""
    if status == Claim.Status.SUPERSEDED:
        by = claim_subject(replacement_text) if replacement_text else "a newer claim"
        return f"Superseded: {claim_subject(text)}, replaced by {by}"
    return f"{STATUS_LABELS.get(status, '—')}: {claim_subject(text)}"
