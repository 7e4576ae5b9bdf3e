"""What the commands that read or write one file of the desk's records share."""

from collections import Counter

from django.core.management.base import BaseCommand


class FileCommand(BaseCommand):
    """A command that takes the path of one file (``-`` for standard output, when it writes)."""

    path_help = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)


def summary(counts: Counter) -> str:
    """ "12 claims.claim, 40 claims.revision", or "nothing"."""
    return ", ".join(f"{count} {label}" for label, count in counts.items()) or "nothing"
