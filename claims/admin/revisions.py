"""The audit trail of claims. Moderators redact a revision's text, note or actor from
readers and reporters here; the revision itself stays as it was, and they still see it whole,
as the desk's readable diff."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError

from claims import access
from claims.admin.base import LargeTableAdmin
from claims.admin.display import changes_html, changes_summary, error_lines, one_line, when
from claims.models import SEARCH_FIELDS, Revision
from claims.services.redactions import revision_redact


class RedactionActionForm(ActionForm):
    parts = forms.MultipleChoiceField(
        choices=[("text", "its text"), ("note", "its note"), ("actor", "who made it")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Redact",
    )
    reason = forms.CharField(required=False, label="Reason (shown to readers)", max_length=500)


@admin.register(Revision)
class RevisionAdmin(LargeTableAdmin):
    list_display = ("claim_text", "version", "kind", "summary", "actor", "made")
    list_filter = ("kind",)
    search_fields = ("note", "=claim__id")
    list_select_related = ("claim", "actor")
    ordering = ("-created_at", "-id")
    fields = ("claim", "number", "kind", "actor", "created_at", "changes", "note", "redacts")
    readonly_fields = fields
    action_form = RedactionActionForm
    actions = ["redact"]

    def has_view_permission(self, request, obj=None):
        # Redacted words are shown whole here: the audit trail is for those who redact.
        return access.sees_redacted(request.user)

    def has_redact_permission(self, request) -> bool:
        return access.sees_redacted(request.user)

    def get_queryset(self, request):
        # The claim is shown by its words: its search columns are never read here.
        return super().get_queryset(request).defer(*(f"claim__{f}" for f in SEARCH_FIELDS))

    @admin.display(description="Claim", ordering="claim_id")
    def claim_text(self, obj: Revision) -> str:
        return one_line(obj.claim.text, limit=160, lines=2)

    @admin.display(description="Changes")
    def summary(self, obj: Revision) -> str:
        return changes_summary(obj)

    @admin.display(description="Changes")
    def changes(self, obj: Revision) -> str:
        return changes_html(obj)

    @admin.display(description="Version", ordering="number")
    def version(self, obj: Revision) -> int:
        return obj.number

    @admin.display(description="When", ordering="created_at")
    def made(self, obj: Revision) -> str:
        return when(obj.created_at)

    @admin.action(
        description="Redact the selected revisions (tick what, give a reason)",
        permissions=["redact"],
    )
    def redact(self, request, queryset):
        parts, reason = request.POST.getlist("parts"), request.POST.get("reason", "")
        done, refused = 0, []
        for revision in queryset.select_related("claim"):
            try:
                revision_redact(revision=revision, actor=request.user, parts=parts, reason=reason)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{revision}: {'; '.join(error_lines(error))}")
        if done:
            noun = "revision" if done == 1 else "revisions"
            self.message_user(request, f"Redacted {done} {noun}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not redacted {line}", messages.ERROR)
