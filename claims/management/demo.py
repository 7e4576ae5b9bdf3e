"""Seeding the PS752 demo through the services, as the desk would have logged it: sources,
a public story with its figures and claims in many states, a private story, and the demo
users."""

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
    figures = {
        key: services.figure_create(story=story, subject=subject, kind=kind, unit=unit,
                                    actor=editor)
        for key, subject, kind, unit in demo.FIGURES
    }  # fmt: skip
    claims: dict[str, Claim] = {}
    for spec in demo.CLAIMS:
        claims[spec["key"]] = _claim(story, spec, sources, figures, claims, editor, reporter)
    private = services.story_create(
        title=demo.PRIVATE_TITLE, slug=demo.PRIVATE_SLUG, is_public=False, actor=editor
    )
    for text in demo.PRIVATE_CLAIMS:
        services.claim_create(story=private, text=text, actor=reporter)


def _claim(story, spec, sources, figures, claims, editor, reporter) -> Claim:
    """The claim in the desk's words with who said it; a report of a figure's value is filed
    as one, by an editor when it replaces another source's report."""
    attributions = spec["attributions"]
    if "reports" in spec:
        claim = _report(spec, sources, figures, claims, editor, reporter)
        attributions = attributions[1:]
    else:
        claim = services.claim_create(story=story, text=spec["text"], actor=reporter)
    for name, outlet, url, said_at, quote in attributions:
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


def _report(spec, sources, figures, claims, editor, reporter) -> Claim:
    key, value = spec["reports"]
    name, outlet, url, said_at, quote = spec["attributions"][0]
    replaced = claims.get(spec.get("supersedes", ""))
    if replaced is not None:
        replaced.refresh_from_db()
    return services.figure_report(
        figure=figures[key],
        value=value,
        text=spec["text"],
        source=sources[name],
        said_at=said_at,
        quote=quote,
        outlet=outlet,
        url=url,
        actor=editor if replaced else reporter,
        supersedes=replaced,
        supersedes_version=replaced.version if replaced else None,
        note=spec.get("note", ""),
    )


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
