from django import forms
from django.contrib import admin

from sources import services
from sources.models import Source, SourceRevision

FIELDS = ("name", "kind", "description", "homepage")


class SourceRevisionInline(admin.TabularInline):
    """A source's history, newest first: written by the services, never edited."""

    model = SourceRevision
    fields = ("number", "created_at", "actor", "before", "after")
    readonly_fields = fields
    ordering = ("-number",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SourceAdminForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = FIELDS

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
    inlines = [SourceRevisionInline]
    # A newsroom has thousands of sources: the list is never counted in full.
    show_full_result_count = False
    list_display = ("name", "kind", "homepage", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "description")
    ordering = ("name",)

    def save_model(self, request, obj, form, change):
        """Saved through the sources services, which validate what the form let through."""
        fields = {name: getattr(obj, name) for name in FIELDS}
        if change:
            services.source_update(source=obj, actor=request.user, **fields)
        else:
            obj.pk = services.source_create(actor=request.user, **fields).pk
