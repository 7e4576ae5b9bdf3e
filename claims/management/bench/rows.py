"""The benchmark's rows, made inside PostgreSQL by INSERT … SELECT over generate_series:
stories, sources, claims and their revisions, attributions, evidence and status counts."""

from claims.management.bench.vocabulary import (
    QUANTITY_SUBJECTS,
    RARE_EVERY,
    SOURCES,
    STATUSES,
    STORIES,
    SUBJECTS,
    TOPICS,
    VERBS,
)

BENCH_PREFIX = "bench-"
TABLES = ["claims_claim", "claims_revision", "claims_attribution", "claims_evidence"]


def sql_array(values: list[str]) -> str:
    quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]"


def reset(cursor) -> None:
    cursor.execute(
        "TRUNCATE claims_webhookdelivery, claims_outboxevent, claims_revision, claims_note, "
        "claims_evidence, claims_attribution, claims_watch, claims_ingestcandidate, "
        "claims_ingestjob, claims_claim, claims_statuscount, claims_story, sources_source "
        "RESTART IDENTITY CASCADE"
    )


def sources_and_stories(cursor) -> None:
    cursor.execute(
        f"""
        INSERT INTO sources_source (name, kind, description, homepage, created_at)
        SELECT 'Source ' || i || ' ' || ({sql_array(SUBJECTS)})[1 + i % {len(SUBJECTS)}],
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


def claims(cursor, first: int, last: int, versions: int, users: dict) -> None:
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
            ({sql_array(SUBJECTS)})[1 + i % {len(SUBJECTS)}] || ' '
              || ({sql_array(VERBS)})[1 + (i / 3) % {len(VERBS)}] || ' '
              || ({sql_array(TOPICS)})[1 + i % {len(TOPICS)}]
              || CASE WHEN i % {RARE_EVERY} = 0
                      THEN ', naming commander Shahlai' ELSE '' END
              || ' (report ' || i || ').' AS text,
            ({sql_array(STATUSES)})[1 + (i * 13) % {len(STATUSES)}] AS status) t
        CROSS JOIN LATERAL (SELECT CASE WHEN i % 4 = 0
            THEN ({sql_array(QUANTITY_SUBJECTS)})[1 + i % {len(QUANTITY_SUBJECTS)}]
            ELSE '' END AS subject) q
        """
    )


def revisions(cursor, versions: int, users: dict) -> None:
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


def attributions(cursor) -> None:
    cursor.execute(
        f"""
        INSERT INTO claims_attribution (claim_id, source_id, url, outlet, said_at, quote,
                                        added_by_id, created_at)
        SELECT c.id, 1 + c.id % {SOURCES}, '', 'Wire report', c.created_at, '', NULL,
               c.created_at
        FROM claims_claim c
        """
    )


def evidence(cursor) -> None:
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


def status_counts(cursor) -> None:
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


def sequences(cursor) -> None:
    for table in ["sources_source", "claims_story", *TABLES, "claims_statuscount"]:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
