"""Who may do what, and who sees what: every permission and visibility rule of Claimdesk.

Roles are the Django groups ``reporter``, ``editor`` and ``moderator``; each action maps to
one model permission, so superusers pass and a role gains an action in the admin.

Objects are reached through one ``access_<thing>_by_<key>`` function each (Zulip's
``access_stream_by_id``): a missing object and one the user may not see raise the same
``Http404``, so a URL never tells an outsider what exists. The public side (pages, feeds,
JSON-LD, webhooks) reads through the ``public_*`` functions at the end of this module: a
claim is public when its story is public and moderation has not hidden it.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from claims.models import Claim, Evidence, IngestCandidate, IngestJob, Revision, Story
from sources.models import Source


class Action(StrEnum):
    VIEW = "claims.view_claim"
    CREATE = "claims.add_claim"
    EDIT = "claims.change_claim"
    ADD_EVIDENCE = "claims.add_evidence"
    ADD_ATTRIBUTION = "claims.add_attribution"
    ADD_NOTE = "claims.add_note"
    SET_STATUS = "claims.set_claim_status"
    SUPERSEDE = "claims.supersede_claim"
    HIDE = "claims.hide_claim"
    ASSIGN_ANYONE = "claims.assign_claim"
    MANAGE_STORIES = "claims.change_story"
    CREATE_SOURCE = "sources.add_source"
    CHANGE_SOURCE = "sources.change_source"
    RETRY_DELIVERY = "claims.change_webhookdelivery"


ACTION_WORDS = {
    Action.VIEW: "see the desk",
    Action.CREATE: "create claims",
    Action.EDIT: "edit claims",
    Action.ADD_EVIDENCE: "add evidence",
    Action.ADD_ATTRIBUTION: "add attributions",
    Action.ADD_NOTE: "add notes",
    Action.SET_STATUS: "rule on a claim's status",
    Action.SUPERSEDE: "supersede or merge claims",
    Action.HIDE: "hide or unhide claims",
    Action.ASSIGN_ANYONE: "assign claims to others",
    Action.MANAGE_STORIES: "manage stories",
    Action.CREATE_SOURCE: "create sources",
    Action.CHANGE_SOURCE: "change sources",
    Action.RETRY_DELIVERY: "retry webhook deliveries",
}

_DESK = ["claims.view_claim", "claims.view_story", "sources.view_source"]
_WRITING = [
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_evidence",
    "claims.add_attribution",
    "claims.add_note",
    "sources.add_source",
]
# The permissions each role's group holds; the roles migration installs them.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "reporter": [*_DESK, *_WRITING],
    "editor": [
        *_DESK,
        *_WRITING,
        "claims.set_claim_status",
        "claims.supersede_claim",
        "claims.hide_claim",
        "claims.assign_claim",
        "claims.add_story",
        "claims.change_story",
        "claims.view_revision",
        "sources.change_source",
    ],
    "moderator": [
        *_DESK,
        "claims.hide_claim",
        "claims.view_revision",
        "claims.view_attribution",
        "claims.change_attribution",
        "claims.view_evidence",
        "claims.change_evidence",
        "claims.view_note",
        "claims.view_outboxevent",
        "claims.view_webhooksubscriber",
        "claims.add_webhooksubscriber",
        "claims.change_webhooksubscriber",
        "claims.view_webhookdelivery",
        "claims.change_webhookdelivery",
        "sources.add_source",
        "sources.change_source",
        "sources.delete_source",
        "auth.view_user",
        "auth.change_user",
    ],
}
DESK_ROLES = tuple(ROLE_PERMISSIONS)


def can(actor, action: Action) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.has_perm(action))


def require(actor, action: Action) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``action``."""
    if not can(actor, action):
        raise PermissionDenied(f"You are not allowed to {ACTION_WORDS[action]}.")


def ensure_roles(*, group_model=Group, permission_model=Permission) -> None:
    """Create or refresh the role groups; safe to run any number of times."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


# The desk -----------------------------------------------------------------------------------


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


# The public side ----------------------------------------------------------------------------

# The largest id a bigint primary key holds.
MAX_ID = 2**63 - 1
# Revisions a reader may see in a claim's corrections trail (hidden, assigned, evidence and
# attribution revisions are the desk's own), and the fields of them a reader may see.
PUBLIC_REVISION_KINDS = (
    Revision.Kind.CREATED,
    Revision.Kind.EDITED,
    Revision.Kind.STATUS,
    Revision.Kind.SUPERSEDED,
    Revision.Kind.MERGED,
)
PUBLIC_REVISION_FIELDS = frozenset(
    {
        "text",
        "quantity_subject",
        "quantity_value",
        "quantity_unit",
        "status",
        "rationale",
        "superseded_by",
    }
)


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
        .select_related("story", "superseded_by")
        .for_display("superseded_by")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise Http404("No such claim.")
    return claim


def public_replacement(claim: Claim) -> Claim | None:
    """The claim that replaced this public one, when a reader may see it."""
    replacement = claim.superseded_by
    if replacement is None or replacement.is_hidden:
        return None
    return replacement


def public_replaced(claim: Claim) -> QuerySet[Claim]:
    """The claims this public one replaced, as far as a reader may see them."""
    return claim.supersedes.filter(is_hidden=False).for_display()


def subscriber_follows(subscriber, claim: Claim) -> bool:
    """A webhook subscriber that names no stories follows every public story; naming
    stories (which a moderator does in the admin) is how a partner follows a private one.
    Hidden claims are never sent."""
    if claim.is_hidden:
        return False
    return bool(subscriber.stories.all()) or claim.story.is_public
