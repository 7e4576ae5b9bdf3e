"""The queue's form for acting on many claims at once: the claims ticked, each with the
version its row showed, and one action (assign, move to In review, rule)."""

from django import forms
from django.core.exceptions import ValidationError

from claims.access import BulkAction, bulk_actions_for, desk_users
from claims.models import RULING_CHOICES
from claims.selectors.queue import queue_filter_choices
from claims.validation import MAX_LONG_TEXT

MAX_BULK_CLAIMS = 100
ACTION_LABELS = {
    BulkAction.ASSIGN: "Assign",
    BulkAction.REVIEW: "Move to In review",
    BulkAction.RULE: "Rule",
}


class ClaimVersionsField(forms.Field):
    """Ticked rows as ``claim id:version`` (the version the row showed): [(id, version)]."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[int, int]]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        picked: dict[int, int] = {}
        for item in value:
            claim_id, _, version = str(item).partition(":")
            if not (claim_id.isdigit() and version.isdigit()) or len(item) > 40:
                raise ValidationError("A selected row was not understood; reload the queue.")
            picked.setdefault(int(claim_id), int(version))
        return list(picked.items())

    def validate(self, value) -> None:
        if not value:
            raise ValidationError("Select at least one claim.")
        if len(value) > MAX_BULK_CLAIMS:
            raise ValidationError(f"Select at most {MAX_BULK_CLAIMS} claims at once.")


class BulkForm(forms.Form):
    claims = ClaimVersionsField()
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    assignee = forms.ModelChoiceField(queryset=desk_users(), required=False, label="Assign to")
    ruling = forms.ChoiceField(choices=[("", "Choose a status"), *RULING_CHOICES], required=False)
    rationale = forms.CharField(required=False, max_length=MAX_LONG_TEXT, label="Rationale")
    # The queue's filters, to go back to the same list.
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        action = data.get("action")
        if action == BulkAction.ASSIGN and data.get("assignee") is None:
            if "assignee" not in self.errors:
                self.add_error("assignee", "Choose who should hold the selected claims.")
        if action == BulkAction.RULE and not data.get("ruling"):
            self.add_error("ruling", "Choose the status to rule the selected claims.")
        return data


def bulk_choices(user) -> dict:
    """What the queue's action bar offers this user: their actions, the people a claim may
    be given to, the statuses a ruling sets."""
    return {
        "actions": bulk_actions_for(user),
        "people": queue_filter_choices()[0],  # the queue's own list of the desk's people
        "statuses": RULING_CHOICES,
    }
