"""Make an API token for a user and print it, once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services.api_tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token acting as USER; the token is printed once and never again."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", choices=["read", "write"], default="read")
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        try:
            record, token = api_token_create(
                user=user,
                name=options["name"],
                scope=options["scope"],
                expires_days=options["expires_days"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(f"Token {record.prefix} ({record.scope}) for {user.get_username()}:")
        self.stdout.write(token)
