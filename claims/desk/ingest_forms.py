"""The forms on an ingest candidate: accept it (as a report of which figure, or of none) and
report it as a new value replacing the report it corrects. Each candidate's fields get ids of
their own, as a page holds many candidates."""

from django import forms

from claims.desk.forms import DeskForm
from claims.models import Figure
from claims.services.ingest import FigureDraft
from claims.validation import MAX_SUBJECT, MAX_UNIT

NEW_FIGURE = "new"
NO_FIGURE = ""


class CandidateForm(DeskForm):
    """When the sentence was said, if the desk knows; its ids name the candidate and form."""

    name = ""
    said_at = forms.DateTimeField(
        label="Said at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text="Leave empty for now.",
    )

    def __init__(self, *args, candidate, **kwargs):
        kwargs.setdefault("auto_id", f"c{candidate.pk}-{self.name}-%s")
        super().__init__(*args, **kwargs)


class CandidateAcceptForm(CandidateForm):
    """File the sentence as a claim: a report of one of the story's figures, of a new figure
    named here, or of none."""

    name = "accept"
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

    def __init__(self, *args, figures: list[Figure], **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = {str(figure.pk): figure for figure in figures}
        self.fields["figure"].choices = [
            *((pk, f"A report of “{figure.subject}”") for pk, figure in self.figures.items()),
            (NEW_FIGURE, "A report of a new figure"),
            (NO_FIGURE, "A claim with no figure"),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("figure") == NEW_FIGURE and not (cleaned.get("subject") or "").strip():
            self.add_error("subject", "Say what the new figure counts or measures.")
        return cleaned

    def chosen_figure(self) -> Figure | FigureDraft | None:
        """What the desk chose, once the form is valid: a figure, a new one, or none."""
        choice = self.cleaned_data["figure"]
        if choice == NEW_FIGURE:
            data = self.cleaned_data
            return FigureDraft(
                subject=data["subject"], kind=data["kind"] or Figure.Kind.COUNT, unit=data["unit"]
            )
        return self.figures.get(choice)


class CandidateReportForm(CandidateForm):
    """Report the sentence as a new value of its figure, replacing the report it corrects;
    carries the version of that report as the page showed it."""

    name = "report"

    supersedes_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            key: "The form lost the version of the report it replaces; reload the page."
            for key in ("required", "invalid", "min_value")
        },
    )
