"""The forms of ingest: the text with the day and zone its live-blog times are read in, and
the one form on each candidate, which files it as a claim (a report of which figure, or of
none) or as a new value replacing the report it corrects. Each candidate's fields get ids of
their own, as a page holds many candidates."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from claims.desk.forms import DeskForm, IngestForm
from claims.desk.time_fields import MomentField, story_zone
from claims.models import Claim, Figure, IngestCandidate
from claims.services.ingest import FigureDraft, Filing, clean_time_zone
from claims.validation import MAX_LONG_TEXT, MAX_SUBJECT, MAX_TEXT, MAX_UNIT
from sources.models import Source

NEW_FIGURE = "new"
NO_FIGURE = ""
ACCEPT, REPORT = "accept", "report"
LOST_VERSION = "The form lost the version of the report it replaces; reload the page."


class IngestTextForm(IngestForm):
    """The text, and what its clock times ("09:12") are times of."""

    story_date = forms.DateField(
        label="Day of the updates",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Times such as 09:12 in the text are of this day; empty is today.",
    )
    time_zone = forms.CharField(
        label="Time zone of the updates",
        required=False,
        max_length=64,
        help_text="Where the live blog's clock is, such as Europe/London.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"time_zone": settings.TIME_ZONE})
        super().__init__(*args, **kwargs)

    def clean_time_zone(self) -> str:
        try:
            return clean_time_zone(self.cleaned_data.get("time_zone"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["time_zone"]) from None


class CandidateForm(DeskForm):
    """The claim's words, the quote, when it was said and who said it; then where it goes:
    a report of one of the story's figures, of a new figure named here, or of none
    (accepting), or a new value replacing the report the page showed (reporting)."""

    claim_text = forms.CharField(
        label="Claim", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    quote = forms.CharField(
        label="Quote (the exact words)",
        max_length=MAX_LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    said_at = MomentField(
        label="Said at", required=False, help_text="Empty: the time the text gives, else now."
    )
    speaker_kind = forms.ChoiceField(
        label="Kind of speaker",
        required=False,
        choices=Source.Kind.choices,
        help_text="Given to the source if the desk does not know it yet.",
    )
    confirm_mismatch = forms.BooleanField(
        label="The words and the value differ on purpose", required=False
    )
    figure = forms.ChoiceField(
        label="File it as",
        required=False,
        error_messages={"invalid_choice": "Choose one of this story's figures, or none."},
    )
    subject = forms.CharField(
        label="New figure: what it counts", required=False, max_length=MAX_SUBJECT
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=Figure.Kind.choices)
    unit = forms.CharField(label="Unit", required=False, max_length=MAX_UNIT)
    supersedes = forms.ModelChoiceField(
        queryset=Claim.objects.none(), required=False, widget=forms.HiddenInput
    )
    supersedes_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={key: LOST_VERSION for key in ("invalid", "min_value")},
    )

    def __init__(
        self, *args, candidate: IngestCandidate, figures: list[Figure], decision=ACCEPT, **kw
    ):
        kw.setdefault("auto_id", f"c{candidate.pk}-%s")
        kw.setdefault("time_zone", story_zone(candidate.job.story))
        super().__init__(*args, **kw)
        self.candidate, self.decision = candidate, decision
        self.fields["supersedes"].queryset = Claim.objects.filter(
            story_id=candidate.job.story_id, figure__isnull=False
        )
        self.figures = {str(figure.pk): figure for figure in figures}
        self.fields["figure"].choices = [
            *((pk, f"A report of “{figure.subject}”") for pk, figure in self.figures.items()),
            (NEW_FIGURE, "A report of a new figure"),
            (NO_FIGURE, "A claim with no figure"),
        ]

    def clean(self):
        cleaned = super().clean()
        lost = cleaned.get("supersedes_version") is None
        if self.decision == REPORT:
            if lost and not self.has_error("supersedes_version"):
                self.add_error("supersedes_version", LOST_VERSION)
        elif cleaned.get("figure") == NEW_FIGURE and not (cleaned.get("subject") or "").strip():
            self.add_error("subject", "Say what the new figure counts or measures.")
        return cleaned

    def filing(self) -> Filing:
        data = self.cleaned_data
        return Filing(
            text=data["claim_text"],
            quote=data["quote"],
            said_at=data["said_at"],
            speaker_kind=data["speaker_kind"],
            confirm_mismatch=data["confirm_mismatch"],
        )

    def chosen_figure(self) -> Figure | FigureDraft | None:
        """What the desk chose, once the form is valid: a figure, a new one, or none."""
        choice = self.cleaned_data["figure"]
        if choice == NEW_FIGURE:
            data = self.cleaned_data
            return FigureDraft(
                subject=data["subject"], kind=data["kind"] or Figure.Kind.COUNT, unit=data["unit"]
            )
        return self.figures.get(choice)
