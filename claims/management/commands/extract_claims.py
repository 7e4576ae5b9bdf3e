"""Print the candidate claims in a live-updates text file as one JSON object.

    python manage.py extract_claims updates.txt --format json
    python manage.py extract_claims updates.txt --story ps752 --format json

With ``--story``, values that differ from what one of that story's figures stands at are
added to ``conflicts`` too, each naming the figure (``"figure": id``) and the report it
contradicts (``"claim": id``), with that report's value listed first.
"""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.lib.extraction import ExtractionError, extract
from claims.models import Claim, Story
from claims.selectors.desk import story_by_slug
from claims.selectors.figures import desk_story_figures
from claims.services import ingest
from claims.validation import MAX_INGEST_BYTES, ingest_text_from_bytes


class Command(BaseCommand):
    help = "Extract candidate claims from a live-updates text file and print them as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a UTF-8 text file, or - for standard input")
        parser.add_argument("--story", help="slug of a story whose figures to check against")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        text = _read(options["file"])
        story = _story(options["story"]) if options["story"] else None
        try:
            result = extract(text)
        except ExtractionError as exc:
            raise CommandError(f"Cannot extract claims: {exc}") from None
        if story is not None:
            figures = desk_story_figures(story, Claim.objects.filter(is_hidden=False))
            result["conflicts"].extend(ingest.conflicts_with_story(result["candidates"], figures))
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


def _read(name: str) -> str:
    try:
        raw = sys.stdin.buffer.read(MAX_INGEST_BYTES + 1) if name == "-" else _read_file(Path(name))
    except OSError as exc:
        raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
    try:
        return ingest_text_from_bytes(raw)
    except ValidationError as error:
        raise CommandError(f"{name}: {error.messages[0]}") from None


def _read_file(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(MAX_INGEST_BYTES + 1)


def _story(slug: str) -> Story:
    story = story_by_slug(slug)
    if story is None:
        raise CommandError(f"No story with the slug {slug!r}.")
    return story
