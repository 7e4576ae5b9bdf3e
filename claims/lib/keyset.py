"""Keyset pages of a list ordered newest first.

A list is ordered by (time, id) descending, or by (rank, time, id) when ranked by relevance.
A cursor is that key of a page's first or last row, written into the page's links, so any
page costs one walk of the index on those keys, as the first page does, however deep it is.

A cursor may be sealed to a scope (one story's claims, say) with a short HMAC: a cursor from
another list, or one made up, then reads as no cursor at all and the list starts over, and
the pages worth caching are only the ones the site linked to.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime

SEAL_SEPARATOR = "~"
SEAL_LENGTH = 16


@dataclass(frozen=True)
class Cursor:
    """A position in a list: a row's time and id, and its rank when the list is ranked."""

    at: datetime
    id: int
    rank: float | None = None

    def encode(self, scope: str = "") -> str:
        head = f"{self.rank!r}_" if self.rank is not None else ""
        plain = f"{head}{self.at.isoformat()}_{self.id}"
        return f"{plain}{SEAL_SEPARATOR}{_seal(plain, scope)}" if scope else plain

    @classmethod
    def decode(cls, raw: str, *, ranked: bool = False, scope: str = "") -> "Cursor | None":
        """A cursor from the URL, or None when it is malformed or sealed to another scope."""
        raw = raw or ""
        if scope:
            raw, _, seal = raw.rpartition(SEAL_SEPARATOR)
            if not constant_time_compare(seal, _seal(raw, scope)):
                return None
        parts = raw.split("_")
        try:
            rank = float(parts.pop(0)) if ranked else None
            row_id = int(parts.pop())
            at = parse_datetime("_".join(parts))
        except (IndexError, ValueError):
            return None
        if at is None or at.tzinfo is None or row_id < 1:
            return None
        return cls(at=at, id=row_id, rank=rank)


def _seal(plain: str, scope: str) -> str:
    return salted_hmac("claims.lib.keyset", f"{scope}\n{plain}").hexdigest()[:SEAL_LENGTH]


@dataclass(frozen=True)
class Position:
    """Where a page starts: past a cursor (older rows), before one (newer rows, going
    ``backwards``), or at the top of the list when there is no cursor."""

    scope: str = ""
    cursor: Cursor | None = None
    backwards: bool = False
    ranked: bool = False

    @classmethod
    def read(cls, *, after: str, before: str, scope: str = "", ranked: bool = False) -> "Position":
        """The position a page's ``after`` or ``before`` parameter names; the top of the list
        for a cursor that is malformed or not this list's."""
        backwards = bool(before) and not after
        cursor = Cursor.decode(before if backwards else after, ranked=ranked, scope=scope)
        return cls(scope, cursor, backwards and cursor is not None, ranked)

    @property
    def key(self) -> str:
        """The same text for every URL that leads to this page, for a cache key."""
        if self.cursor is None:
            return ""
        return f"{'before' if self.backwards else 'after'}:{self.cursor.encode()}"

    def top(self) -> "Position":
        return Position(self.scope, ranked=self.ranked)


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str = ""  # older rows: the page's ?after=
    previous_cursor: str = ""  # newer rows: the page's ?before=
    is_first: bool = True


def keyset_page(
    rows: QuerySet, position: Position, *, limit: int, time_field: str = "changed_at"
) -> KeysetPage:
    """One page of ``rows`` from ``position``, newest first (most relevant first, ranked).

    ``rows`` may be model instances or named values; each row has ``id``, ``time_field``
    and, ranked, ``rank``. A cursor that leads past every row, or back to fewer rows than
    fill a page, gives the first page: what a reader asking for the newest rows expects.
    """
    keys = ["rank", time_field, "id"] if position.ranked else [time_field, "id"]
    if position.cursor is not None:
        found, more = read_rows(rows, keys, position, limit)
        if found and (more or not position.backwards):
            return _page(found, more or position.backwards, keys, position)
        position = position.top()
    found, more = read_rows(rows, keys, position, limit)
    return _page(found, more, keys, position)


def read_rows(rows: QuerySet, keys: list[str], position: Position, limit: int) -> tuple[list, bool]:
    """Up to ``limit`` rows from ``position`` in the list's order, and whether more follow."""
    if position.cursor is not None:
        rows = rows.filter(beyond(rows, keys, position))
    ordering = [f"{'' if position.backwards else '-'}{key}" for key in keys]
    found = list(rows.order_by(*ordering)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if position.backwards:
        found.reverse()
    return found, more


def _page(found: list, older: bool, keys: list[str], position: Position) -> KeysetPage:
    first = position.cursor is None
    page = KeysetPage(rows=found, is_first=first)
    if found and older:
        page.next_cursor = cursor_of(found[-1], keys).encode(position.scope)
    if found and not first:
        page.previous_cursor = cursor_of(found[0], keys).encode(position.scope)
    return page


def cursor_of(row, keys: list[str]) -> Cursor:
    rank = row.rank if keys[0] == "rank" else None
    return Cursor(getattr(row, keys[-2]), row.id, rank)


def beyond(rows: QuerySet, keys: list[str], position: Position):
    """Rows strictly past the cursor in the list's order (or before it, going back)."""
    cursor = position.cursor
    if not position.ranked:
        # A row comparison is one index condition on (time, id): no OR, no sort.
        connection = connections[rows.db]
        meta, quote = rows.model._meta, connection.ops.quote_name
        table = quote(meta.db_table)
        time_column, id_column = quote(meta.get_field(keys[0]).column), quote(meta.pk.column)
        op = ">" if position.backwards else "<"
        at = connection.ops.adapt_datetimefield_value(cursor.at)
        return RawSQL(
            f"({table}.{time_column}, {table}.{id_column}) {op} (%s, %s)",
            (at, cursor.id),
            output_field=BooleanField(),
        )
    op = "gt" if position.backwards else "lt"
    values = {"rank": cursor.rank, keys[1]: cursor.at, "id": cursor.id}
    condition = Q()
    for depth, key in enumerate(keys):
        equal = {k: values[k] for k in keys[:depth]}
        condition |= Q(**equal, **{f"{key}__{op}": values[key]})
    return condition
