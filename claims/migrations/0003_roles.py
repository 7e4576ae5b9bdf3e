"""The desk's roles as Django groups, with the permissions claims.access gives them."""

from django.db import migrations

from claims.access import ROLE_PERMISSIONS, install_roles


def add_roles(apps, schema_editor):
    install_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_revision_append_only_and_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, remove_roles)]
