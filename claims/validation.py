"""The cleaners and field limits that models, forms, services and commands share.

Each cleaner takes what a caller sent (a form's string, a JSON value, an admin field) and
returns the value to store, or raises a ``ValidationError`` keyed by the field, in words an
editor can act on. Nothing here touches the database.
"""

import re
import unicodedata
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

MAX_TEXT = 2000
MAX_LONG_TEXT = 5000
MAX_TITLE = 300
MAX_SUBJECT = 200
MAX_UNIT = 50
MAX_OUTLET = 200
MAX_URL = 1000
# Live-update text pasted or uploaded for extraction.
MAX_INGEST_BYTES = 2 * 1024 * 1024
_BINARY_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_MAX_BINARY_SHARE = 0.3


def clean_text(value: str, *, field: str, max_length: int, required: bool) -> str:
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if "\x00" in value:
        raise ValidationError({field: "Text may not contain NUL characters."})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON body
        raise ValidationError({field: "Text contains characters that are not Unicode."}) from None
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError({field: "This field cannot be empty."})
    if len(cleaned) > max_length:
        raise ValidationError(
            {field: f"Keep this under {max_length} characters (it has {len(cleaned)})."}
        )
    return cleaned


def clean_value(value: Any, *, field: str = "value") -> Decimal | None:
    """A reported value: a finite number within what the database keeps, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({field: "The value must be a number."})
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "The value must be a number, like 57 or 1.5."}) from None
    if not number.is_finite():
        raise ValidationError({field: "The value must be a finite number."})
    if abs(number) >= Decimal(10) ** 18:
        raise ValidationError({field: "The value is too large."})
    # Kept to the millionth, as the database stores it; rounding may carry it past the top.
    number = number.quantize(Decimal("0.000001"))
    if abs(number) >= Decimal(10) ** 18:
        raise ValidationError({field: "The value is too large."})
    return number.normalize() if number else Decimal(0)  # never "-0"


# The units each kind of figure takes: a count names what it counts in its own word, an
# amount its currency (ISO 4217 code), the measures one of these units, written this way.
_PERCENT_WORDS = {"%": "%", "percent": "%", "per cent": "%", "pc": "%"}
_POINT_WORDS = {"percentage point", "percentage points", "points", "pp"}
_DISTANCE_UNITS = {
    "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "mi": "mi", "mile": "mi", "miles": "mi", "ft": "ft", "feet": "ft", "foot": "ft",
    "nmi": "nmi", "nautical mile": "nmi", "nautical miles": "nmi",
}  # fmt: skip
_DURATION_UNITS = {
    **{word: word for word in ("seconds", "minutes", "hours", "days", "weeks", "months")},
    **{"years": "years", "second": "seconds", "minute": "minutes", "hour": "hours"},
    **{"day": "days", "week": "weeks", "month": "months", "year": "years"},
}
_CURRENCY = re.compile(r"[A-Z]{3}")
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "c$": "CAD"}
_MEASURE_WORDS = {**_DISTANCE_UNITS, **_DURATION_UNITS, **_PERCENT_WORDS}


def clean_unit(kind: str, unit: Any) -> str:
    """The unit written the desk's way for a figure of ``kind``, or an error naming what
    that kind takes."""
    unit = clean_text(unit if unit is not None else "", field="unit", max_length=MAX_UNIT,
                      required=False)  # fmt: skip
    word = " ".join(unit.lower().split())
    if kind == "count":
        if word in _MEASURE_WORDS or _CURRENCY.fullmatch(unit) or word in _CURRENCY_SIGNS:
            raise ValidationError(
                {"unit": f"“{unit}” measures or prices something: a count names what it "
                 "counts (people, missiles). Choose another kind of figure."}
            )  # fmt: skip
        return unit
    if kind == "percentage":
        if word in _PERCENT_WORDS or not word:
            return "%"
        if word in _POINT_WORDS:
            return "percentage points"
        raise ValidationError({"unit": "A percentage is in % or percentage points."})
    if kind == "amount":
        code = _CURRENCY_SIGNS.get(word, unit.upper())
        if not _CURRENCY.fullmatch(code):
            raise ValidationError(
                {"unit": "An amount of money needs its currency as a code: USD, CAD, EUR…"}
            )
        return code
    if kind == "distance":
        if word not in _DISTANCE_UNITS:
            raise ValidationError({"unit": "A distance is in m, km, mi, ft or nmi."})
        return _DISTANCE_UNITS[word]
    if kind == "duration":
        if word not in _DURATION_UNITS:
            raise ValidationError(
                {"unit": "A duration is in seconds, minutes, hours, days, weeks, months or years."}
            )
        return _DURATION_UNITS[word]
    if kind == "measure":
        if not unit:
            raise ValidationError({"unit": "Name the unit this figure is measured in."})
        return unit
    raise ValidationError({"kind": "Choose what kind of figure this is."})


def clean_url(value: str, *, field: str, required: bool) -> str:
    url = clean_text(value or "", field=field, max_length=MAX_URL, required=required)
    if not url:
        return ""
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in {"http", "https"}:
        raise ValidationError({field: "Only http:// and https:// links are accepted."})
    # "HTTPS://…" is the same link; the database only takes lower-case schemes.
    url = f"{scheme.lower()}:{rest}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({field: "Enter a valid http:// or https:// link."}) from None
    return url


# A time as the desk types it, in the story's zone: a date alone, or a date with a clock time
# ("2020-01-08", "2020-01-08 14:30", "2020-01-08T14:30:05", "08/01/2020 14:30").
_MOMENT = re.compile(
    r"(?:(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"|(?P<dday>\d{1,2})/(?P<dmonth>\d{1,2})/(?P<dyear>\d{4}))"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)


def parse_moment(text: Any, *, zone: tzinfo, field: str) -> datetime | None:
    """A date, or a date and time, typed in ``zone``; a date alone is the start of that day
    there. Nothing typed is None."""
    if text is None:
        return None
    if isinstance(text, datetime):
        return text if timezone.is_aware(text) else text.replace(tzinfo=zone)
    cleaned = " ".join(str(text).split())
    if not cleaned:
        return None
    match = _MOMENT.fullmatch(cleaned)
    if match is None:
        raise ValidationError(
            {field: "Give a date (2020-01-08) or a date and time (2020-01-08 14:30)."}
        )
    parts = match.groupdict()
    try:
        naive = datetime(
            int(parts["year"] or parts["dyear"]),
            int(parts["month"] or parts["dmonth"]),
            int(parts["day"] or parts["dday"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        raise ValidationError({field: "There is no such date or time."}) from None
    return naive.replace(tzinfo=zone)


def clean_moment(value: Any, *, field: str) -> datetime | None:
    """A past date and time; a naive one is read in the desk's time zone, a date alone is
    the start of that day."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if not isinstance(value, datetime):
        raise ValidationError({field: "Give a date and a time."})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + timedelta(minutes=5):
        raise ValidationError({field: "A claim cannot have been made in the future."})
    return value


def clean_flag(value: Any, *, field: str) -> bool:
    """Yes or no, as a real boolean: the string "false" must never make a story public."""
    if not isinstance(value, bool):
        raise ValidationError({field: "Choose yes or no."})
    return value


def clean_version(value: Any) -> int:
    """The version a change started from, as the form or request sent it."""
    if type(value) is not int or not 1 <= value < 2**31:
        raise ValidationError(
            {"expected_version": "The form lost the version you started from; reload the page."}
        )
    return value


def json_number(value: Decimal | None) -> int | float | None:
    """Values in revisions are JSON numbers: 57, not "57.000000"."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def jsonable(value: Any) -> Any:
    return json_number(value) if isinstance(value, Decimal) else value


# Live-update text ---------------------------------------------------------------------------


def clean_ingest_text(text: Any) -> str:
    """The text an editor gave, or a ValidationError an editor can act on."""
    if not isinstance(text, str):
        raise ValidationError({"text": "Paste the text or upload a .txt file."})
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INGEST_BYTES:
        raise ValidationError({"text": "The text is over 2 MB. Split it and ingest it in parts."})
    visible = [c for c in text if not c.isspace()]
    if not visible:
        raise ValidationError({"text": "The text is empty. Paste the live updates first."})
    binary = sum(
        1 for c in visible if c == "\ufffd" or unicodedata.category(c) in _BINARY_CATEGORIES
    )
    if "\x00" in text or binary / len(visible) > _MAX_BINARY_SHARE:
        raise ValidationError(
            {"text": "This looks like a binary file, not text. Upload a plain .txt file."}
        )
    return text


def ingest_text_from_bytes(raw: bytes) -> str:
    """An uploaded or piped file as live-update text: at most 2 MB of UTF-8, not binary.

    Callers read at most ``MAX_INGEST_BYTES + 1`` bytes, so an oversized file is refused
    without reading it whole.
    """
    if len(raw) > MAX_INGEST_BYTES:
        raise ValidationError({"text": "The file is over 2 MB. Split it into parts first."})
    if b"\x00" in raw:
        raise ValidationError(
            {"text": "This looks like a binary file, not text. Upload a .txt file."}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"text": "The file is not UTF-8 text. Save it as plain UTF-8 text first."}
        ) from None
    return clean_ingest_text(text)
