from django.contrib import admin

from sources import services
from sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Moderators keep the list of sources; every save goes through the sources services."""

    # A newsroom has thousands of sources: the list is never counted in full.
    show_full_result_count = False
    list_display = ("name", "kind", "homepage", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "description")
    ordering = ("name",)

    def save_model(self, request, obj, form, change):
        """Saved through the sources services, which validate what the form let through."""
        fields = {name: getattr(obj, name) for name in ("name", "kind", "description", "homepage")}
        if change:
            services.source_update(source=obj, **fields)
        else:
            obj.pk = services.source_create(**fields).pk
