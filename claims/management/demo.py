"""Seeding the PS752 demo through the services, as the desk would have logged it: sources,
a public story with claims in many states, a private story, and the demo users."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import services
from claims.access import ensure_roles
from claims.management import demo_story as demo
from claims.models import Claim, Story
from sources import services as source_services

DEMO_USERS = [
    ("admin", None),
    ("editor", "editor"),
    ("reporter", "reporter"),
    ("moderator", "moderator"),
]


def seed(password: str) -> bool:
    """Create what is missing of the demo; return whether any demo user was created."""
    ensure_roles()
    users, created_any = _users(password)
    with transaction.atomic():
        _story(users)
    return created_any


def _users(password: str):
    User = get_user_model()
    users, created_any = {}, False
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@newsroom.example"}
        )
        if created:
            created_any = True
            user.set_password(password)
            user.is_staff = role in (None, "moderator")
            user.is_superuser = role is None
            user.save()
            if role:
                user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users, created_any


def _story(users) -> None:
    if Story.objects.filter(slug=demo.STORY_SLUG).exists():
        return
    editor, reporter = users["editor"], users["reporter"]
    sources = {
        name: source_services.source_named(name)
        or source_services.source_create(name=name, kind=kind, description=description)
        for name, kind, description in demo.SOURCES
    }
    story = services.story_create(
        title=demo.STORY_TITLE,
        slug=demo.STORY_SLUG,
        description=demo.STORY_DESCRIPTION,
        is_public=True,
        actor=editor,
    )
    _toll(story, sources, editor, reporter)
    for spec in demo.CLAIMS:
        _claim(story, spec, sources, editor, reporter)
    private = services.story_create(
        title=demo.PRIVATE_TITLE, slug=demo.PRIVATE_SLUG, is_public=False, actor=editor
    )
    for text in demo.PRIVATE_CLAIMS:
        services.claim_create(story=private, text=text, actor=reporter)


def _victims_claim(story, text: str, count: int, said, sources, reporter) -> Claim:
    """A claim of how many Canadians died, attributed to whoever gave that count."""
    claim = services.claim_create(
        story=story,
        text=text,
        actor=reporter,
        quantity_subject="Canadian victims",
        quantity_value=count,
        quantity_unit="people",
    )
    _attribute(claim, said, sources, reporter)
    claim.refresh_from_db()
    return claim


def _toll(story, sources, editor, reporter) -> None:
    """63, then 57: corrected on one claim, and told as one claim superseding another."""
    claim = _victims_claim(story, demo.TOLL_TEXT, 63, demo.TOLL_FIRST, sources, reporter)
    claim = services.claim_edit(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        quantity_value=57,
        note="Foreign minister corrected the figure at a news conference.",
    )
    _attribute(claim, demo.TOLL_REVISED, sources, reporter)
    services.evidence_add(
        claim=claim,
        actor=reporter,
        stance="supports",
        capture=False,
        url="https://www.canada.ca/en/global-affairs/news/ps752-update.html",
        excerpt="Global Affairs Canada: 57 Canadian citizens among the victims.",
        source=sources["Government of Canada"],
    )
    claim.refresh_from_db()
    services.claim_set_status(
        claim=claim,
        status="confirmed",
        actor=editor,
        expected_version=claim.version,
        rationale="Confirmed by the foreign minister on the record and by Global Affairs "
        "Canada's list; the first figure of 63 counted people travelling on to Canada.",
    )
    old = _victims_claim(story, demo.PAIR_OLD, 63, demo.TOLL_FIRST, sources, reporter)
    new = _victims_claim(story, demo.PAIR_NEW, 57, demo.TOLL_REVISED, sources, reporter)
    old.refresh_from_db()
    services.claim_supersede(
        claim=old,
        by=new,
        actor=editor,
        expected_version=old.version,
        note="The foreign minister revised the count to 57.",
    )


def _attribute(claim, spec, sources, actor) -> None:
    name, outlet, said_at, quote = spec
    services.attribution_add(
        claim=claim, source=sources[name], actor=actor, outlet=outlet, said_at=said_at, quote=quote
    )


def _claim(story, spec, sources, editor, reporter) -> Claim:
    subject, value, unit = spec.get("quantity", ("", None, ""))
    claim = services.claim_create(
        story=story,
        text=spec["text"],
        actor=reporter,
        quantity_subject=subject,
        quantity_value=value,
        quantity_unit=unit,
    )
    for name, outlet, url, said_at, quote in spec["attributions"]:
        services.attribution_add(
            claim=claim,
            source=sources[name],
            actor=reporter,
            outlet=outlet,
            url=url,
            said_at=said_at,
            quote=quote,
        )
    for stance, url, excerpt, source in spec["evidence"]:
        services.evidence_add(
            claim=claim,
            url=url,
            stance=stance,
            excerpt=excerpt,
            actor=reporter,
            source=sources.get(source),
            capture=False,
        )
    if spec["ruling"]:
        _rule(claim, *spec["ruling"], editor=editor)
    return claim


def _rule(claim: Claim, status: str, rationale: str, *, editor) -> None:
    """Rule as the desk does: in review first, then the verdict."""
    claim.refresh_from_db()
    if status != "in_review":
        claim = services.claim_set_status(
            claim=claim,
            status="in_review",
            rationale="",
            actor=editor,
            expected_version=claim.version,
        )
    services.claim_set_status(
        claim=claim,
        status=status,
        rationale=rationale,
        actor=editor,
        expected_version=claim.version,
    )
