"""The "Methodology editors" group: edit drafts and publish them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Methodology editors"
EDITOR_PERMISSIONS = [
    *(f"{action}_{model}" for model in ("methodologyversion", "region", "modelprofile", "usageprofile")
      for action in ("view", "add", "change", "delete")),
    "publish_methodologyversion",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.filter(content_type__app_label="methodology", codename__in=EDITOR_PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("methodology", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
