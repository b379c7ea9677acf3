"""Every run has a project (0007 filed the existing ones under the default project): the column is required.
Its own migration, so that PostgreSQL alters the table outside the transaction that updated its rows."""

import django.db.models.deletion
from django.db import migrations, models

import calculations.models


class Migration(migrations.Migration):

    dependencies = [
        ("calculations", "0009_projects"),
    ]

    operations = [
        migrations.AlterField(
            model_name="run",
            name="project",
            field=models.ForeignKey(default=calculations.models.default_project_id,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="runs",
                                    to="calculations.project"),
        ),
    ]
