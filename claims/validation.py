"""The cleaners and field limits that models, forms, services and commands share.

Each cleaner takes what a caller sent (a form's string, a JSON value, an admin field) and
returns the value to store, or raises a ``ValidationError`` keyed by the field, in words an
editor can act on. Nothing here touches the database.
"""

import unicodedata
from datetime import datetime, timedelta
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


def clean_quantity(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({"quantity_value": "The quantity must be a number."})
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity_value": "The quantity must be a number."}) from None
    if not number.is_finite():
        raise ValidationError({"quantity_value": "The quantity must be a finite number."})
    if abs(number) >= Decimal(10) ** 18:
        raise ValidationError({"quantity_value": "The quantity is too large."})
    return number.quantize(Decimal("0.000001")).normalize()


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


def clean_moment(value: Any, *, field: str) -> datetime | None:
    """A past date and time; a naive one is read in the desk's time zone."""
    if value is None or value == "":
        return None
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
    """Quantities in revisions are JSON numbers: 57, not "57.000000"."""
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
