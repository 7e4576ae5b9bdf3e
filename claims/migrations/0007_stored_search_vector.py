"""Full-text search reads a stored tsvector, kept by a trigger, instead of an expression.

The expression index had to parse every document again whenever a query tested rows outside
the index; a stored vector makes "newest matches first" cheap for common words too.
"""

import django.contrib.postgres.search
from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector('english'::regconfig, COALESCE(NEW.search_document, ''));
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_claim_search_vector BEFORE INSERT OR UPDATE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector();
    """,
    "UPDATE claims_claim SET search_vector = "
    "to_tsvector('english'::regconfig, COALESCE(search_document, ''));",
    "DROP INDEX IF EXISTS claim_search_fts_idx;",
    "CREATE INDEX claim_search_vector_idx ON claims_claim USING gin (search_vector);",
]

PG_BACKWARD = [
    "DROP INDEX IF EXISTS claim_search_vector_idx;",
    "CREATE INDEX claim_search_fts_idx ON claims_claim "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(search_document, '')));",
    "DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim;",
    "DROP FUNCTION IF EXISTS claims_claim_search_vector();",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_background_notifications_ingest_flags")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD)),
    ]
