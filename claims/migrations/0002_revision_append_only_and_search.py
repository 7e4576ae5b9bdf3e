"""Revisions are append-only in the database itself, and PostgreSQL gets its search indexes."""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION claims_revision_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'claims_revision is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_revision_no_update BEFORE UPDATE ON claims_revision
    FOR EACH ROW EXECUTE FUNCTION claims_revision_append_only();
    """,
    """
    CREATE TRIGGER claims_revision_no_delete BEFORE DELETE ON claims_revision
    FOR EACH ROW EXECUTE FUNCTION claims_revision_append_only();
    """,
    """
    CREATE TRIGGER claims_revision_no_truncate BEFORE TRUNCATE ON claims_revision
    FOR EACH STATEMENT EXECUTE FUNCTION claims_revision_append_only();
    """,
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    # The expression matches what SearchVector("search_document", config="english") emits,
    # so full-text queries use this index.
    """
    CREATE INDEX claim_search_fts_idx ON claims_claim
    USING gin (to_tsvector('english'::regconfig, COALESCE(search_document, '')));
    """,
    "CREATE INDEX claim_text_trgm_idx ON claims_claim USING gin (text gin_trgm_ops);",
    "CREATE INDEX source_name_trgm_idx ON sources_source USING gin (name gin_trgm_ops);",
]

PG_BACKWARD = [
    "DROP INDEX IF EXISTS source_name_trgm_idx;",
    "DROP INDEX IF EXISTS claim_text_trgm_idx;",
    "DROP INDEX IF EXISTS claim_search_fts_idx;",
    "DROP TRIGGER IF EXISTS claims_revision_no_truncate ON claims_revision;",
    "DROP TRIGGER IF EXISTS claims_revision_no_delete ON claims_revision;",
    "DROP TRIGGER IF EXISTS claims_revision_no_update ON claims_revision;",
    "DROP FUNCTION IF EXISTS claims_revision_append_only();",
]

SQLITE_FORWARD = [
    """
    CREATE TRIGGER claims_revision_no_update BEFORE UPDATE ON claims_revision
    BEGIN SELECT RAISE(ABORT, 'claims_revision is append-only: UPDATE is not allowed'); END;
    """,
    """
    CREATE TRIGGER claims_revision_no_delete BEFORE DELETE ON claims_revision
    BEGIN SELECT RAISE(ABORT, 'claims_revision is append-only: DELETE is not allowed'); END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_revision_no_delete;",
    "DROP TRIGGER IF EXISTS claims_revision_no_update;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
