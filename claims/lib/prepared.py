"""Prepared statements: a query compiled once per process and, on PostgreSQL, prepared once
per connection.

Some queries run on every request (a feed's freshness check is the whole of a 304) and take
Django far longer to build and compile, and PostgreSQL longer to plan, than to run. Their
shape depends on a few settings only, so each shape is compiled once, with a placeholder
where the one varying value goes; on PostgreSQL it is also prepared once per connection,
with every other value written into the SQL, so the generic plan it keeps is the plan for
those very values.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

import psycopg
from django.conf import settings
from django.db import connection as default_connection
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_NEVER = 2**62
_compiled: dict[tuple, tuple[str, list, object]] = {}
_models: dict[tuple, type] = {}


def run_prepared(
    shape: tuple,
    build: Callable[[object], QuerySet],
    placeholder,
    value=None,
    *,
    texts: frozenset[str] = frozenset(),
) -> dict | None:
    """Run the query of ``shape`` for ``value``, and return its first row by column name.

    ``build(placeholder)`` makes the query the first time a shape is seen; ``placeholder``
    must be a value no real ``value`` takes, of the type the query expects there. Columns
    named in ``texts`` are returned as they are (others read as timestamps where they can).
    """
    model = _models.get(shape)
    if model is None:
        model = _models[shape] = build(placeholder).model
    # The database the rest of the request reads (the router's choice: a replica for public
    # reads), so what the marks say and what is rendered under them agree.
    connection = connections[router.db_for_read(model)]
    key = (connection.vendor, *shape)
    if key not in _compiled:
        sql, params = build(placeholder).query.sql_with_params()
        if connection.vendor == "postgresql":
            sql, params = _inline_constants(connection, sql, params, placeholder)
        _compiled[key] = (sql, list(params), placeholder)
    sql, params, placeholder = _compiled[key]
    params = [value if _is_placeholder(p, placeholder) else p for p in params]
    with _preparing_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    if row is None:
        return None
    return {name: v if name in texts else _db_value(v) for name, v in zip(names, row, strict=True)}


def _inline_constants(connection, sql: str, params, placeholder) -> tuple[str, list]:
    """Write every parameter but the placeholder into the SQL as a literal."""
    parts, kept, values = re.split(r"(%%|%s)", sql), [], iter(params)
    for index, part in enumerate(parts):
        if part != "%s":
            continue
        param = next(values)
        if _is_placeholder(param, placeholder):
            kept.append(param)
        else:
            parts[index] = connection.ops.compose_sql("%s", [param]).replace("%", "%%")
    return "".join(parts), kept


class _PreparingCursor(psycopg.Cursor):
    """Prepares its statement on the server once per connection (Django turns preparing off
    for connection poolers' sake; a statement run on every request is worth it).
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        super().execute(query, params, prepare=True, binary=binary)
        if self._query is None:
            # A prepared run leaves no query text behind, and Django's query log (query
            # counts in tests, the benchmark's plans) reads the text from here.
            self._query = _QueryText(query, params)
        return self


@dataclass(frozen=True)
class _QueryText:
    sql: str
    params: list

    @property
    def query(self) -> bytes:  # composed only when something logs it
        return default_connection.ops.compose_sql(self.sql, self.params).encode()


def _preparing_cursor(connection):
    """A preparing cursor on PostgreSQL, wrapped (and logged) like any other Django cursor."""
    if connection.vendor != "postgresql" or getattr(settings, "CLAIMDESK_PGBOUNCER", False):
        # Behind pgbouncer in transaction pooling (Debian's 1.18 has no
        # max_prepared_statements) a statement prepared on one server connection is missing
        # on the next: the same SQL runs as a plain query there.
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # None turns every prepare off, even an explicit one. A threshold no statement
        # reaches keeps Django's other queries unprepared and lets this cursor prepare.
        connection.connection.prepare_threshold = _NEVER
    raw = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _is_placeholder(param, placeholder) -> bool:
    return type(param) is type(placeholder) and param == placeholder


def _db_value(value):
    # SQLite hands back computed timestamps as text; PostgreSQL as aware datetimes.
    if isinstance(value, str) and (parsed := parse_datetime(value)) is not None:
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
    return value
