"""The admin's shared shapes: tables that only services write, and tables too large to count."""

from django.contrib import admin

from claims.lib.paginators import EstimatedCountPaginator


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
