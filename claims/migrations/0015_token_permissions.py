from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_tokens(apps, schema_editor):
    """Moderators manage API tokens: create the token permissions, refresh the roles' groups."""
    from claims.access import ensure_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_integrations")]

    operations = [migrations.RunPython(grant_tokens, migrations.RunPython.noop)]
