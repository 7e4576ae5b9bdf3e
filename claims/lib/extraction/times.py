"""Live-blog timestamps: "09:12", "10.45am", "14:05 GMT" opening an entry.

A timestamp opens a line ("09:12 The ministry said ...") or stands on a line of its own
above the entry it dates. It is taken off the sentence (it is not part of what anyone said)
and read, with dateparser, as a time on the story's day in the story's time zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
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
# Each zone abbreviation's offset from UTC in hours; "local time" is the story's own zone.
_OFFSETS = {
    "GMT": 0, "UTC": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "WAT": 1, "CEST": 2,
    "EET": 2, "CAT": 2, "SAST": 2, "EEST": 3, "MSK": 3, "EAT": 3, "PKT": 5, "IST": 5.5,
    "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "JST": 9, "KST": 9,
    "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "AST": -4, "EDT": -4,
    "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8, "ART": -3,
    "BRT": -3,
}  # fmt: skip
_ZONE_NAME = re.compile(rf"\b({_ZONES})\b")
_ZONE_WORDS = re.compile(rf"\s*(?:{_ZONES}|local(?:\s+time)?)\s*$")


def leading_stamp(line: str) -> tuple[str | None, str]:
    """(the timestamp, the rest of the line) for a line that opens with one."""
    m = _STAMP.match(line)
    if not m or not _plausible(m.group("stamp")) or not _ENTRY_START.match(line, m.end()):
        return None, line
    return m.group("stamp"), line[m.end() :]


def stamp_alone(line: str) -> str | None:
    """The timestamp, when it is all the line holds."""
    m = _STAMP_ALONE.match(line.strip())
    return m.group("stamp") if m and _plausible(m.group("stamp")) else None


# What follows a timestamp opens an entry: "09:12 At least 40 ...", "10.45am - ...". A
# lowercase word follows a figure instead: "1.25 million people have been displaced".
_ENTRY_START = re.compile(r"[^\W\d_](?<![a-z])|[\"“‘'(\[\d]")


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
    # day before or after; dateparser reads "10.45am", "14:05" and "9.12 p.m."; a zone
    # named after the time is read by its offset.
    base = datetime.combine(story_date, time(23, 59, 59))
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    named = _ZONE_NAME.search(stamp)
    offset = _OFFSETS.get(named.group(1)) if named else None
    bare = _ZONE_WORDS.sub("", stamp)
    parsed = dateparser.parse(bare.replace(".", ":", 1), languages=["en"], settings=settings)
    if parsed is None:
        return None
    moment = datetime.combine(story_date, parsed.time())
    if offset is not None:  # "09:00 EST" in a London story is 14:00 there
        return moment.replace(tzinfo=timezone(timedelta(hours=offset))).astimezone(zone)
    return moment.replace(tzinfo=zone)
