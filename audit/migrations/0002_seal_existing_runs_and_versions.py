"""Seal what was stored before the ledger existed: published methodology versions and runs, in the order
they were published or created (a version before a run of the same instant), as one chain."""

from django.db import migrations

from audit import canonical
from calculations.sealing import run_record
from calculations.services import stored_cells  # reads run.daily_results: works on historical models too
from methodology.sealing import version_record


def seal_existing(apps, schema_editor):
    LedgerEntry = apps.get_model("audit", "LedgerEntry")
    if LedgerEntry.objects.exists():
        return
    MethodologyVersion = apps.get_model("methodology", "MethodologyVersion")
    Run = apps.get_model("calculations", "Run")
    events = [(v.published_at, 0, v.pk) for v in MethodologyVersion.objects.filter(status="published")]
    events += [(created_at, 1, pk) for pk, created_at in Run.objects.values_list("pk", "created_at")]
    previous = canonical.GENESIS_SEAL
    for position, (_, kind, pk) in enumerate(sorted(events), start=1):
        if kind == 0:
            version = MethodologyVersion.objects.select_related("published_by").get(pk=pk)
            entry_kind, object_id, record = canonical.METHODOLOGY_VERSION, version.number, version_record(version)
        else:
            run = Run.objects.select_related("user", "methodology_version").get(pk=pk)
            entry_kind, object_id = canonical.RUN, run.pk
            # Record format 1, as this migration always wrote (runs stored before the ledger have neither a
            # counts hash nor cached input tokens); verify_ledger reads a run in the format its seal pins.
            record = run_record(run, stored_cells(run), run.profile_results.all(), 1)
        content = canonical.content_sha256(record)
        previous = canonical.seal(previous, content)
        LedgerEntry.objects.create(position=position, kind=entry_kind, object_id=object_id,
                                   content_sha256=content, seal=previous)


def unseal(apps, schema_editor):
    apps.get_model("audit", "LedgerEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("calculations", "0002_daily_result_run_has_no_index_or_constraint_of_its_own"),
        ("methodology", "0005_editors_edit_equivalents"),
    ]

    operations = [migrations.RunPython(seal_existing, unseal)]
