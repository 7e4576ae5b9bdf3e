"""Time fields of the desk's forms: read and shown in the story's time zone, which each field
names, and a date alone is a day.

A text input, not ``datetime-local``: that input refuses a date without a time, and shows no
zone. The form is given the zone (``time_zone=``, from the story) and hands it to its
``MomentField``s."""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.validation import parse_moment

SHOWN_FORMAT = "%Y-%m-%d %H:%M"


def story_zone(story) -> ZoneInfo:
    """The zone the story's times are typed and shown in; the desk's when it names none."""
    name = getattr(story, "time_zone", "") or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def zone_words(zone: tzinfo, at: datetime | None = None) -> str:
    """ "Asia/Tehran (UTC+03:30)": the zone's name and its offset now (or at ``at``)."""
    offset = timezone.localtime(at or timezone.now(), zone).strftime("%z")
    return f"{zone} (UTC{offset[:3]}:{offset[3:]})"


class MomentInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "2020-01-08 14:30", "autocomplete": "off", **(attrs or {})}
        )


class MomentField(forms.DateTimeField):
    """A date, or a date and a time, in ``zone``; the help text says which zone."""

    widget = MomentInput

    def __init__(self, *, zone: tzinfo | None = None, help_text: str = "", **kwargs):
        self.base_help = help_text
        super().__init__(help_text=help_text, **kwargs)
        self.set_zone(zone or ZoneInfo(settings.TIME_ZONE))

    def set_zone(self, zone: tzinfo) -> None:
        self.zone = zone
        said = f"In {zone_words(zone)}; a date alone is that day."
        self.help_text = f"{said} {self.base_help}".strip()

    def prepare_value(self, value):
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value, self.zone)
            return value.strftime(SHOWN_FORMAT)
        return value

    def to_python(self, value):
        try:
            return parse_moment(value, zone=self.zone, field="when")
        except ValidationError as error:
            raise ValidationError(error.message_dict["when"], code="invalid") from None


def apply_zone(form: forms.Form, zone: tzinfo | None) -> None:
    """Give every time field of ``form`` the zone its times are typed in."""
    if zone is None:
        return
    for field in form.fields.values():
        if isinstance(field, MomentField):
            field.set_zone(zone)
