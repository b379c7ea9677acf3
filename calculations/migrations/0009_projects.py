"""Projects: a run belongs to one. Runs saved before go to the default project (code "default")."""

import django.db.models.deletion
from django.db import migrations, models

DEFAULT_PROJECT = "default"


def file_existing_runs_under_the_default_project(apps, schema_editor):
    Project = apps.get_model("calculations", "Project")
    Run = apps.get_model("calculations", "Run")
    default, _ = Project.objects.get_or_create(code=DEFAULT_PROJECT, defaults={"name": "Default project"})
    Run.objects.filter(project__isnull=True).update(project=default)


class Migration(migrations.Migration):

    dependencies = [
        ("calculations", "0008_run_market_based_carbon"),
    ]

    operations = [
        migrations.CreateModel(
            name="Project",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(help_text="Fixed once runs are filed under it: the ledger records it.",
                                          max_length=64, unique=True)),
                ("name", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["name", "code"]},
        ),
        migrations.AddField(
            model_name="run",
            name="project",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="runs",
                                    to="calculations.project"),
        ),
        migrations.RunPython(file_existing_runs_under_the_default_project, migrations.RunPython.noop),
    ]
