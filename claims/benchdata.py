"""Benchmark data: a million realistic claims generated inside PostgreSQL.

Rows are made by INSERT … SELECT over generate_series, so no row crosses the wire; the
secondary indexes are dropped for the load and rebuilt afterwards with parallel workers,
which is several times faster than maintaining them row by row.
"""

import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction

BENCH_PREFIX = "bench-"
STORIES = 200
SOURCES = 2000
RARE_EVERY = 10007  # one claim in ~10,000 names the rare commander: a selective search

TABLES = ["claims_claim", "claims_revision", "claims_attribution", "claims_evidence"]

SUBJECTS = [
    "The defence ministry",
    "A senior official",
    "The airline",
    "Local police",
    "The foreign minister",
    "Two anonymous officials",
    "The prime minister's office",
    "Investigators",
    "The state news agency",
    "A regional governor",
    "The embassy",
    "Civil aviation authorities",
    "Eyewitnesses",
    "The army spokesman",
    "Hospital staff",
    "The interior ministry",
    "A coalition spokesperson",
]
VERBS = [
    "said",
    "confirmed",
    "denied",
    "told reporters",
    "claimed",
    "stated",
    "reported",
    "announced",
    "insisted",
    "suggested",
]
# Every third claim is about a missile: the "common word" search.
TOPICS = [
    "that a surface-to-air missile struck the aircraft after take-off",
    "that the flight recorders will be sent abroad for analysis",
    "that rescue teams reached the crash site before dawn",
    "that the airport stayed open throughout the night",
    "that a second missile battery was moved near the capital",
    "that the death toll has been revised after a recount",
    "that protesters gathered outside the parliament building",
    "that the investigation will include foreign experts",
    "that the missile defence system was on high alert",
]
QUANTITY_SUBJECTS = ["victims", "passengers", "injured people", "missiles fired", "troops"]
STATUSES = [
    "unverified",
    "unverified",
    "unverified",
    "unverified",
    "in_review",
    "in_review",
    "in_review",
    "confirmed",
    "confirmed",
    "confirmed",
    "false",
    "false",
    "misleading",
    "unproven",
    "unproven",
    "disputed",
    "unverified",
    "in_review",
    "confirmed",
    "unverified",
]


@dataclass
class GenerationReport:
    claims: int
    revisions: int
    seconds: float
    reused: bool


def _sql_array(values: list[str]) -> str:
    quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]"


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
        _reset(cursor)
        indexes = _drop_secondary_indexes(cursor)
        _step(log, "sources and stories", lambda: _sources_and_stories(cursor))
    # Parsing every claim's text into its search vector is the costliest part of a claim
    # row: the two halves are made on two connections, one per core.
    half = claims // 2
    started_claims = time.perf_counter()
    _in_parallel(
        lambda cursor: _claims(cursor, half + 1, claims, revisions_per_claim, users),
        lambda cursor: _claims(cursor, 1, half, revisions_per_claim, users),
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
        _sequences(cursor)
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
    _step(log, "evidence", lambda: _evidence(cursor))
    _indexes(cursor, evidence_indexes, log)
    _step(log, "status counts", lambda: _status_counts(cursor))


def _revisions_track(cursor, versions: int, users: dict, log) -> None:
    cursor.execute(f"ALTER TABLE claims_revision DROP CONSTRAINT IF EXISTS {REVISION_UNIQUE}")
    _step(log, "revisions", lambda: _revisions(cursor, versions, users))
    _step(log, "attributions", lambda: _attributions(cursor))


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


def _reset(cursor) -> None:
    cursor.execute(
        "TRUNCATE claims_webhookdelivery, claims_outboxevent, claims_revision, claims_note, "
        "claims_evidence, claims_attribution, claims_watch, claims_ingestcandidate, "
        "claims_ingestjob, claims_claim, claims_statuscount, claims_story, sources_source "
        "RESTART IDENTITY CASCADE"
    )


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


def _sources_and_stories(cursor) -> None:
    cursor.execute(
        f"""
        INSERT INTO sources_source (name, kind, description, homepage, created_at)
        SELECT 'Source ' || i || ' ' || ({_sql_array(SUBJECTS)})[1 + i % {len(SUBJECTS)}],
               (ARRAY['person','government','agency','outlet','anonymous'])[1 + i % 5],
               '', '', now()
        FROM generate_series(1, {SOURCES}) AS i
        """
    )
    cursor.execute(
        f"""
        INSERT INTO claims_story (title, slug, description, is_public, created_at, updated_at)
        SELECT 'Breaking story number ' || i, '{BENCH_PREFIX}' || i, '', true, now(), now()
        FROM generate_series(1, {STORIES}) AS i
        """
    )


def _claims(cursor, first: int, last: int, versions: int, users: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO claims_claim (
            id, story_id, text, quantity_subject, quantity_value, quantity_unit, status, rationale,
            assignee_id, created_by_id, version, superseded_by_id, is_hidden, evidence_count,
            search_document, search_vector, created_at, changed_at, status_changed_at)
        SELECT i, 1 + (i * 7) % {STORIES},
               t.text, q.subject,
               CASE WHEN i % 4 = 0 THEN 10 + i % 300 END,
               CASE WHEN i % 4 = 0 THEN 'people' ELSE '' END,
               t.status,
               CASE WHEN t.status IN ('confirmed','false','misleading','unproven','disputed')
                    THEN 'Checked against the published record.' ELSE '' END,
               CASE WHEN i % 5 = 0 THEN {users["editor"]} END,
               {users["reporter"]}, {versions}, NULL, i % 997 = 0, i % 3,
               t.text || ' Source ' || (1 + i % {SOURCES}),
               to_tsvector('english'::regconfig, t.text || ' Source ' || (1 + i % {SOURCES})),
               ts, ts, ts
        FROM generate_series({first}, {last}) AS i
        CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01' + i * interval '20 seconds' AS ts) d
        CROSS JOIN LATERAL (SELECT
            ({_sql_array(SUBJECTS)})[1 + i % {len(SUBJECTS)}] || ' '
              || ({_sql_array(VERBS)})[1 + (i / 3) % {len(VERBS)}] || ' '
              || ({_sql_array(TOPICS)})[1 + i % {len(TOPICS)}]
              || CASE WHEN i % {RARE_EVERY} = 0
                      THEN ', naming commander Shahlai' ELSE '' END
              || ' (report ' || i || ').' AS text,
            ({_sql_array(STATUSES)})[1 + (i * 13) % {len(STATUSES)}] AS status) t
        CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0
            THEN ({_sql_array(QUANTITY_SUBJECTS)})[1 + i % {len(QUANTITY_SUBJECTS)}]
            ELSE '' END AS subject) q
        """
    )


def _revisions(cursor, versions: int, users: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO claims_revision (claim_id, number, kind, actor_id, created_at, before,
                                     after, note)
        SELECT c.id, n,
               CASE WHEN n = 1 THEN 'created'
                    WHEN n = {versions} AND c.status <> 'unverified' THEN 'status'
                    WHEN n % 2 = 0 THEN 'attribution' ELSE 'edited' END,
               CASE WHEN n = {versions} THEN {users["editor"]} ELSE {users["reporter"]} END,
               c.changed_at - ({versions} - n) * interval '1 second',
               CASE WHEN n = {versions} AND c.status <> 'unverified'
                    THEN jsonb_build_object('status', 'in_review', 'rationale', '')
                    ELSE '{{}}'::jsonb END,
               CASE WHEN n = 1 THEN jsonb_build_object('text', c.text)
                    WHEN n = {versions} AND c.status <> 'unverified'
                    THEN jsonb_build_object('status', c.status, 'rationale', c.rationale)
                    WHEN n % 2 = 0 THEN jsonb_build_object('source', 'Wire report')
                    ELSE jsonb_build_object('quantity_value', n) END,
               ''
        FROM claims_claim c CROSS JOIN generate_series(1, {versions}) AS n
        """
    )


def _attributions(cursor) -> None:
    cursor.execute(
        f"""
        INSERT INTO claims_attribution (claim_id, source_id, url, outlet, said_at, quote,
                                        added_by_id, created_at)
        SELECT c.id, 1 + c.id % {SOURCES}, '', 'Wire report', c.created_at, '', NULL,
               c.created_at
        FROM claims_claim c
        """
    )


def _evidence(cursor) -> None:
    cursor.execute(
        """
        INSERT INTO claims_evidence (claim_id, stance, url, excerpt, source_id, added_by_id,
            created_at, capture_status, capture_error, capture_final_url, capture_http_status,
            capture_content_type, capture_sha256, capture_title, capture_text, captured_at)
        SELECT c.id, (ARRAY['supports','refutes','context'])[1 + (c.id + n) % 3],
               'https://news.example/report/' || c.id || '/' || n, 'Excerpt of the report.',
               NULL, NULL, c.created_at, 'skipped', '', '', NULL, '', '', '', '', NULL
        FROM claims_claim c CROSS JOIN LATERAL generate_series(1, c.evidence_count) AS n
        """
    )


def _status_counts(cursor) -> None:
    cursor.execute(
        """
        INSERT INTO claims_statuscount (story_id, status, count)
        SELECT s.id, st.status, coalesce(agg.n, 0)
        FROM claims_story s
        CROSS JOIN unnest(ARRAY['unverified','in_review','confirmed','false','misleading',
                                'unproven','disputed','superseded']) AS st(status)
        LEFT JOIN (SELECT story_id, status, count(*) AS n FROM claims_claim
                   WHERE NOT is_hidden GROUP BY story_id, status) agg
               ON agg.story_id = s.id AND agg.status = st.status
        """
    )


def _sequences(cursor) -> None:
    for table in ["sources_source", "claims_story", *TABLES, "claims_statuscount"]:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
