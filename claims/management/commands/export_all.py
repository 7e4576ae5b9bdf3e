"""Write every story, source, claim, attribution, evidence, revision and note as JSON lines."""

from django.core.management.base import BaseCommand

from claims.services import backup


class Command(BaseCommand):
    help = (
        "Export the desk's records (stories, sources, claims, attributions, evidence, "
        "revisions, notes, status counts; users by username) to PATH as JSON lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write (use - for standard output).")

    def handle(self, *args, path: str, **options):
        if path == "-":
            counts = backup.export_all(self.stdout)
        else:
            with open(path, "w", encoding="utf-8") as stream:
                counts = backup.export_all(stream)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stderr.write(f"Exported {summary or 'nothing'}.")
