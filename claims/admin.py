from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.timezone import localtime

from claims import services
from claims.access import Action, can
from claims.lib.paginators import EstimatedCountPaginator
from claims.models import (
    RULING_CHOICES,
    SEARCH_FIELDS,
    STATUS_LABELS,
    Attribution,
    Claim,
    EmailNotification,
    Evidence,
    Note,
    OutboxEvent,
    Revision,
    Story,
    WebhookDelivery,
    WebhookSubscriber,
)
from claims.selectors.desk import recent_story_titles
from claims.services import stories
from claims.services.delivery import delivery_retry


class StoryAdminForm(forms.ModelForm):
    """Runs the story services' own checks, so the admin shows their errors on the form."""

    class Meta:
        model = Story
        fields = ("title", "slug", "description", "is_public")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            fields = {name: cleaned.get(name) for name in ("title", "description", "is_public")}
            stories.clean_story(**fields)
            if self.instance.pk is None:
                stories.clean_story_slug(cleaned.get("slug"), title=cleaned.get("title") or "")
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ClaimActionForm(ActionForm):
    status = forms.ChoiceField(
        choices=[("", "---------"), *RULING_CHOICES], required=False, label="Status"
    )
    note = forms.CharField(required=False, label="Note / rationale", max_length=5000)


class WrittenByServices:
    """Rows that only services write: viewable, never added, edited or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(WrittenByServices, admin.ModelAdmin):
    pass


class LargeTableAdmin(ReadOnlyAdmin):
    """A table that grows with every claim: never counted row by row."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator


class ReadOnlyInline(WrittenByServices, admin.TabularInline):
    """A claim's rows shown beside it, written only by the services."""

    extra = 0
    can_delete = False


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("number", "kind", "actor", "created_at", "before", "after", "note")
    readonly_fields = fields
    ordering = ("-number",)
    show_change_link = False


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


@admin.register(Claim)
class ClaimAdmin(LargeTableAdmin):
    # Plain-text columns: the admin's generic field display (choices, boolean icons, localized
    # dates) costs more per cell than the query for the whole page.
    list_display = ("id", "short_text", "story", "status_label", "assignee", "changed")
    list_filter = ("status", "is_hidden", RecentStoryFilter)
    search_fields = ("text", "=id")
    list_select_related = ("story", "assignee")
    ordering = ("-changed_at", "-id")
    list_per_page = 50
    inlines = [AttributionInline, RevisionInline]
    action_form = ClaimActionForm
    actions = ["set_status", "hide", "unhide"]
    # Every stored field but the search columns, in the model's order.
    readonly_fields = tuple(
        field.name
        for field in Claim._meta.concrete_fields
        if field.name not in {"id", *SEARCH_FIELDS, "status_changed_at"}
    )
    exclude = ("search_document",)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can(request.user, Action.HIDE)

    def get_queryset(self, request):
        return super().get_queryset(request).for_display()

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
        label = STATUS_LABELS.get(obj.status, obj.status)
        return f"{label} · hidden" if obj.is_hidden else label

    @admin.display(description="Changed", ordering="changed_at")
    def changed(self, obj: Claim) -> str:
        return localtime(obj.changed_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="Claim")
    def short_text(self, obj: Claim) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    def _apply(self, request, queryset, label: str, change) -> None:
        done, refused = 0, []
        for claim in queryset:
            try:
                with transaction.atomic():
                    change(claim)
                done += 1
            except (ValidationError, PermissionDenied, services.ConflictError) as error:
                refused.append(f"#{claim.pk}: {_message(error)}")
        if done:
            self.message_user(request, f"{label}: {done} claim(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not changed {line}", messages.ERROR)

    @admin.action(description="Set status of selected claims (give the status and a rationale)")
    def set_status(self, request, queryset):
        status = request.POST.get("status", "")
        note = request.POST.get("note", "")
        if not can(request.user, Action.SET_STATUS):
            self.message_user(request, "You are not allowed to rule on claims.", messages.ERROR)
            return
        self._apply(
            request,
            queryset,
            f"Status set to {status or '—'}",
            lambda c: services.claim_set_status(
                claim=c,
                status=status,
                rationale=note,
                actor=request.user,
                expected_version=c.version,
            ),
        )

    @admin.action(description="Hide selected claims from the desk and the public")
    def hide(self, request, queryset):
        self._apply(request, queryset, "Hidden", self._with_note(request, services.claim_hide))

    @admin.action(description="Unhide selected claims")
    def unhide(self, request, queryset):
        self._apply(request, queryset, "Unhidden", self._with_note(request, services.claim_unhide))

    @staticmethod
    def _with_note(request, service):
        note = request.POST.get("note", "")
        return lambda claim: service(claim=claim, actor=request.user, note=note)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


@admin.register(Revision)
class RevisionAdmin(LargeTableAdmin):
    list_display = ("claim", "number", "kind", "actor", "created_at")
    list_filter = ("kind",)
    search_fields = ("note", "=claim__id")
    list_select_related = ("claim", "actor")
    ordering = ("-created_at", "-id")


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Stories are saved by the story services; a story's address never changes."""

    form = StoryAdminForm
    list_display = ("title", "slug", "is_public", "created_at")
    list_filter = ("is_public",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}

    def get_readonly_fields(self, request, obj=None):
        # A story's address is fixed once it exists: feeds, links and embeds point to it.
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        """Stories are written by the story services, which check the editor's permission."""
        fields = {name: getattr(obj, name) for name in ("title", "description", "is_public")}
        if change:
            services.story_update(story=obj, actor=request.user, **fields)
        else:
            obj.pk = services.story_create(slug=obj.slug, actor=request.user, **fields).pk


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    filter_horizontal = ("stories",)


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


@admin.register(OutboxEvent)
class OutboxEventAdmin(LargeTableAdmin):
    list_display = ("id", "kind", "claim", "created_at", "dispatched_at", "attempts")
    list_filter = ("kind",)
    list_select_related = ("claim",)


@admin.register(EmailNotification)
class EmailNotificationAdmin(ReadOnlyAdmin):
    list_display = ("event", "user", "sent_at", "created_at")
    list_select_related = ("event", "user")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "event",
        "subscriber",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("state", "subscriber")
    list_select_related = ("event", "subscriber")
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return can(request.user, Action.RETRY_DELIVERY)

    @admin.action(description="Retry selected dead deliveries", permissions=["retry"])
    def retry(self, request, queryset):
        retried = delivery_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - len(retried)
        if retried:
            self.message_user(
                request, f"Queued {len(retried)} delivery(ies) for retry.", messages.SUCCESS
            )
        if skipped:
            self.message_user(request, f"Skipped {skipped} that are not dead.", messages.WARNING)
