"""Print the candidate claims in a live-updates text file as one JSON object.

    python manage.py extract_claims updates.txt --format json
    python manage.py extract_claims updates.txt --story ps752 --format json
    python manage.py extract_claims updates.txt --date 2020-01-10 --time-zone Asia/Tehran

Live-blog times ("09:12") are read on ``--date`` (today by default) in ``--time-zone``
(the desk's ``TIME_ZONE`` by default).

With ``--story``, values that differ from what one of that story's figures stands at are
added to ``conflicts`` too, each naming the figure (``"figure": id``) and the report it
contradicts (``"claim": id``), with that report's value listed first.
"""

import json
import sys
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

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
        parser.add_argument("--date", type=_day, help="the day of the updates, YYYY-MM-DD")
        parser.add_argument("--time-zone", type=_zone, help="e.g. Europe/London")

    def handle(self, *args, **options):
        text = _read(options["file"])
        story = _story(options["story"]) if options["story"] else None
        try:
            result = extract(
                text,
                story_date=options["date"] or timezone.localdate(),
                time_zone=options["time_zone"] or ZoneInfo(settings.TIME_ZONE),
            )
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


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2020-01-10") from None


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ArgumentTypeError(f"{value!r} is not a time zone like Europe/London") from None
