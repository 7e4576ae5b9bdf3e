"""Sources for moderators: their kind shown, filtered and corrected (a ministry is not a
person), every change saved by the sources services with its revision."""

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.timezone import localtime

from sources import services
from sources.models import Source, SourceKind, SourceRevision

FIELDS = ("name", "kind", "description", "homepage")
LABELS = {"name": "Name", "kind": "Kind", "description": "Description", "homepage": "Homepage"}
KIND_HELP = (
    "Public fact checks name a person or anonymous officials as a Person, and a government, "
    "ministry, organisation, agency, outlet or document as an Organization."
)


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "kind" and value in SourceKind.values:
        return SourceKind(value).label
    return str(value)


def _when(moment) -> str:
    return localtime(moment).strftime("%Y-%m-%d %H:%M")


def revision_changes(revision: SourceRevision) -> list[dict]:
    """What a source revision changed, field by field, as the claims' history shows it; the
    first lists what the source was created with."""
    before, after = revision.before or {}, revision.after or {}
    if not before:
        after = {field: value for field, value in after.items() if value not in (None, "")}
    return [
        {
            "label": LABELS.get(f, f),
            "before": _shown(f, before.get(f)),
            "after": _shown(f, after[f]),
        }
        for f in FIELDS
        if f in after and before.get(f) != after[f]
    ]


def history_html(source: Source) -> str:
    """A source's revisions, newest first, each as the claims' history shows a change."""
    revisions = source.revisions.select_related("actor").order_by("-number")
    entries = [
        {
            "revision": revision,
            "when": _when(revision.created_at),
            "changes": revision_changes(revision),
            # The first revision records what the source was created as.
            "kind": "" if revision.before else "created",
        }
        for revision in revisions
    ]
    return render_to_string("admin/source_history.html", {"entries": entries})


class SourceAdminForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = FIELDS
        help_texts = {"kind": KIND_HELP}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.clean_source(
                    **{name: cleaned.get(name, "") for name in FIELDS}, exclude_pk=self.instance.pk
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Moderators keep the list of sources; every save goes through the sources services."""

    form = SourceAdminForm
    readonly_fields = ("history",)
    # A newsroom has thousands of sources: the list is never counted in full.
    show_full_result_count = False
    list_display = ("name", "kind", "homepage", "added")
    # A kind is corrected from the list too: each row saved through the services.
    list_editable = ("kind",)
    list_filter = ("kind",)
    search_fields = ("name", "description")
    ordering = ("name",)

    def get_fields(self, request, obj=None):
        return (*FIELDS, "history") if obj is not None else FIELDS

    @admin.display(description="History")
    def history(self, obj: Source) -> str:
        return history_html(obj)

    @admin.display(description="Added", ordering="created_at")
    def added(self, obj: Source) -> str:
        return _when(obj.created_at)

    def save_model(self, request, obj, form, change):
        """Saved through the sources services, which validate what the form let through."""
        fields = {name: getattr(obj, name) for name in FIELDS}
        if change:
            services.source_update(source=obj, actor=request.user, **fields)
        else:
            obj.pk = services.source_create(actor=request.user, **fields).pk
