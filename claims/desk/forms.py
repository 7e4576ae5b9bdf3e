"""Desk forms. They check the shape of the input; the services decide what is allowed.

The forms that name a figure's value (a claim's, and the figure page's) are in
``claims.desk.figure_forms``.
"""

from datetime import tzinfo
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from claims.access import desk_users
from claims.desk.time_fields import MomentField, apply_zone
from claims.models import RULING_CHOICES, Claim, Evidence, Story
from claims.selectors.queue import QueueFilters, chosen_filter_choices, queue_filter_choices
from claims.services.ruled import status_moves
from claims.validation import (
    MAX_INGEST_BYTES,
    MAX_LONG_TEXT,
    clean_ingest_text,
    ingest_text_from_bytes,
)
from sources.models import Source


def bool_of(value: str) -> bool:
    return value == "1"


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class DeskForm(forms.Form):
    """Labels read exactly as written ("Status", not "Status:"); its time fields are typed
    and shown in ``time_zone``, the story's."""

    def __init__(self, *args, time_zone: tzinfo | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        apply_zone(self, time_zone)


STATUS_FILTER_CHOICES = [("", "Any status"), *Claim.Status.choices]


def _options(choices, chosen) -> SafeString:
    """The <option>s of a select, every value and label escaped.

    Built with the standard library's escape: format_html_join's per-argument checks made
    these selects the most expensive part of the queue page."""
    chosen = "" if chosen is None else str(chosen)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in choices
        )
    )


class QueueFilterForm(DeskForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTER_CHOICES)
    story = forms.ModelChoiceField(
        label="Story",
        required=False,
        queryset=Story.objects.order_by("title"),
        to_field_name="slug",
        empty_label="Any story",
    )
    assignee = forms.ModelChoiceField(
        label="Assignee", required=False, queryset=desk_users(), empty_label="Anyone"
    )
    source = forms.ModelChoiceField(
        label="Source", required=False, queryset=Source.objects.order_by("name"), empty_label="Any"
    )
    no_evidence = forms.BooleanField(label="Has no evidence", required=False)
    mine = forms.BooleanField(label="Assigned to me", required=False)
    hidden = forms.BooleanField(label="Hidden claims only", required=False)

    def __init__(self, *args, show_hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        assignees, stories, sources = queue_filter_choices()
        if not show_hidden:
            del self.fields["hidden"]
        # What the selects offer; the fields still validate any id or slug.
        self.select_choices = {
            "status": STATUS_FILTER_CHOICES,
            "assignee": [("", "Anyone"), *assignees],
            **self._recent_choices(stories, sources),
        }

    def filters(self) -> QueueFilters:
        """What the queue shows for these parameters: the queue and its poll read alike."""
        data = self.valid_data()
        return QueueFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            story=data.get("story"),
            assignee=data.get("assignee"),
            source=data.get("source"),
            no_evidence=bool(data.get("no_evidence")),
            mine=bool(data.get("mine")),
            hidden=bool(data.get("hidden")),
        )

    def _recent_choices(self, stories: list, sources: list) -> dict[str, list]:
        """A newsroom has thousands of sources and hundreds of stories: the selects offer the
        recent ones (and whatever is chosen)."""
        chosen_story = str(self.data.get("story") or "")
        chosen_source = str(self.data.get("source") or "")
        chosen_source = int(chosen_source) if chosen_source.isdigit() else None
        if chosen_story in {slug for slug, _ in stories}:
            chosen_story = ""
        if chosen_source in {pk for pk, _ in sources}:
            chosen_source = None
        if chosen_story or chosen_source is not None:
            more_stories, more_sources = chosen_filter_choices(
                story_slug=chosen_story, source_id=chosen_source
            )
            stories, sources = [*stories, *more_stories], [*sources, *more_sources]
        return {"story": [("", "Any story"), *stories], "source": [("", "Any"), *sources]}

    @cached_property
    def select_options(self) -> dict[str, SafeString]:
        """Each select's options, built here from plain lists: the widgets' templates, and
        even handing the lists to the widgets, cost more than the rest of the queue page."""
        return {
            name: _options(choices, self.data.get(name))
            for name, choices in self.select_choices.items()
        }

    def valid_data(self) -> dict:
        """The fields that validated; a bad filter is reported and ignored, not fatal."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


# A newsroom has thousands of sources: a select of all of them is slow to render and to use.
# The source fields take a name, suggested from the page's list of recent sources
# (``<datalist id="source-names">``); the view finds or creates the source by that name.
SourceNameInput = forms.TextInput(attrs={"list": "source-names", "autocomplete": "off"})


class VersionedForm(DeskForm):
    """Every form that changes a claim carries the version the user started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=RULING_CHOICES)
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a verdict: why the desk rules this way.",
    )

    def __init__(self, *args, current: str | None = None, **kwargs):
        """``current``: the claim's status, shown chosen, followed by only the statuses the
        claim may move to from it (none, once it is superseded)."""
        super().__init__(*args, **kwargs)
        self.moves = None
        if current is not None:
            self.moves = status_moves(current)
            shown = {current, *self.moves}
            self.fields["status"].choices = [
                (value, label) for value, label in Claim.Status.choices if value in shown
            ]
            self.fields["status"].initial = current
            if not self.moves:
                self.fields["status"].disabled = True
                self.fields["rationale"].disabled = True

    @property
    def no_moves(self) -> bool:
        return self.moves == []


class EvidenceForm(VersionedForm):
    url = forms.URLField(label="Link", max_length=1000, assume_scheme="https")
    stance = forms.ChoiceField(label="Stance", choices=Evidence.Stance.choices)
    excerpt = forms.CharField(
        label="Excerpt", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label="Published by",
        required=False,
        max_length=200,
        widget=SourceNameInput,
        help_text="Pick a recent source or type a new name.",
    )


class AttributionForm(VersionedForm):
    source = forms.CharField(
        label="Who said it",
        max_length=200,
        widget=SourceNameInput,
        error_messages={"required": "Name who made the claim."},
    )
    quote = forms.CharField(
        label="Exact quote",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outlet = forms.CharField(label="Where (outlet or venue)", required=False, max_length=200)
    url = forms.URLField(label="Link", required=False, max_length=1000, assume_scheme="https")
    said_at = MomentField(label="When", required=False)


class AssignForm(VersionedForm):
    """Take the claim (the default), give it to someone on the desk, or leave it unassigned,
    as the button pressed says; the choices are read from ``claims.selectors.work``."""

    ME, CHOSEN, NOBODY = "me", "chosen", "nobody"

    to = forms.ChoiceField(
        choices=[(ME, "Assign to me"), (CHOSEN, "Assign"), (NOBODY, "Unassign")], required=False
    )
    assignee = forms.ModelChoiceField(queryset=desk_users(), required=False, label="Assign to")

    def clean(self) -> dict:
        data = super().clean()
        data["to"] = data.get("to") or self.ME
        if data["to"] == self.CHOSEN and data.get("assignee") is None:
            if "assignee" not in self.errors:
                self.add_error("assignee", "Choose who should hold the claim.")
        return data


class SupersedeForm(VersionedForm):
    """Replace the claim by a newer one (57 replaces 63), or merge it into one it duplicates;
    the button pressed says which."""

    SUPERSEDE = "supersede"
    MERGE = "merge"

    q = forms.CharField(label="Find the replacing claim", required=False, max_length=200)
    by = forms.IntegerField(required=False, min_value=1, widget=forms.RadioSelect)
    by_number = forms.IntegerField(label="Or its claim number", required=False, min_value=1)
    note = forms.CharField(label="Why it is replaced", required=False, max_length=MAX_LONG_TEXT)
    how = forms.ChoiceField(
        choices=[(SUPERSEDE, "Supersede"), (MERGE, "Merge into it")], required=False
    )

    def clean_how(self) -> str:
        return self.cleaned_data["how"] or self.SUPERSEDE

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("by") or cleaned.get("by_number")
        if not chosen and not self.errors:
            raise ValidationError("Pick the claim that replaces this one, or give its number.")
        cleaned["replacement_id"] = chosen
        return cleaned


class NoteForm(DeskForm):
    body = forms.CharField(
        label="Internal note", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WatchForm(forms.Form):
    """Follow (1) or stop following (0), as the button the user pressed says."""

    watching = forms.TypedChoiceField(choices=[("1", "Follow"), ("0", "Unfollow")], coerce=bool_of)


class IngestForm(forms.Form):
    story = forms.ModelChoiceField(
        queryset=Story.objects.order_by("title"), empty_label="Choose a story…"
    )
    text = forms.CharField(
        label="Paste live updates",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    file = forms.FileField(
        label="…or upload a .txt file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        try:
            return ingest_text_from_bytes(upload.read(MAX_INGEST_BYTES + 1))
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def clean(self):
        cleaned = super().clean()
        text, uploaded = cleaned.get("text") or "", cleaned.get("file")
        if self.errors:
            return cleaned
        if text.strip() and uploaded is not None:
            raise ValidationError("Paste the text or upload a file, not both.")
        if uploaded is not None:
            cleaned["content"] = uploaded
            return cleaned
        try:
            cleaned["content"] = clean_ingest_text(text)
        except ValidationError as error:
            self.add_error("text", error.messages[0])
        return cleaned
