"""Restore an export_all file into an empty database."""

from django.core.management.base import CommandError

from claims.management.files import FileCommand, summary
from claims.services import backup


class Command(FileCommand):
    help = (
        "Restore a file written by export_all into an empty, freshly migrated database. A line "
        "naming any other model, or holding more than export_all writes, refuses the whole file."
    )
    path_help = "File written by export_all."

    def handle(self, *args, path: str, **options):
        try:
            with open(path, encoding="utf-8") as stream:
                counts = backup.import_all(stream)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except backup.ImportRefused as error:
            raise CommandError(f"Nothing imported. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {summary(counts)}."))
