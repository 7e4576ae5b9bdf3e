"""Figures for moderators: each with its number of reports and its history, read-only. A
figure is renamed, merged and split on the desk, through the figure services."""

from django.contrib import admin
from django.db.models import Count

from claims.admin.base import ReadOnlyAdmin, ReadOnlyInline
from claims.admin.claims import RecentStoryFilter
from claims.models import Figure, FigureRevision

REVISION_FIELDS = ("number", "kind", "actor", "created_at", "before", "after", "note")


class FigureRevisionInline(ReadOnlyInline):
    model = FigureRevision
    fields = REVISION_FIELDS
    readonly_fields = fields
    ordering = ("-number",)


@admin.register(Figure)
class FigureAdmin(ReadOnlyAdmin):
    list_display = ("subject", "story", "kind", "unit", "report_count", "merged_into")
    list_filter = (RecentStoryFilter, "kind")
    search_fields = ("subject",)
    list_select_related = ("story", "merged_into")
    fields = ("story", "subject", "kind", "unit", "merged_into", "version", "created_by",
              "created_at", "changed_at")  # fmt: skip
    readonly_fields = fields
    inlines = [FigureRevisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports"))

    @admin.display(description="Reports", ordering="report_count")
    def report_count(self, obj: Figure) -> int:
        return obj.report_count


@admin.register(FigureRevision)
class FigureRevisionAdmin(ReadOnlyAdmin):
    """The figures' history: append-only, in the database as here."""

    list_display = ("figure", "number", "kind", "actor", "created_at")
    list_filter = ("kind",)
    search_fields = ("note", "=figure__id")
    list_select_related = ("figure", "actor")
    fields = ("figure", *REVISION_FIELDS)
    readonly_fields = fields
    ordering = ("-created_at", "-id")
