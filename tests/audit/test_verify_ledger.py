"""verify_ledger: a database edited or pruned behind the app's back is caught, naming the run."""

from __future__ import annotations

import pytest
from django.db import connection

from audit import canonical
from audit.models import LedgerCheck, LedgerEntry
from calculations.models import DailyResult, ProfileResult, Run
from methodology.models import Region


def _raw(sql: str, params=()) -> None:
    """A write behind the app's back: plain SQL, no model, no service."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_runs_and_versions_saved_by_the_app_verify(sealed_runs, ledger_verdict):
    assert ledger_verdict() == (0, "")
    assert [(e.kind, e.object_id) for e in LedgerEntry.objects.all()] == [
        (canonical.METHODOLOGY_VERSION, 1), *((canonical.RUN, run.pk) for run in sealed_runs)]


def test_each_seal_chains_to_the_previous_one(sealed_runs):
    entries = list(LedgerEntry.objects.all())
    previous = canonical.GENESIS_SEAL
    for entry in entries:
        assert entry.seal == canonical.seal(previous, entry.content_sha256)
        previous = entry.seal


def test_a_reevaluation_is_sealed_too(sealed_runs, analyst, ledger_verdict):
    from calculations.services import reevaluate_run

    new = reevaluate_run(sealed_runs[0], user=analyst, region="germany")
    assert LedgerEntry.objects.filter(kind=canonical.RUN, object_id=new.pk).exists()
    assert ledger_verdict()[0] == 0


def test_an_edited_daily_count_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[1]
    cell = DailyResult.objects.filter(run=run).order_by("day", "profile").first()
    _raw(f"UPDATE {DailyResult._meta.db_table} SET inferences = inferences + 1 "
         "WHERE run_id = %s AND day = %s AND profile = %s", [run.pk, cell.day, cell.profile])
    status, text = ledger_verdict()
    assert status == 1
    assert f"run {run.pk}: altered" in text
    assert f"run {sealed_runs[0].pk}" not in text and f"run {sealed_runs[2].pk}" not in text


def test_an_edited_explicit_token_count_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[0]
    _raw(f"UPDATE {DailyResult._meta.db_table} SET explicit_input_tokens = 5 WHERE run_id = %s", [run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


def test_an_edited_total_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[2]
    _raw(f"UPDATE {Run._meta.db_table} SET carbon_gco2e_value = carbon_gco2e_value * 0.5 WHERE id = %s", [run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


def test_an_edited_profile_result_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[0]
    _raw(f"UPDATE {ProfileResult._meta.db_table} SET energy_kwh_high = 0 WHERE run_id = %s", [run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


def test_an_edited_daily_result_is_not_reproduced(sealed_runs, ledger_verdict):
    """Daily figures are not in the record: recomputing the stored counts catches them."""
    run = sealed_runs[1]
    _raw(f"UPDATE {DailyResult._meta.db_table} SET water_l_value = 0 WHERE run_id = %s", [run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: not reproduced" in text and "daily results" in text


def test_an_edited_creation_time_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[0]
    Run.objects.filter(pk=run.pk).update(created_at=sealed_runs[2].created_at)
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


def test_a_deleted_run_is_named(sealed_runs, ledger_verdict):
    run = sealed_runs[1]
    for model in (DailyResult, ProfileResult, Run):
        column = "id" if model is Run else "run_id"
        _raw(f"DELETE FROM {model._meta.db_table} WHERE {column} = %s", [run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: deleted" in text


def test_a_run_deleted_with_its_ledger_entry_breaks_the_chain(sealed_runs, ledger_verdict):
    run = sealed_runs[1]
    Run.objects.filter(pk=run.pk).delete()
    LedgerEntry.objects.filter(kind=canonical.RUN, object_id=run.pk).delete()
    status, text = ledger_verdict()
    assert status == 1 and "missing entries" in text and f"run {sealed_runs[2].pk}: chain broken" in text


def test_the_last_run_deleted_with_its_entry_after_a_check_is_a_truncation(sealed_runs, ledger_verdict):
    assert ledger_verdict()[0] == 0
    run = sealed_runs[-1]
    Run.objects.filter(pk=run.pk).delete()
    LedgerEntry.objects.filter(kind=canonical.RUN, object_id=run.pk).delete()
    status, text = ledger_verdict()
    position = LedgerCheck.objects.filter(intact=True).first().head_position
    assert status == 1 and f"ledger position {position}: truncated" in text


def test_a_run_inserted_by_raw_sql_is_named(sealed_runs, ledger_verdict):
    source = sealed_runs[0]
    columns = [f.column for f in Run._meta.concrete_fields if f.column != "id"]
    _raw(f"INSERT INTO {Run._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(columns)} "
         f"FROM {Run._meta.db_table} WHERE id = %s", [source.pk])
    inserted = Run.objects.order_by("-pk").values_list("pk", flat=True).first()
    status, text = ledger_verdict()
    assert status == 1 and f"run {inserted}: inserted" in text


def test_reordered_ledger_entries_break_the_chain(sealed_runs, ledger_verdict):
    first, second = (LedgerEntry.objects.get(kind=canonical.RUN, object_id=run.pk) for run in sealed_runs[:2])
    LedgerEntry.objects.filter(pk=first.pk).update(position=10_000)
    LedgerEntry.objects.filter(pk=second.pk).update(position=first.position)
    LedgerEntry.objects.filter(pk=first.pk).update(position=second.position)
    status, text = ledger_verdict()
    assert status == 1
    assert f"run {sealed_runs[1].pk}: chain broken" in text and f"run {sealed_runs[0].pk}: chain broken" in text


def test_a_published_version_edited_behind_the_app_s_back_is_named(sealed_runs, ledger_verdict):
    region = Region.objects.get(version__number=1, code="france")
    _raw(f"UPDATE {Region._meta.db_table} SET carbon_intensity_value = carbon_intensity_low WHERE id = %s", [region.pk])
    status, text = ledger_verdict()
    assert status == 1 and "methodology version 1: altered" in text


def test_each_check_is_recorded_with_its_verdict(sealed_runs, ledger_verdict):
    ledger_verdict()
    _raw(f"UPDATE {Run._meta.db_table} SET label = 'edited' WHERE id = %s", [sealed_runs[0].pk])
    ledger_verdict()
    failed, intact = LedgerCheck.objects.all()[:2]
    assert intact.intact and intact.entries == 4 and intact.problems == []
    assert not failed.intact and failed.problems[0]["subject"] == f"run {sealed_runs[0].pk}"


@pytest.mark.parametrize("tamper", ["seal", "content_sha256"])
def test_a_rewritten_ledger_entry_is_named(sealed_runs, ledger_verdict, tamper):
    run = sealed_runs[0]
    LedgerEntry.objects.filter(kind=canonical.RUN, object_id=run.pk).update(**{tamper: "0" * 64})
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}:" in text


def test_the_admin_index_shows_the_last_verdict(sealed_runs, ledger_verdict, admin_client):
    assert "Never verified" in admin_client.get("/admin/").content.decode()
    ledger_verdict()
    _raw(f"UPDATE {Run._meta.db_table} SET label = 'edited' WHERE id = %s", [sealed_runs[0].pk])
    ledger_verdict()
    page = admin_client.get("/admin/").content.decode()
    assert "NOT INTACT</strong>,\n    4 entries, 1 problem." in page


def _edited_percentile(run: Run, factor: float = 1.01) -> dict:
    uncertainty = run.uncertainty
    uncertainty["totals"]["carbon_gco2e"]["p95"] *= factor
    return uncertainty


def test_an_edited_percentile_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[1]
    Run.objects.filter(pk=run.pk).update(uncertainty=_edited_percentile(run))
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text
    assert f"run {run.pk}: not reproduced" in text and "uncertainty.totals.carbon_gco2e" in text
    assert f"run {sealed_runs[0].pk}" not in text and f"run {sealed_runs[2].pk}" not in text


def test_a_run_sealed_with_percentiles_its_monte_carlo_does_not_give_is_not_reproduced(make_run, ledger_verdict,
                                                                                       monkeypatch):
    from calculations import services
    from calculations.engine.uncertainty import Uncertainty, simulate

    def skewed(*args, **kwargs):
        stored = simulate(*args, **kwargs).as_dict()
        stored["profiles"]["chatbot"]["energy_kwh"]["p50"] *= 1.001
        return Uncertainty.from_dict(stored)

    monkeypatch.setattr(services, "simulate", skewed)
    run = make_run(days=2)
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" not in text
    assert f"run {run.pk}: not reproduced" in text and "changes uncertainty.profiles.chatbot)" in text


def test_a_run_saved_with_another_number_of_draws_is_recomputed_with_its_own(make_run, ledger_verdict, settings):
    settings.UNCERTAINTY_DRAWS = 500
    run = make_run(days=2)
    assert run.uncertainty["draws"] == 500
    assert ledger_verdict() == (0, "")


def test_a_run_saved_before_the_monte_carlo_verifies(make_run, ledger_verdict):
    make_run(days=2, monte_carlo=False)
    assert ledger_verdict() == (0, "")


def test_a_monte_carlo_added_to_a_run_saved_without_one_names_the_run(sealed_runs, make_run, ledger_verdict):
    run = make_run(days=3, monte_carlo=False)
    Run.objects.filter(pk=run.pk).update(uncertainty=sealed_runs[0].uncertainty)
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


# Doubles that a JSON column must give back exactly: PostgreSQL's jsonb keeps them as decimals.
AWKWARD_FLOATS = [0.1 + 0.2, 1e16, 1e-20, 5e-324, 1.7976931348623157e308, 123456789.12345679, 1.0]


def test_a_stored_monte_carlo_reads_back_with_the_bytes_it_was_sealed_with(sealed_runs):
    run = sealed_runs[0]
    stored = run.uncertainty
    stored["histogram"]["edges"] = AWKWARD_FLOATS
    stored["totals"]["energy_kwh"] = dict(zip(("p5", "p50", "p95", "mean"), AWKWARD_FLOATS[1:]))
    Run.objects.filter(pk=run.pk).update(uncertainty=stored)
    read_back = Run.objects.get(pk=run.pk).uncertainty
    assert canonical.canonical_bytes(canonical.uncertainty(read_back)) == canonical.canonical_bytes(
        canonical.uncertainty(stored))
    assert canonical.uncertainty(read_back)["histogram"]["edges"] == AWKWARD_FLOATS


@pytest.fixture
def cached_run(methodology_v1, analyst):
    """A run whose cells report cached input tokens, saved by the services (so sealed)."""
    from datetime import date

    from calculations import services
    from calculations.engine.analytics import Cell
    from calculations.engine.result import InputSummary
    from methodology.selectors import parameter_set_for

    cells = [Cell(date(2025, 1, 1), "chatbot", 10, 20_000, 4000, 15_000), Cell(date(2025, 1, 2), "chatbot", 5)]
    summary = InputSummary(sha256="d" * 64, size_bytes=100, format="yaml", first_day=cells[0].day,
                           last_day=cells[-1].day, days=2)
    evaluation = services.evaluation_of(methodology_v1, parameter_set_for(methodology_v1), summary, cells, "france")
    return services.save_run(evaluation, user=analyst, source="api")


def test_an_edited_counts_hash_names_the_run(sealed_runs, ledger_verdict):
    run = sealed_runs[1]
    _raw(f"UPDATE {Run._meta.db_table} SET counts_sha256 = %s WHERE id = %s", ["0" * 64, run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {run.pk}: altered" in text


def test_a_run_with_cached_input_tokens_verifies(cached_run, ledger_verdict):
    assert cached_run.cached_input_tokens == 15_000
    assert ledger_verdict() == (0, "")


def test_an_edited_cached_input_token_count_names_the_run(cached_run, ledger_verdict):
    _raw(f"UPDATE {DailyResult._meta.db_table} SET explicit_cached_input_tokens = 1 WHERE run_id = %s "
         "AND explicit_cached_input_tokens IS NOT NULL", [cached_run.pk])
    status, text = ledger_verdict()
    assert status == 1 and f"run {cached_run.pk}: altered" in text
