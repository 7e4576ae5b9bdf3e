"""Cursor paging for the API's lists: ``next_cursor`` in the body and ``Link: rel="next"``."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

PAGE_SIZE = 100


def next_link(request: HttpRequest, response: HttpResponse, cursor: str) -> None:
    """Point ``Link: rel="next"`` at the same query from ``cursor`` on, when there is more."""
    if cursor:
        query = request.GET.copy()
        query["cursor"] = cursor
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'


def id_page(
    request: HttpRequest, response: HttpResponse, rows: QuerySet, fields, cursor: str
) -> dict:
    """A page of ``rows`` by id, newest first, after the id the cursor names; the cursor is
    the last id sent, so rows added meanwhile neither repeat nor go missing further on."""
    if cursor:
        rows = rows.filter(id__lt=_cursor_id(cursor))
    items = list(rows.order_by("-id").values("id", *fields)[: PAGE_SIZE + 1])
    more = len(items) > PAGE_SIZE
    items = items[:PAGE_SIZE]
    next_cursor = str(items[-1]["id"]) if more else ""
    next_link(request, response, next_cursor)
    return {"items": items, "next_cursor": next_cursor}


def _cursor_id(cursor: str) -> int:
    if not cursor.isascii() or not cursor.isdigit() or not 0 < int(cursor) < 2**63:
        raise ValidationError({"cursor": "This cursor is not one the API handed out."})
    return int(cursor)
