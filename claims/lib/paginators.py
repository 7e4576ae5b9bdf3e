"""A changelist paginator that never counts a large table row by row."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows; past that, PostgreSQL's planner estimate stands in.

    The admin shows "10,000+"-sized page ranges instead of waiting on a full COUNT(*). An
    unfiltered list of a large table skips even the capped count: the estimate is enough.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        estimate = self._estimate(queryset)
        if estimate is not None and estimate > COUNT_CAP:
            return estimate
        capped = queryset.order_by()[: COUNT_CAP + 1].count()
        if capped <= COUNT_CAP:
            return capped
        return max(capped, estimate or 0)

    @staticmethod
    def _estimate(queryset) -> int | None:
        """The table's estimated size for an unfiltered list on PostgreSQL, else None."""
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] > 0 else None
