"""Live-blog timestamps: "09:12", "10.45am", "14:05 GMT" opening an entry.

A timestamp opens a line ("09:12 The ministry said ...") or stands on a line of its own
above the entry it dates. It is taken off the sentence (it is not part of what anyone said)
and read, with dateparser, as a time on the story's day in the story's time zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache

import dateparser

# Zone abbreviations a live blog writes after its times; other capitals start the entry.
_ZONES = (
    "(?-i:GMT|UTC|BST|CET|CEST|EET|EEST|WET|WEST|MSK|IST|PKT|AEDT|AEST|ACST|AWST|NZST|NZDT|JST"
    "|KST|HKT|SGT|WIB|ICT|PHT|EAT|CAT|WAT|SAST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AST|ART|BRT)"
)
_STAMP = re.compile(
    rf"^(?P<stamp>(?:[01]?\d|2[0-3])[:.h][0-5]\d(?:\s*[ap]\.?m\.?)?"
    rf"(?:\s*(?:{_ZONES}|local(?:\s+time)?)\b)?)"
    r"(?:\s*[-–—:|,]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_STAMP_ALONE = re.compile(
    rf"^(?:updated\s+|posted\s+)?(?P<stamp>(?:[01]?\d|2[0-3])[:.h][0-5]\d(?:\s*[ap]\.?m\.?)?"
    rf"(?:\s*(?:{_ZONES}|local(?:\s+time)?)\b)?)\s*$",
    re.IGNORECASE,
)
_UTC_NAMES = re.compile(r"\b(?:GMT|UTC)\b", re.IGNORECASE)
# Other zone names are read as the story's own zone, where its live blog is written.
_ZONE_WORDS = re.compile(rf"\s*(?:{_ZONES}|local(?:\s+time)?)\s*$")


def leading_stamp(line: str) -> tuple[str | None, str]:
    """(the timestamp, the rest of the line) for a line that opens with one."""
    m = _STAMP.match(line)
    if not m or not _plausible(m.group("stamp")):
        return None, line
    return m.group("stamp"), line[m.end() :]


def stamp_alone(line: str) -> str | None:
    """The timestamp, when it is all the line holds."""
    m = _STAMP_ALONE.match(line.strip())
    return m.group("stamp") if m and _plausible(m.group("stamp")) else None


def _plausible(stamp: str) -> bool:
    """ "12.5 million" opens no entry: a time's minutes have two digits and are no decimal."""
    digits = re.match(r"(\d+)[:.h](\d+)", stamp)
    return digits is not None and len(digits.group(2)) == 2


def stamp_time(stamp: str, story_date: date | None, zone: tzinfo | None) -> datetime | None:
    """The moment a timestamp names on the story's day, aware, in the story's zone."""
    if story_date is None:
        return None
    zone = zone or UTC
    return _parse(stamp.replace("h", ":") if "h" in stamp else stamp, story_date, zone)


@lru_cache(maxsize=4096)
def _parse(stamp: str, story_date: date, zone: tzinfo) -> datetime | None:
    # The story's day is the base, at its last second, so a time is never pushed to the
    # day before or after; dateparser reads "10.45am", "14:05 GMT" and "9.12 p.m.".
    base = datetime.combine(story_date, time(23, 59, 59))
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    explicit_utc = bool(_UTC_NAMES.search(stamp))
    bare = _ZONE_WORDS.sub("", stamp)
    parsed = dateparser.parse(bare.replace(".", ":", 1), languages=["en"], settings=settings)
    if parsed is None:
        return None
    moment = datetime.combine(story_date, parsed.time())
    if explicit_utc:
        return moment.replace(tzinfo=UTC).astimezone(zone)
    return moment.replace(tzinfo=zone)
