from django.contrib import admin

from sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "homepage", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "description")
    ordering = ("name",)
    show_full_result_count = False
