"""The benchmark's rows, made inside PostgreSQL by INSERT … SELECT over generate_series:
stories with a figure each, sources, claims (one in a hundred a report of its story's figure) and
their revisions, attributions, evidence and status counts."""

from claims.lib.extraction import subject_key
from claims.management.bench.vocabulary import (
    FIGURE_SUBJECTS,
    RARE_EVERY,
    REPORT_EVERY,
    SOURCES,
    STATUSES,
    STORIES,
    SUBJECTS,
    TOPICS,
    VERBS,
)

BENCH_PREFIX = "bench-"
TABLES = ["claims_claim", "claims_revision", "claims_attribution", "claims_evidence"]
FIGURE_TABLES = ["claims_figure", "claims_figurerevision"]


def sql_array(values: list[str]) -> str:
    quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]"


def reset(cursor) -> None:
    cursor.execute(
        "TRUNCATE claims_webhookdelivery, claims_outboxevent, claims_revision, claims_note, "
        "claims_evidence, claims_attribution, claims_watch, claims_ingestcandidate, "
        "claims_ingestjob, claims_claim, claims_figurerevision, claims_figure, "
        "claims_statuscount, claims_story, sources_source "
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
        INSERT INTO claims_story
            (title, slug, description, is_public, time_zone, version, created_at, updated_at)
        SELECT 'Breaking story number ' || i, '{BENCH_PREFIX}' || i, '', true, 'UTC', 1,
            now(), now()
        FROM generate_series(1, {STORIES}) AS i
        """
    )


def figures(cursor, users: dict) -> None:
    """One figure per story, with the same id as its story, and its first revision."""
    named = [
        (i, subject, subject_key(subject))
        for i in range(1, STORIES + 1)
        for subject in [f"{FIGURE_SUBJECTS[i % len(FIGURE_SUBJECTS)]} in story {i}"]
    ]
    cursor.execute(
        f"""
        INSERT INTO claims_figure (id, story_id, subject, subject_key, kind, unit,
                                   merged_into_id, version, created_by_id, created_at,
                                   changed_at)
        SELECT n.id, n.id, n.subject, n.subject_key, 'count', 'people', NULL, 1,
               {users["editor"]}, now(), now()
        FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS n(id, subject, subject_key)
        """,
        [list(column) for column in zip(*named, strict=True)],
    )
    cursor.execute(
        f"""
        INSERT INTO claims_figurerevision (figure_id, number, kind, actor_id, created_at,
                                           before, after, note)
        SELECT f.id, 1, 'created', {users["editor"]}, f.created_at, '{{}}'::jsonb,
               jsonb_build_object('subject', f.subject, 'kind', f.kind, 'unit', f.unit), ''
        FROM claims_figure f
        """
    )


def claims(cursor, first: int, last: int, versions: int, users: dict) -> None:
    cursor.execute(
        f"""
        INSERT INTO claims_claim (
            id, story_id, text, figure_id, value, value_high, approximation, status, rationale,
            assignee_id, created_by_id, version, superseded_by_id, is_hidden, evidence_count,
            search_document, search_vector, created_at, changed_at, status_changed_at)
        SELECT i, s.story,
               t.text,
               CASE WHEN r.report THEN s.story END,
               CASE WHEN r.report THEN r.value END,
               NULL,
               CASE WHEN r.report THEN 'exact' ELSE '' END,
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
        CROSS JOIN LATERAL (SELECT 1 + (i * 7) % {STORIES} AS story) s
        -- A figure's reports mostly agree; one in ten gives another value.
        CROSS JOIN LATERAL (SELECT i % {REPORT_EVERY} = 0 AS report,
            10 + (s.story * 3) % 300 + CASE WHEN i % {10 * REPORT_EVERY} = 0 THEN 1 ELSE 0 END
            AS value) r
        CROSS JOIN LATERAL (SELECT
            ({sql_array(SUBJECTS)})[1 + i % {len(SUBJECTS)}] || ' '
              || ({sql_array(VERBS)})[1 + (i / 3) % {len(VERBS)}] || ' '
              || ({sql_array(TOPICS)})[1 + i % {len(TOPICS)}]
              || CASE WHEN i % {RARE_EVERY} = 0
                      THEN ', naming commander Shahlai' ELSE '' END
              || CASE WHEN r.report THEN ': ' || r.value || ' people' ELSE '' END
              || ' (report ' || i || ').' AS text,
            ({sql_array(STATUSES)})[1 + (i * 13) % {len(STATUSES)}] AS status) t
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
               CASE WHEN n = 1 AND c.figure_id IS NOT NULL
                    THEN jsonb_build_object('text', c.text, 'figure', c.figure_id,
                                            'value', c.value::bigint, 'approximation',
                                            c.approximation, 'value_high', NULL)
                    WHEN n = 1 THEN jsonb_build_object('text', c.text)
                    WHEN n = {versions} AND c.status <> 'unverified'
                    THEN jsonb_build_object('status', c.status, 'rationale', c.rationale)
                    WHEN n % 2 = 0 THEN jsonb_build_object('source', 'Wire report')
                    ELSE jsonb_build_object('text', c.text) END,
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
    for table in ["sources_source", "claims_story", *FIGURE_TABLES, *TABLES,
                  "claims_statuscount"]:  # fmt: skip
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 1))"
        )
