"""Who is on the desk and what they see there: hidden claims, ruled claims, redactions, and
one ``access_<thing>_by_<key>`` per object (a missing and a forbidden one are the same 404)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from claims.access.roles import DESK_ROLES, Action, can, require
from claims.models import VERDICTS, Claim, Evidence, IngestCandidate, IngestJob, Story
from sources.models import Source

__all__ = [
    "RULED_STATUSES",
    "access_candidate_by_id",
    "access_claim_by_id",
    "access_evidence_by_id",
    "access_ingest_job_by_id",
    "access_source_by_id",
    "access_story_by_slug",
    "desk_required",
    "desk_users",
    "is_desk_user",
    "is_ruled",
    "may_edit_words",
    "may_see_claim",
    "require_may_edit_words",
    "sees_hidden",
    "sees_redacted",
    "visible_claims",
    "visible_replacement",
]


def is_desk_user(user) -> bool:
    """Reporters, editors, moderators and superusers: whoever may view claims."""
    return can(user, Action.VIEW)


def sees_hidden(user) -> bool:
    return can(user, Action.HIDE)


def desk_users() -> QuerySet:
    """The active people on the desk, for assignment and the queue's filter."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=DESK_ROLES) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def desk_required(view: Callable) -> Callable:
    """Logged-in desk staff only: anonymous users go to the login page, others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not is_desk_user(request.user):
            raise PermissionDenied("This page is for the newsroom desk.")
        return view(request, *args, **kwargs)

    return wrapped


def may_see_claim(user, claim: Claim) -> bool:
    """The rule ``visible_claims`` applies, for one claim already in hand (a watcher's
    e-mail about it, say)."""
    return is_desk_user(user) and (not claim.is_hidden or sees_hidden(user))


# A claim with a verdict, or replaced by another, is ruled: what it says is what was ruled on.
RULED_STATUSES = frozenset({*VERDICTS, Claim.Status.SUPERSEDED})


def is_ruled(claim: Claim) -> bool:
    return claim.status in RULED_STATUSES


def may_edit_words(user, claim: Claim) -> bool:
    """Anyone who edits claims may change an open claim's words or figure; a ruled claim's
    only those who rule, since the change reopens the ruling or is marked a minor edit."""
    if not can(user, Action.EDIT):
        return False
    return not is_ruled(claim) or can(user, Action.SET_STATUS)


def require_may_edit_words(user, claim: Claim) -> None:
    require(user, Action.EDIT)
    if not may_edit_words(user, claim):
        raise PermissionDenied(
            "This claim has been ruled on: an editor must reopen it before its words or "
            "figure change."
        )


def sees_redacted(user) -> bool:
    """Moderators see what a redaction hides; readers, reporters and editors see only that
    something was redacted, by whom and why."""
    return can(user, Action.REDACT)


def visible_replacement(user, claim: Claim) -> Claim | None:
    """The claim that replaced this one, when the user may see it."""
    replacement = claim.superseded_by
    return replacement if replacement is not None and may_see_claim(user, replacement) else None


def visible_claims(user) -> QuerySet[Claim]:
    """Every claim the user may see: all of them on the desk, hidden ones only for those
    who may hide them; none for anyone else."""
    if not is_desk_user(user):
        return Claim.objects.none()
    claims = Claim.objects.all()
    return claims if sees_hidden(user) else claims.filter(is_hidden=False)


def access_claim_by_id(user, claim_id) -> Claim:
    """The claim if this user may see it; otherwise 404, whether missing or forbidden."""
    claims = (
        visible_claims(user)
        .select_related("story", "assignee", "created_by", "superseded_by")
        .for_display("superseded_by")
    )
    try:
        return claims.get(pk=claim_id)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404("No such claim.") from None


def access_story_by_slug(user, slug: str) -> Story:
    story = Story.objects.filter(slug=slug).first() if is_desk_user(user) else None
    if story is None:
        raise Http404("No such story.")
    return story


def access_source_by_id(user, source_id) -> Source:
    source = Source.objects.filter(pk=source_id).first() if is_desk_user(user) else None
    if source is None:
        raise Http404("No such source.")
    return source


def access_evidence_by_id(user, evidence_id) -> Evidence:
    """A piece of evidence, seen by whoever sees its claim."""
    evidence = (
        Evidence.objects.select_related("claim")
        .for_display()
        .filter(pk=evidence_id, claim__in=visible_claims(user))
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence.")
    return evidence


def access_ingest_job_by_id(user, job_id) -> IngestJob:
    """An ingest job, for those who may turn its sentences into claims (403 for others)."""
    require(user, Action.CREATE)
    job = IngestJob.objects.select_related("story").filter(pk=job_id).first()
    if job is None:
        raise Http404("No such ingest job.")
    return job


def access_candidate_by_id(user, candidate_id) -> IngestCandidate:
    require(user, Action.CREATE)
    candidate = (
        IngestCandidate.objects.select_related("job__story", "conflicting_claim")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate
