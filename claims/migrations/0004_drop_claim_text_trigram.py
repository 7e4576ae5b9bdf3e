"""Near-duplicate suggestions compare claims within one story, found through the story's
index, so a trigram index over every claim's text costs more to maintain than it saves."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_text_trgm_idx;", params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX claim_text_trgm_idx ON claims_claim USING gin (text gin_trgm_ops);",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_roles")]

    operations = [migrations.RunPython(forward, backward)]
