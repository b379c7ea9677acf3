"""The "Auditors" group: reads every run, methodology version and the ledger's checks; changes nothing.

The web pages and the API refuse every upload and re-evaluation to its members (audit.roles); in the
admin (for an auditor account that is also staff) these view permissions show the ledger's checks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Auditors"
AUDITOR_PERMISSIONS = {
    "calculations": ["view_run", "view_profileresult", "view_dailyresult"],
    "methodology": [f"view_{model}" for model in ("methodologyversion", "region", "modelprofile", "usageprofile",
                                                  "equivalent")],
    "audit": ["view_ledgerentry", "view_ledgercheck"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codenames in AUDITOR_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_seal_existing_runs_and_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
