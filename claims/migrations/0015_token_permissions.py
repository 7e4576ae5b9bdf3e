from django.db import migrations

from claims.access import install_roles


def grant_tokens(apps, schema_editor):
    """Moderators manage API tokens: create the token permissions, refresh the roles' groups."""
    install_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_integrations")]

    operations = [migrations.RunPython(grant_tokens, migrations.RunPython.noop)]
