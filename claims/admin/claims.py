"""Moderating claims: bulk rulings and hiding, and the read-only record of attributions,
evidence and notes, with each claim's history as the desk shows it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html

from claims import access, services
from claims.access import Action, can, may_rule_in_bulk
from claims.admin.base import LargeTableAdmin, ReadOnlyAdmin, ReadOnlyInline
from claims.admin.display import (
    changes_html,
    claim_value,
    error_lines,
    one_line,
    status_label,
    when,
)
from claims.models import (
    RULING_CHOICES,
    SEARCH_FIELDS,
    VERDICTS,
    Attribution,
    Claim,
    Evidence,
    Note,
    Revision,
)
from claims.selectors.desk import recent_story_titles


class ClaimActionForm(ActionForm):
    status = forms.ChoiceField(
        choices=[("", "---------"), *RULING_CHOICES], required=False, label="Status"
    )
    note = forms.CharField(required=False, label="Note / rationale", max_length=5000)


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("number", "kind", "actor", "created_at", "changes", "note")
    readonly_fields = fields
    ordering = ("-number",)
    show_change_link = False

    @admin.display(description="Changes")
    def changes(self, obj: Revision) -> str:
        return changes_html(obj)

    def has_view_permission(self, request, obj=None):
        # The history whole, redacted parts included: for those who redact.
        return access.sees_redacted(request.user)


class AttributionInline(ReadOnlyInline):
    model = Attribution
    fields = ("source", "outlet", "url", "said_at", "quote")
    readonly_fields = fields


RECENT_STORIES = 20


class RecentStoryFilter(admin.SimpleListFilter):
    """The newest stories (and the one chosen), not a link for every story ever covered."""

    title = "story"
    parameter_name = "story__id__exact"

    def lookups(self, request, model_admin):
        chosen = self.value()
        including = int(chosen) if chosen and chosen.isdigit() else None
        stories = recent_story_titles(limit=RECENT_STORIES, including=including)
        return [(str(pk), title) for pk, title in stories]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(story_id=int(value))
        return queryset


# Shown together as the value a claim reports ("at least 40 people").
VALUE_PARTS = ("approximation", "value_high")


@admin.register(Claim)
class ClaimAdmin(LargeTableAdmin):
    # Plain-text columns: the admin's generic field display (choices, boolean icons, localized
    # dates) costs more per cell than the query for the whole page.
    # Assignment is the desk's work: the assignee shows on the claim's page, not in the list.
    list_display = ("id", "short_text", "story_title", "status_label", "changed")
    list_filter = ("status", "is_hidden", RecentStoryFilter)
    search_fields = ("text", "=id")
    list_select_related = ("story",)
    ordering = ("-changed_at", "-id")
    list_per_page = 50
    inlines = [AttributionInline, RevisionInline]
    action_form = ClaimActionForm
    actions = ["set_status", "hide", "unhide"]
    # Every stored field but the search columns, in the model's order; the value a claim
    # reports reads as a number with its approximation ("at least 40 people").
    fields = readonly_fields = tuple(
        "reported_value" if field.name == "value" else field.name
        for field in Claim._meta.concrete_fields
        if field.name not in {"id", *SEARCH_FIELDS, *VALUE_PARTS}
    )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can(request.user, Action.HIDE)

    def get_queryset(self, request):
        # Hidden claims only for those who see them, here as on the desk.
        return access.visible_claims(request.user).for_display()

    def action_checkbox(self, obj: Claim) -> str:
        # The stock checkbox renders a widget template per row: most of a page's time.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj: Claim) -> str:
        # Hidden claims say so beside their status: a column of its own cost a tenth of a page.
        label = status_label(obj.status)
        return f"{label} · hidden" if obj.is_hidden else label

    @admin.display(description="Changed", ordering="changed_at")
    def changed(self, obj: Claim) -> str:
        return when(obj.changed_at)

    @admin.display(description="Claim")
    def short_text(self, obj: Claim) -> str:
        return one_line(obj.text, limit=160, lines=2)

    @admin.display(description="Story", ordering="story__title")
    def story_title(self, obj: Claim) -> str:
        return one_line(obj.story.title, limit=60)

    @admin.display(description="Value")
    def reported_value(self, obj: Claim) -> str:
        return claim_value(obj)

    def has_set_status_permission(self, request) -> bool:
        return may_rule_in_bulk(request.user)

    def has_hide_permission(self, request) -> bool:
        return can(request.user, Action.HIDE)

    def _apply(self, request, queryset, label: str, change) -> None:
        done, refused = 0, []
        for claim in queryset:
            try:
                with transaction.atomic():
                    change(claim)
                done += 1
            except (ValidationError, PermissionDenied, services.ConflictError) as error:
                refused.append(f"#{claim.pk}: {'; '.join(error_lines(error))}")
        if done:
            self.message_user(request, f"{label}: {_claims(done)}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not changed {line}", messages.ERROR)

    @admin.action(
        description="Set status of selected claims (give the status and a rationale)",
        permissions=["set_status"],
    )
    def set_status(self, request, queryset):
        status = request.POST.get("status", "")
        note = request.POST.get("note", "")
        refusal = _ruling_refusal(status, note)
        if refusal:
            self.message_user(request, f"Nothing changed. {refusal}", messages.ERROR)
            return
        self._apply(
            request,
            queryset,
            f"Status set to {status_label(status)}",
            lambda c: services.claim_set_status(
                claim=c,
                status=status,
                rationale=note,
                actor=request.user,
                expected_version=c.version,
            ),
        )

    @admin.action(
        description="Hide selected claims from the desk and the public", permissions=["hide"]
    )
    def hide(self, request, queryset):
        self._apply(request, queryset, "Hidden", self._with_note(request, services.claim_hide))

    @admin.action(description="Unhide selected claims", permissions=["hide"])
    def unhide(self, request, queryset):
        self._apply(request, queryset, "Unhidden", self._with_note(request, services.claim_unhide))

    @staticmethod
    def _with_note(request, service):
        note = request.POST.get("note", "")
        return lambda claim: service(claim=claim, actor=request.user, note=note)


def _ruling_refusal(status: str, note: str) -> str:
    """What the action form lacks for the ruling asked, said once rather than per claim; the
    service checks again for each claim."""
    if not status:
        return "Status: choose the status to set."
    if status in VERDICTS and not note.strip():
        return "Rationale: a ruling needs a rationale."
    return ""


def _claims(count: int) -> str:
    return f"{count} claim" if count == 1 else f"{count} claims"


@admin.register(Attribution)
class AttributionAdmin(LargeTableAdmin):
    list_display = ("claim", "source", "outlet", "said_at")
    search_fields = ("quote", "source__name", "outlet")
    list_select_related = ("claim", "source")


@admin.register(Evidence)
class EvidenceAdmin(LargeTableAdmin):
    list_display = ("claim", "stance", "url", "capture_status", "created_at")
    list_filter = ("stance", "capture_status")
    search_fields = ("url", "excerpt")
    list_select_related = ("claim", "source")


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ("claim", "author", "created_at")
    search_fields = ("body",)
    list_select_related = ("claim", "author")
