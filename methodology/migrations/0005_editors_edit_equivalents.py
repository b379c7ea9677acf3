"""Methodology editors also edit the equivalents of a draft."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Methodology editors"
CODENAMES = [f"{action}_equivalent" for action in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="methodology", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("methodology", "0004_equivalents")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
