"""Write every story, figure, source, claim, attribution, evidence, revision and note as JSON
lines."""

from claims.management.files import FileCommand, summary
from claims.services import backup


class Command(FileCommand):
    help = (
        "Export the desk's records (stories, figures, sources and their revisions, claims, "
        "attributions, evidence, revisions, notes, status counts; users by username) to PATH "
        "as JSON lines."
    )
    path_help = "File to write (use - for standard output)."

    def handle(self, *args, path: str, **options):
        if path == "-":
            counts = backup.export_all(self.stdout)
        else:
            with open(path, "w", encoding="utf-8") as stream:
                counts = backup.export_all(stream)
        self.stderr.write(f"Exported {summary(counts)}.")
