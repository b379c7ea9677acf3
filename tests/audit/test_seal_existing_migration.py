"""Migration audit 0002 seals what was stored before the ledger, in creation order."""

from __future__ import annotations

import importlib

from django.apps import apps

from audit.models import LedgerEntry

migration = importlib.import_module("audit.migrations.0002_seal_existing_runs_and_versions")


def _ledger():
    return list(LedgerEntry.objects.values_list("position", "kind", "object_id", "content_sha256", "seal"))


def test_existing_runs_and_versions_get_the_seals_they_would_have_got_when_saved(sealed_runs, ledger_verdict):
    sealed_when_saved = _ledger()
    LedgerEntry.objects.all().delete()
    migration.seal_existing(apps, None)
    assert _ledger() == sealed_when_saved
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
    sealed_when_saved = _ledger()
    LedgerEntry.objects.all().delete()
    migration.seal_existing(historical, None)
    assert _ledger() == sealed_when_saved
    assert ledger_verdict() == (0, "")
