"""The forms that start a story and change its settings. They check the input's shape; the
story services decide what is allowed and what it is stored as."""

from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.conf import settings

from claims.desk.forms import DeskForm, bool_of
from claims.validation import MAX_LONG_TEXT, MAX_TITLE


@cache
def time_zone_names() -> list[str]:
    """Every IANA zone name the system knows, for the time zone field's suggestions."""
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


TIME_ZONE_HELP = (
    "Where the story happens, as an IANA name such as Asia/Tehran or America/Toronto: the "
    "story's times are shown and typed in it."
)


class StoryForm(DeskForm):
    title = forms.CharField(max_length=MAX_TITLE)
    description = forms.CharField(
        required=False, max_length=MAX_LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        initial=settings.TIME_ZONE,
        help_text=TIME_ZONE_HELP,
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class StoryNewForm(StoryForm):
    slug = forms.CharField(
        label="Web address",
        required=False,
        max_length=MAX_TITLE,
        help_text="Letters, digits and hyphens; made from the title when left empty. It never "
        "changes once the story exists: feeds and links point to it.",
    )
    is_public = forms.BooleanField(
        label="Public: readers, feeds and partners see it", required=False
    )
    field_order = ["title", "slug", "description", "time_zone", "is_public"]


class StorySettingsForm(StoryForm):
    """Renaming and describing the story, and its time zone, from the version the editor
    opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StoryPublicSwitchForm(forms.Form):
    """Publish or unpublish, from the story page (no version: the button says what it does)
    or from the settings page (with the version the editor opened)."""

    is_public = forms.TypedChoiceField(
        choices=[("1", "Publish"), ("0", "Desk only")], coerce=bool_of
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class StoryCloseForm(forms.Form):
    closed = forms.TypedChoiceField(choices=[("1", "Close"), ("0", "Reopen")], coerce=bool_of)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
