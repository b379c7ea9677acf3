"""Runs keep the SHA-256 of what they counted (issue 15.5): a column, filled for existing runs from their
stored daily counts by the same function as at save time (calculations/engine/counts_hash.py)."""

from django.db import migrations, models

from calculations.engine.counts_hash import counts_sha256


def fill_counts_sha256(apps, schema_editor):
    Run = apps.get_model("calculations", "Run")
    DailyResult = apps.get_model("calculations", "DailyResult")
    for run in Run.objects.only("pk").iterator():
        rows = sorted(DailyResult.objects.filter(run_id=run.pk).values_list(
            "day", "profile", "inferences", "explicit_input_tokens", "explicit_output_tokens"))
        columns = tuple(map(list, zip(*rows))) if rows else ([], [], [], [], [])
        Run.objects.filter(pk=run.pk).update(counts_sha256=counts_sha256(*columns))


class Migration(migrations.Migration):
    dependencies = [
        ("calculations", "0004_run_uncertainty"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="counts_sha256",
            field=models.CharField(
                db_index=True, default="", max_length=64,
                help_text="SHA-256 of the stored daily counts in canonical form (engine/counts_hash.py): the same "
                          "for the same usage sent as YAML or CSV, unlike input_sha256."),
            preserve_default=False,
        ),
        migrations.RunPython(fill_counts_sha256, migrations.RunPython.noop),
    ]
