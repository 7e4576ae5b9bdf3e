"""The forms that give a figure's value: a claim's own words and the value it reports (new
claim, edit), and the figure page's forms (report a new value, rename, merge, split).

They check the shape of the input; the services decide what is allowed, and their errors are
shown on these fields (``apply_service_error``). A figure is picked from the story's figures
only: an id from elsewhere is an invalid choice, never a lookup.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError

from claims.desk.forms import DeskForm, SourceNameInput, VersionedForm
from claims.desk.time_fields import MomentField
from claims.models import Figure, format_number
from claims.models.choices import Approximation
from claims.validation import MAX_LONG_TEXT, MAX_OUTLET, MAX_SUBJECT, MAX_TEXT, MAX_UNIT, MAX_URL

NEW_FIGURE = "new"
# The fields of a new figure named in a claim's form, and the service's names for them.
NEW_FIGURE_FIELDS = {"new_subject": "subject", "new_kind": "kind", "new_unit": "unit"}
MISMATCH_LABEL = "The words and the value differ on purpose"


def figure_label(figure: Figure) -> str:
    return f"{figure.subject} ({figure.unit})" if figure.unit else figure.subject


def value_text(value) -> str:
    return "" if value is None else format_number(value)


class ValueFields(DeskForm):
    """A value as a source gave it: exactly, about, at least, at most, or between two."""

    value = forms.CharField(label="Value", required=False, max_length=40)
    approximation = forms.ChoiceField(
        label="How exact", required=False, choices=Approximation.choices
    )
    value_high = forms.CharField(
        label="Top of the range", required=False, max_length=40, help_text="Only for “between”."
    )
    confirm_mismatch = forms.BooleanField(label=MISMATCH_LABEL, required=False)

    @property
    def offers_confirmation(self) -> bool:
        """The mismatch box shows only once the service refused words that do not state
        the value (or when it is already ticked)."""
        return "confirm_mismatch" in self.errors or bool(self["confirm_mismatch"].value())

    def visible_fields(self):
        return [
            field
            for field in super().visible_fields()
            if field.name != "confirm_mismatch" or self.offers_confirmation
        ]


class ReportFields(ValueFields):
    """Which of the story's figures a claim reports, or a new one named here, and the value."""

    figure = forms.ChoiceField(
        label="Figure it reports",
        required=False,
        error_messages={"invalid_choice": "Choose one of the story's figures."},
    )
    new_subject = forms.CharField(
        label="New figure: what is counted or measured", required=False, max_length=MAX_SUBJECT
    )
    new_kind = forms.ChoiceField(
        label="New figure: kind", required=False, choices=Figure.Kind.choices
    )
    new_unit = forms.CharField(
        label="New figure: unit",
        required=False,
        max_length=MAX_UNIT,
        help_text="What a count counts (people), a currency (CAD), km, %…",
    )
    field_order = ["text", "figure", *NEW_FIGURE_FIELDS, "value", "approximation", "value_high"]

    def __init__(self, *args, figures: list[Figure] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = {str(figure.pk): figure for figure in figures}
        self.fields["figure"].choices = [
            ("", "None: the claim gives no figure"),
            *((pk, figure_label(figure)) for pk, figure in self.figures.items()),
            (NEW_FIGURE, "A new figure, named below"),
        ]
        # The choices are part of the markup the claim page caches per claim version.
        listed = repr(self.fields["figure"].choices).encode()
        self.markup_key = hashlib.sha1(listed).hexdigest()[:12]

    def clean_figure(self):
        chosen = self.cleaned_data["figure"]
        if chosen == NEW_FIGURE or (not chosen and self.data.get(self.add_prefix("new_subject"))):
            return NEW_FIGURE
        return self.figures.get(chosen)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("figure") == NEW_FIGURE and not cleaned.get("new_subject"):
            self.add_error("new_subject", "Say what the new figure counts or measures.")
        return cleaned


class ClaimCreateForm(ReportFields):
    text = forms.CharField(
        label="Claim text", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label="Note for the timeline", required=False, max_length=MAX_LONG_TEXT)


TYPO_HELP = (
    "Change a value here only to correct the desk's own typo, with a note. A new value said "
    "by a source is a new report: use “Report a new value” on the figure's page."
)


class EditForm(ReportFields, VersionedForm):
    text = forms.CharField(
        label="Claim text", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(label="Why the change", required=False, max_length=MAX_LONG_TEXT)
    keep_ruling = forms.BooleanField(
        label="Minor edit: keep the ruling",
        required=False,
        help_text="For a typo only. Otherwise the edit reopens the claim for review.",
    )

    def __init__(self, *args, ruled: bool = False, reports: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reports:
            self.fields["value"].help_text = TYPO_HELP
            self.fields["note"].help_text = "Required when the value changes: which typo."
        if ruled:
            self.fields["note"].required = True
            self.fields["note"].help_text = "Required: the note is published in the trail."
        else:
            del self.fields["keep_ruling"]


def edit_initial(claim) -> dict:
    return {
        "text": claim.text,
        "figure": str(claim.figure_id) if claim.figure_id else "",
        "value": value_text(claim.value),
        "approximation": claim.approximation or Approximation.EXACT,
        "value_high": value_text(claim.value_high),
    }


# The figure page ------------------------------------------------------------------------------


class ReplacedReportField(forms.ChoiceField):
    """A standing report and the version the form saw ("123:4"): any version of a listed
    report is valid here, so that a stale one reaches the service and is a conflict."""

    listed: frozenset[str] = frozenset()

    def valid_value(self, value) -> bool:
        pk, _, version = str(value).partition(":")
        return pk in self.listed and version.isdigit()


class FigureReportForm(ValueFields):
    """A new value said by a source: a new claim, which may replace an earlier report."""

    text = forms.CharField(
        label="The claim, in the desk's words",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="It states the value: “Champagne says 57 Canadians died on PS752.”",
    )
    source = forms.CharField(
        label="Who gave it",
        max_length=200,
        widget=SourceNameInput,
        help_text="Pick a source or type a new name.",
        error_messages={"required": "Name who gave this value."},
    )
    said_at = MomentField(
        label="When they said it",
        error_messages={"required": "Say when the source gave this value."},
    )
    quote = forms.CharField(
        label="Exact quote",
        required=False,
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outlet = forms.CharField(label="Where (outlet or venue)", required=False, max_length=MAX_OUTLET)
    url = forms.URLField(label="Link", required=False, max_length=MAX_URL, assume_scheme="https")
    supersedes = ReplacedReportField(
        label="Replaces report",
        required=False,
        error_messages={"invalid_choice": "That report no longer stands: reload the page."},
        help_text="When the source revises its own report; editors may say any report is replaced.",
    )
    note = forms.CharField(label="Note for the timeline", required=False, max_length=MAX_LONG_TEXT)
    field_order = ["value", "approximation", "value_high", "text", "source", "said_at"]

    def __init__(self, *args, standing: list[tuple[int, int, str]] = (), **kwargs):
        """``standing``: (claim id, version, description) of the reports it may replace."""
        super().__init__(*args, **kwargs)
        self.fields["value"].required = True
        self.fields["value"].error_messages["required"] = "Give the value the source said."
        self.fields["supersedes"].choices = [
            ("", "None: a report of its own"),
            *((f"{pk}:{version}", f"#{pk}: {text}") for pk, version, text in standing),
        ]
        self.fields["supersedes"].listed = frozenset(str(pk) for pk, _, _ in standing)

    def clean_supersedes(self) -> tuple[int, int] | None:
        chosen = self.cleaned_data["supersedes"]
        if not chosen:
            return None
        pk, version = chosen.split(":")
        return int(pk), int(version)


class FigureUpdateForm(VersionedForm):
    subject = forms.CharField(label="What is counted or measured", max_length=MAX_SUBJECT)
    kind = forms.ChoiceField(label="Kind", choices=Figure.Kind.choices)
    unit = forms.CharField(label="Unit", required=False, max_length=MAX_UNIT)
    note = forms.CharField(label="Why", required=False, max_length=MAX_LONG_TEXT)


class FigureMergeForm(VersionedForm):
    into = forms.ChoiceField(
        label="Merge into",
        error_messages={"invalid_choice": "Choose another figure of this story."},
        help_text="This figure's reports move there; this page then points to it.",
    )
    note = forms.CharField(label="Why", required=False, max_length=MAX_LONG_TEXT)

    def __init__(self, *args, others: list[Figure] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {str(figure.pk): figure for figure in others}
        self.fields["into"].choices = [
            ("", "Choose a figure…"),
            *((pk, figure_label(figure)) for pk, figure in self.others.items()),
        ]

    def clean_into(self) -> Figure:
        return self.others[self.cleaned_data["into"]]


class FigureSplitForm(VersionedForm):
    reports = forms.MultipleChoiceField(
        label="Reports to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick the reports that count something else.",
            "invalid_choice": "Choose reports of this figure.",
        },
    )
    subject = forms.CharField(
        label="The new figure: what they count or measure", max_length=MAX_SUBJECT
    )
    note = forms.CharField(label="Why", required=False, max_length=MAX_LONG_TEXT)

    def __init__(self, *args, reports: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(str(pk), f"#{pk}: {text}") for pk, text in reports]

    def clean_reports(self) -> list[int]:
        return sorted(int(pk) for pk in self.cleaned_data["reports"])


def renamed_figure_error(error: ValidationError) -> ValidationError:
    """A new figure's refusal, on the claim form's fields for it."""
    if not hasattr(error, "error_dict"):
        return error
    fields = {service: form for form, service in NEW_FIGURE_FIELDS.items()}
    return ValidationError({fields.get(k, k): v for k, v in error.message_dict.items()})
