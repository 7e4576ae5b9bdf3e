"""Create the PS752 demo: sources, a public story with claims in many states, a private
story, and the desk's demo users. Safe to run again: what exists is left alone."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from claims import demo, services
from claims.models import Claim, Story
from claims.roles import ensure_roles
from sources.models import Source

DEMO_USERS = [
    ("admin", None),
    ("editor", "editor"),
    ("reporter", "reporter"),
    ("moderator", "moderator"),
]


class Command(BaseCommand):
    help = "Seed the PS752 demo story, its sources and the demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds any story.",
        )
        parser.add_argument("--password", default=None, help="Password for the demo users.")

    def handle(self, *args, if_empty: bool = False, password: str | None = None, **options):
        if if_empty and Story.objects.exists():
            self.stdout.write("The database already has stories; demo not seeded.")
            return
        import os

        password = password or os.environ.get("CLAIMDESK_DEMO_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        ensure_roles()
        users, created_any = self._users(password)
        with transaction.atomic():
            self._story(users)
        if created_any:
            shown = password if generated else "(from CLAIMDESK_DEMO_PASSWORD)"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo users admin, editor, reporter, moderator; password: {shown}"
                )
            )
        self.stdout.write(self.style.SUCCESS("Demo story ready at /stories/ps752/ and /s/ps752/"))

    def _users(self, password: str):
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

    def _story(self, users) -> None:
        if Story.objects.filter(slug=demo.STORY_SLUG).exists():
            return
        editor, reporter = users["editor"], users["reporter"]
        sources = {
            name: Source.objects.get_or_create(
                name=name, defaults={"kind": kind, "description": description}
            )[0]
            for name, kind, description in demo.SOURCES
        }
        story = services.story_create(
            title=demo.STORY_TITLE,
            slug=demo.STORY_SLUG,
            description=demo.STORY_DESCRIPTION,
            is_public=True,
            actor=editor,
        )
        self._toll(story, sources, editor, reporter)
        for spec in demo.CLAIMS:
            self._claim(story, spec, sources, editor, reporter)
        private = services.story_create(
            title=demo.PRIVATE_TITLE, slug=demo.PRIVATE_SLUG, is_public=False, actor=editor
        )
        for text in demo.PRIVATE_CLAIMS:
            services.claim_create(story=private, text=text, actor=reporter)

    def _toll(self, story, sources, editor, reporter) -> None:
        claim = services.claim_create(
            story=story,
            text=demo.TOLL_TEXT,
            actor=reporter,
            quantity_subject="Canadian victims",
            quantity_value=63,
            quantity_unit="people",
        )
        self._attribute(claim, demo.TOLL_FIRST, sources, reporter)
        claim.refresh_from_db()
        claim = services.claim_edit(
            claim=claim,
            actor=editor,
            expected_version=claim.version,
            quantity_value=57,
            note="Foreign minister corrected the figure at a news conference.",
        )
        self._attribute(claim, demo.TOLL_REVISED, sources, reporter)
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
        old = services.claim_create(
            story=story,
            text=demo.PAIR_OLD,
            actor=reporter,
            quantity_subject="Canadian victims",
            quantity_value=63,
            quantity_unit="people",
        )
        self._attribute(old, demo.TOLL_FIRST, sources, reporter)
        new = services.claim_create(
            story=story,
            text=demo.PAIR_NEW,
            actor=reporter,
            quantity_subject="Canadian victims",
            quantity_value=57,
            quantity_unit="people",
        )
        self._attribute(new, demo.TOLL_REVISED, sources, reporter)
        old.refresh_from_db()
        services.claim_supersede(
            claim=old,
            by=new,
            actor=editor,
            expected_version=old.version,
            note="The foreign minister revised the count to 57.",
        )

    def _attribute(self, claim, spec, sources, actor) -> None:
        name, outlet, said_at, quote = spec
        services.attribution_add(
            claim=claim,
            source=sources[name],
            actor=actor,
            outlet=outlet,
            said_at=said_at,
            quote=quote,
        )

    def _claim(self, story, spec, sources, editor, reporter) -> Claim:
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
            status, rationale = spec["ruling"]
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
        return claim
