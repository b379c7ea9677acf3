"""Migration audit 0002 seals what was stored before the ledger, in creation order."""

from __future__ import annotations

import importlib

from django.apps import apps

from audit import canonical
from audit.models import LedgerEntry
from calculations import services
from calculations.models import Run
from calculations.sealing import run_record

migration = importlib.import_module("audit.migrations.0002_seal_existing_runs_and_versions")


def _ledger():
    return list(LedgerEntry.objects.values_list("position", "kind", "object_id", "content_sha256", "seal"))


def _format_1_ledger():
    """The ledger the runs and versions would have got in record format 1 (runs before the counts hash was sealed)."""
    previous, ledger = canonical.GENESIS_SEAL, []
    for position, kind, object_id, content, _ in _ledger():
        if kind == canonical.RUN:
            run = Run.objects.get(pk=object_id)
            content = canonical.content_sha256(
                run_record(run, services.stored_cells(run), run.profile_results.all(), 1))
        previous = canonical.seal(previous, content)
        ledger.append((position, kind, object_id, content, previous))
    return ledger


def test_existing_runs_and_versions_get_the_seals_they_would_have_got_when_saved(sealed_runs, ledger_verdict):
    sealed_before_the_counts_hash = _format_1_ledger()
    LedgerEntry.objects.all().delete()
    migration.seal_existing(apps, None)
    assert _ledger() == sealed_before_the_counts_hash
    assert ledger_verdict() == (0, "")


def test_a_ledger_already_there_is_left_as_it_is(sealed_runs):
    before = _ledger()
    migration.seal_existing(apps, None)
    assert _ledger() == before


def test_runs_read_through_the_models_the_migration_runs_with_get_the_seals_they_got_when_saved(make_run,
                                                                                                ledger_verdict):
    """At audit 0002 the historical Run has no `uncertainty` (calculations 0004 comes later): runs saved before
    the Monte Carlo are sealed as today's code seals them."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(connection).project_state(("audit", "0002_seal_existing_runs_and_versions"),
                                                       at_end=False)
    historical = state.apps
    assert "uncertainty" not in {f.name for f in historical.get_model("calculations", "Run")._meta.fields}
    make_run(days=3, monte_carlo=False)
    make_run(days=2, region="germany", monte_carlo=False)
    sealed_before_the_counts_hash = _format_1_ledger()
    LedgerEntry.objects.all().delete()
    migration.seal_existing(historical, None)
    assert _ledger() == sealed_before_the_counts_hash
    assert ledger_verdict() == (0, "")
