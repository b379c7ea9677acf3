"""GET /api/periods: following a year across consecutive uploads."""

import pytest

from calculations.models import Run


def _upload(api_client, rows: list[str]) -> Run:
    body = ("date,profile,inferences\n" + "\n".join(rows) + "\n").encode()
    response = api_client.post("/api/energy", data=body, content_type="text/csv")
    assert response.status_code == 201, response.content
    return Run.objects.get(pk=response.json()["run"]["id"])


@pytest.fixture
def monthly_runs(api_client, methodology_v1):
    january = _upload(api_client, ["2025-01-01,chatbot,10", "2025-01-31,chatbot,5"])
    february = _upload(api_client, ["2025-02-01,chatbot,20"])
    april = _upload(api_client, ["2025-04-15,completion,100"])
    return january, february, april


def test_months_add_the_days_of_their_runs(api_client, monthly_runs):
    january, february, april = monthly_runs
    ids = f"{april.pk},{january.pk},{february.pk}"
    result = api_client.get(f"/api/periods?runs={ids}").json()
    assert [p["period"] for p in result["periods"]] == ["2025-01", "2025-02", "2025-04"]
    assert result["periods"][0]["inferences"] == 15
    assert result["periods"][0]["energy_kwh"]["value"] == pytest.approx(january.energy_kwh_value)
    assert result["periods"][1]["carbon_gco2e"]["high"] == pytest.approx(february.carbon_gco2e_high)


def test_quarters_group_the_months(api_client, monthly_runs):
    january, february, april = monthly_runs
    result = api_client.get(f"/api/periods?runs={january.pk},{february.pk},{april.pk}&granularity=quarter").json()
    assert [(p["period"], p["inferences"]) for p in result["periods"]] == [("2025-Q1", 35), ("2025-Q2", 100)]
    assert result["periods"][0]["energy_kwh"]["value"] == pytest.approx(
        january.energy_kwh_value + february.energy_kwh_value
    )


def test_overlapping_runs_are_refused_rather_than_counted_twice(api_client, monthly_runs):
    january = monthly_runs[0]
    again = _upload(api_client, ["2025-01-31,summary,1"])
    response = api_client.get(f"/api/periods?runs={january.pk},{again.pk}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "overlapping_runs"
    assert "2025-01-31" in response.json()["error"]["message"]


def test_unknown_runs_are_a_404(api_client, monthly_runs):
    assert api_client.get("/api/periods?runs=9999").status_code == 404


def test_malformed_run_ids_are_a_400(api_client, methodology_v1):
    assert api_client.get("/api/periods?runs=a,b").status_code == 400


@pytest.fixture
def procured_version(methodology_v1):
    """v2: v1 with the large model in an own datacentre, the small one an API service, and France's market
    factor (52 gCO2e/kWh, 40 to 60)."""
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="Procurement declared")
    draft.modelprofiles.filter(code="llm-large-4xh100").update(procurement="own_datacentre")
    draft.modelprofiles.filter(code="llm-small-1xh100").update(procurement="api_service")
    draft.regions.filter(code="france").update(carbon_intensity_market_value=52, carbon_intensity_market_low=40,
                                               carbon_intensity_market_high=60)
    return publish_version(draft)


def _stored(runs, profile: str, name: str, bound: str) -> float:
    """The hand sum of a stored per-profile figure over runs."""
    return sum(getattr(run.profile_results.get(profile=profile), name)[bound] for run in runs)


def test_the_period_totals_carry_the_runs_carbon_per_scope_category(api_client, make_run, procured_version):
    from datetime import date

    runs = [make_run(days=31, start=date(2025, 1, 1), version=procured_version),
            make_run(days=28, start=date(2025, 2, 1), version=procured_version)]
    scopes = api_client.get(f"/api/periods?runs={runs[0].pk},{runs[1].pk}").json()["scopes"]
    assert list(scopes) == ["scope_2", "scope_3_cat_1", "scope_3_cat_2"]
    # chatbot runs on the large model (own datacentre): its electricity is Scope 2, its hardware category 2
    assert scopes["scope_2"]["location_based_gco2e"]["value"] == pytest.approx(
        _stored(runs, "chatbot", "carbon_gco2e", "value"), rel=1e-12)
    assert scopes["scope_2"]["market_based_gco2e"]["high"] == pytest.approx(
        _stored(runs, "chatbot", "carbon_market_gco2e", "high"), rel=1e-12)
    assert scopes["scope_3_cat_2"]["market_based_gco2e"]["low"] == pytest.approx(
        _stored(runs, "chatbot", "embodied_gco2e", "low"), rel=1e-12)
    # completion runs on the small model (API service): electricity and hardware both in category 1
    assert scopes["scope_3_cat_1"]["location_based_gco2e"]["value"] == pytest.approx(
        _stored(runs, "completion", "carbon_gco2e", "value") + _stored(runs, "completion", "embodied_gco2e", "value"),
        rel=1e-12)


def test_a_version_without_procurement_reports_the_period_s_carbon_as_not_declared(api_client, monthly_runs):
    january, february, _april = monthly_runs
    scopes = api_client.get(f"/api/periods?runs={january.pk},{february.pk}").json()["scopes"]
    assert list(scopes) == ["not_declared"]
    assert scopes["not_declared"]["location_based_gco2e"]["value"] == pytest.approx(
        january.carbon_total_gco2e_value + february.carbon_total_gco2e_value, rel=1e-12)
    assert scopes["not_declared"]["market_based_gco2e"] is None  # v1 has no market-based factor: not assessed
