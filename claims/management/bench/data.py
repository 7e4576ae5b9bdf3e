"""Benchmark data: a million realistic claims generated inside PostgreSQL.

Rows are made by INSERT … SELECT over generate_series, so no row crosses the wire; the
secondary indexes are dropped for the load and rebuilt afterwards with parallel workers,
which is several times faster than maintaining them row by row.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction

from claims.management.bench import rows
from claims.management.bench.rows import BENCH_PREFIX, TABLES


@dataclass
class GenerationReport:
    claims: int
    revisions: int
    seconds: float
    reused: bool


def existing_size(claims: int, versions: int) -> tuple[int, int]:
    """(claims, revisions) generated earlier for this size, or (0, 0).

    Rows the benchmark itself adds later (its rulings, its long claim) don't count, so a
    second run reuses the data.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_story WHERE slug LIKE %s", [BENCH_PREFIX + "%"])
        if cursor.fetchone()[0] == 0:
            return 0, 0
        cursor.execute("SELECT count(*) FROM claims_claim WHERE id <= %s", [claims])
        generated = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM claims_revision WHERE claim_id <= %s AND number <= %s",
            [claims, versions],
        )
        return generated, cursor.fetchone()[0]


def _exactly(claims: int) -> bool:
    """No generated claim beyond the requested size (a larger earlier run is regenerated)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM claims_claim c JOIN claims_story s "
            "ON s.id = c.story_id WHERE c.id > %s AND s.slug LIKE %s "
            "AND c.text NOT LIKE 'Benchmark claim%%')",
            [claims, BENCH_PREFIX + "%"],
        )
        return cursor.fetchone()[0]


def foreign_data_present() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM claims_story WHERE slug NOT LIKE %s", [BENCH_PREFIX + "%"]
        )
        return cursor.fetchone()[0] > 0


def generate(
    *, claims: int, revisions_per_claim: int, users: dict, log=print, force: bool = False
) -> GenerationReport:
    have = existing_size(claims, revisions_per_claim)
    if not force and have == (claims, claims * revisions_per_claim) and _exactly(claims):
        return GenerationReport(claims, have[1], 0.0, reused=True)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_session(cursor)
        rows.reset(cursor)
        indexes = _drop_secondary_indexes(cursor)
        _step(log, "sources and stories", lambda: rows.sources_and_stories(cursor))
        _step(log, "figures", lambda: rows.figures(cursor, users))
    # Parsing every claim's text into its search vector is the costliest part of a claim
    # row: the two halves are made on two connections, one per core.
    half = claims // 2
    started_claims = time.perf_counter()
    _in_parallel(
        lambda cursor: rows.claims(cursor, half + 1, claims, revisions_per_claim, users),
        lambda cursor: rows.claims(cursor, 1, half, revisions_per_claim, users),
    )
    log(f"  claims: {time.perf_counter() - started_claims:.1f} s")
    # Everything else needs only the claims: two tracks of about equal work, one per core.
    # The claims' indexes and the evidence on one; the revisions and attributions on the other.
    on = {table: [sql for sql in indexes if f" ON public.{table} " in sql] for table in TABLES}
    _in_parallel(
        lambda cursor: _claims_track(cursor, on["claims_claim"], on["claims_evidence"], log),
        lambda cursor: _revisions_track(cursor, revisions_per_claim, users, log),
    )
    # Then the revisions' and attributions' indexes, the widest revision index on a track of
    # its own. The unique index is built beside the others (a constraint would lock the table
    # against them) and becomes the constraint once both tracks are done.
    on_revisions = sorted(on["claims_revision"], key=_index_width, reverse=True)
    _in_parallel(
        lambda cursor: _indexes(cursor, on_revisions[:1] + on["claims_attribution"], log),
        lambda cursor: _indexes(cursor, [REVISION_UNIQUE_INDEX, *on_revisions[1:]], log),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE claims_revision ADD CONSTRAINT {REVISION_UNIQUE} "
            f"UNIQUE USING INDEX {REVISION_UNIQUE}"
        )
        rows.sequences(cursor)
        _step(log, "analyze", lambda: cursor.execute("ANALYZE"))
    seconds = time.perf_counter() - started
    return GenerationReport(claims, claims * revisions_per_claim, seconds, reused=False)


def _in_parallel(first, second) -> None:
    """Run ``first`` on a connection of its own and ``second`` on this one, each in its own
    transaction; both have committed when this returns, or the first failure is raised."""
    failures: list[BaseException] = []

    def run_first() -> None:
        try:
            _in_own_connection(first)
        except BaseException as error:  # handed to the caller's thread below
            failures.append(error)

    track = threading.Thread(target=run_first)
    track.start()
    try:
        _in_transaction(second)
    finally:
        track.join()
    if failures:
        raise failures[0]


def _claims_track(cursor, claim_indexes: list[str], evidence_indexes: list[str], log) -> None:
    _indexes(cursor, sorted(claim_indexes, key=lambda sql: "USING gin" not in sql), log)
    _step(log, "evidence", lambda: rows.evidence(cursor))
    _indexes(cursor, evidence_indexes, log)
    _step(log, "status counts", lambda: rows.status_counts(cursor))


def _revisions_track(cursor, versions: int, users: dict, log) -> None:
    cursor.execute(f"ALTER TABLE claims_revision DROP CONSTRAINT IF EXISTS {REVISION_UNIQUE}")
    _step(log, "revisions", lambda: rows.revisions(cursor, versions, users))
    _step(log, "attributions", lambda: rows.attributions(cursor))


def _indexes(cursor, statements: list[str], log) -> None:
    for sql in statements:
        _step(log, _index_name(sql), lambda sql=sql: cursor.execute(sql))


def _index_width(sql: str) -> int:
    """How many columns an index covers, from its definition: a rough measure of its cost."""
    return sql.split("(", 1)[-1].count(",") + 1


def _in_transaction(work) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_session(cursor)
        work(cursor)


def _in_own_connection(work) -> None:
    try:
        _in_transaction(work)
    finally:
        connection.close()


REVISION_UNIQUE = "revision_number_unique"
REVISION_UNIQUE_INDEX = (
    f"CREATE UNIQUE INDEX {REVISION_UNIQUE} ON public.claims_revision USING btree "
    "(claim_id, number)"
)


def _index_name(sql: str) -> str:
    return "index " + sql.split(" ON ")[0].split()[-1]


def _tune_session(cursor) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 1")
    cursor.execute("SET LOCAL synchronous_commit = off")
    # The generator's rows are consistent by construction: skip the per-row foreign-key
    # triggers (a superuser's privilege; other roles check the keys at commit instead).
    _skip_row_triggers(cursor)


def _skip_row_triggers(cursor) -> None:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _step(log, name: str, action) -> None:
    started = time.perf_counter()
    action()
    log(f"  {name}: {time.perf_counter() - started:.1f} s")


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the indexes that no constraint owns and return the statements that rebuild them."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [TABLES],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]
