"""Create the PS752 demo: sources, a public story with claims in many states, a private
story, and the desk's demo users. Safe to run again: what exists is left alone."""

import os
import secrets

from django.core.management.base import BaseCommand

from claims.management import demo
from claims.selectors.desk import has_stories


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
        if if_empty and has_stories():
            self.stdout.write("The database already has stories; demo not seeded.")
            return
        password = password or os.environ.get("CLAIMDESK_DEMO_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        if demo.seed(password):
            shown = password if generated else "(from CLAIMDESK_DEMO_PASSWORD)"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo users admin, editor, reporter, moderator; password: {shown}"
                )
            )
        self.stdout.write(self.style.SUCCESS("Demo story ready at /stories/ps752/ and /s/ps752/"))
