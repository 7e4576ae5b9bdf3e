"""Revisions are append-only in the database itself, and PostgreSQL gets its search indexes."""

from django.db import migrations

from claims.models import triggers as db_triggers

PG_SEARCH = [
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

PG_SEARCH_BACKWARD = [
    "DROP INDEX IF EXISTS source_name_trgm_idx;",
    "DROP INDEX IF EXISTS claim_text_trgm_idx;",
    "DROP INDEX IF EXISTS claim_search_fts_idx;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    db_triggers.install(schema_editor.connection)
    if vendor == "postgresql":
        for statement in PG_SEARCH:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_SEARCH_BACKWARD:
            schema_editor.execute(statement, params=None)
    db_triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
