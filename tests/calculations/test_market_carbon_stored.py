"""Market-based carbon stored, sealed and shown: the run document, the ledger, the run page, the CSV and the
comparison (the engine's hand computations are in tests/calculations/engine/test_market_carbon.py)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from calculations.models import Run

MARKET = (52.0, 40.0, 60.0)  # gCO2e/kWh, value/low/high: France's in the market_version fixture (conftest.py)


@pytest.fixture
def market_run(make_run, market_version) -> Run:
    return make_run(days=3, version=market_version)


def _verify_ledger(capsys) -> tuple[int, str]:
    try:
        call_command("verify_ledger")
    except CommandError as error:
        return 1, capsys.readouterr().err + str(error)
    return 0, capsys.readouterr().err


def test_a_saved_run_stores_energy_times_the_market_factor_at_each_bound(market_run):
    assert market_run.carbon_market_gco2e_value == pytest.approx(market_run.energy_kwh_value * 52, rel=1e-12)
    assert market_run.carbon_market_gco2e_low == pytest.approx(market_run.energy_kwh_low * 40, rel=1e-12)
    assert market_run.carbon_market_gco2e_high == pytest.approx(market_run.energy_kwh_high * 60, rel=1e-12)
    interval = market_run.interval("carbon_market_gco2e")
    assert market_run.carbon_market_gco2e_low <= interval["p5"] <= interval["p95"] <= market_run.carbon_market_gco2e_high


def test_a_region_without_a_market_factor_stores_null(make_run, market_version):
    run = make_run(days=2, region="germany", version=market_version)
    assert run.carbon_market_gco2e_value is None and run.carbon_market_gco2e is None
    assert run.interval("carbon_market_gco2e") is None
    assert all(p.carbon_market_gco2e is None for p in run.profile_results.all())


def test_runs_with_and_without_market_carbon_verify_in_the_ledger(make_run, market_run, capsys):
    make_run(days=2, region="germany")
    assert _verify_ledger(capsys) == (0, "")


def test_an_edited_market_figure_names_the_run(make_run, market_run, capsys):
    other = make_run(days=2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Run._meta.db_table} SET carbon_market_gco2e_value = 0 WHERE id = %s", [market_run.pk])
    status, text = _verify_ledger(capsys)
    assert status == 1 and f"run {market_run.pk}: altered" in text and f"run {other.pk}:" not in text


def test_the_api_document_gives_both_location_and_market_based_carbon(api_client, market_run, make_run):
    totals = api_client.get(f"/api/runs/{market_run.pk}").json()["totals"]
    assert totals["carbon_gco2e"]["value"] == market_run.carbon_gco2e_value
    assert totals["carbon_market_gco2e"]["value"] == market_run.carbon_market_gco2e_value
    assert totals["carbon_market_gco2e"]["p95"] == market_run.interval("carbon_market_gco2e")["p95"]
    without = make_run(days=2)
    assert api_client.get(f"/api/runs/{without.pk}").json()["totals"]["carbon_market_gco2e"] is None


def test_the_daily_csv_has_the_market_based_columns(api_client, market_run):
    lines = b"".join(api_client.get(f"/api/runs/{market_run.pk}/daily.csv").streaming_content).decode().splitlines()
    header = lines[0].split(",")
    assert header[header.index("carbon_gco2e") + 3:header.index("carbon_gco2e") + 6] == [
        "carbon_market_gco2e", "carbon_market_gco2e_low", "carbon_market_gco2e_high"]


def test_the_run_page_labels_location_and_market_based_carbon(page_client, market_run, make_run):
    page = page_client.get(f"/runs/{market_run.pk}/").content.decode()
    assert "location-based" in page and 'id="total-carbon-market"' in page and "market-based:" in page
    without = page_client.get(f"/runs/{make_run(days=2).pk}/").content.decode()
    assert "market-based: not assessed" in without


def test_the_report_has_a_market_based_row(page_client, market_run):
    page = page_client.get(f"/runs/{market_run.pk}/report").content.decode()
    assert 'id="total-carbon_market"' in page and "market-based" in page


def test_the_comparison_gives_market_based_carbon_null_on_the_side_without_it(api_client, market_run, make_run):
    other = make_run(days=3, region="germany")
    market = api_client.get(f"/api/compare?a={market_run.pk}&b={other.pk}").json()["totals"]["carbon_market_gco2e"]
    assert market["a"]["value"] == market_run.carbon_market_gco2e_value
    assert market["b"] is None and market["difference"] is None


@pytest.fixture
def own_datacentre_version(methodology_v1):
    """v2: v1 with every model profile declared own_datacentre, and France's market factor."""
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="Own datacentres")
    draft.modelprofiles.update(procurement="own_datacentre")
    value, low, high = MARKET
    draft.regions.filter(code="france").update(carbon_intensity_market_value=value, carbon_intensity_market_low=low,
                                               carbon_intensity_market_high=high)
    return publish_version(draft)


def test_an_own_datacentre_s_electricity_is_scope_2_and_its_hardware_scope_3_category_2(
        api_client, page_client, make_run, own_datacentre_version):
    run = make_run(days=3, version=own_datacentre_version)
    scopes = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()["scopes"]
    assert list(scopes) == ["scope_2", "scope_3_cat_2"]
    assert scopes["scope_2"]["location_based_gco2e"]["value"] == pytest.approx(run.carbon_gco2e_value, rel=1e-12)
    assert scopes["scope_2"]["market_based_gco2e"]["value"] == pytest.approx(run.carbon_market_gco2e_value, rel=1e-12)
    assert scopes["scope_3_cat_2"]["location_based_gco2e"]["high"] == pytest.approx(run.embodied_gco2e_high, rel=1e-12)
    interval = scopes["scope_2"]["market_based_gco2e"]
    assert interval["low"] <= interval["p5"] <= interval["p95"] <= interval["high"]
    body = page_client.get(f"/runs/{run.pk}/").content.decode()
    assert 'data-scope="scope_2"' in body and 'data-scope="scope_3_cat_2"' in body
