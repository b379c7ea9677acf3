"""Base-year restatement from the inventory, and the bridge of base year against current year."""

from __future__ import annotations

import math
from datetime import date

import pytest

from calculations.models import Run


@pytest.fixture
def base_and_current(make_run):
    """2024: January in France under v1; 2025: January, more usage, same version and region."""
    return (make_run(days=31, start=date(2024, 1, 1), inferences=100),
            make_run(days=31, start=date(2025, 1, 1), inferences=150))


def test_restating_a_year_re_evaluates_each_run_and_keeps_the_originals(api_client, base_and_current, methodology_v2):
    base, _ = base_and_current
    response = api_client.post("/api/inventory/restate", {"start": "2024-01-01", "end": "2024-12-31", "version": 2},
                               format="json")
    assert response.status_code == 201
    [pair] = response.json()["restated"]
    new = Run.objects.get(pk=pair["run"])
    assert pair["original"] == base.pk and new.derived_from_id == base.pk
    assert new.methodology_version.number == 2 and new.project_id == base.project_id
    assert Run.objects.filter(pk=base.pk).exists()


def test_the_bridge_of_two_inventories_sums_exactly_to_the_change(api_client, base_and_current):
    base, current = base_and_current
    body = api_client.get("/api/inventory/bridge?base_start=2024-01-01&base_end=2024-12-31"
                          "&start=2025-01-01&end=2025-12-31").json()
    for name, a, b in (("energy_kwh", base.energy_kwh_value, current.energy_kwh_value),
                       ("carbon_gco2e", base.carbon_gco2e_value, current.carbon_gco2e_value)):
        quantity = body["bridge"][name]
        assert (quantity["a"], quantity["b"]) == pytest.approx((a, b), rel=1e-12)
        assert math.fsum(quantity["factors"].values()) == pytest.approx(b - a, rel=1e-12)
        # same version and region: the whole change is usage
        assert quantity["factors"]["usage"] == pytest.approx(b - a, rel=1e-12)
        assert quantity["factors"]["carbon_intensity"] == 0


def test_the_inventory_bridge_of_runs_without_market_factors_has_a_null_market_based_part(api_client,
                                                                                        base_and_current):
    body = api_client.get("/api/inventory/bridge?base_start=2024-01-01&base_end=2024-12-31"
                          "&start=2025-01-01&end=2025-12-31").json()
    assert body["bridge"]["carbon_market_gco2e"] == {"a": None, "b": None, "factors": None}


def test_the_inventory_bridge_attributes_a_new_market_factor_to_carbon_intensity(api_client, make_run,
                                                                                 methodology_v1):
    """Base 2024 under v2 (France's market factor 52 gCO2e/kWh), current 2025 under v3 (80): one (project,
    region) segment a side, paired across versions; same usage, so the market-based change is all the factor's:
    energy x (80 − 52). The factors sum to b − a."""
    from methodology.services import create_draft, publish_version

    def with_market(value):
        draft = create_draft(methodology_v1, label=f"Market {value}")
        draft.regions.filter(code="france").update(
            carbon_intensity_market_value=value, carbon_intensity_market_low=value, carbon_intensity_market_high=value)
        return publish_version(draft)

    base = make_run(days=31, start=date(2024, 1, 1), version=with_market(52))
    current = make_run(days=31, start=date(2025, 1, 1), version=with_market(80))
    market = api_client.get("/api/inventory/bridge?base_start=2024-01-01&base_end=2024-12-31"
                            "&start=2025-01-01&end=2025-12-31").json()["bridge"]["carbon_market_gco2e"]
    assert (market["a"], market["b"]) == pytest.approx((base.energy_kwh_value * 52, current.energy_kwh_value * 80),
                                                       rel=1e-12)
    assert math.fsum(market["factors"].values()) == pytest.approx(market["b"] - market["a"], rel=1e-12)
    assert market["factors"]["carbon_intensity"] == pytest.approx(base.energy_kwh_value * 28, rel=1e-12)


def test_after_restatement_the_bridge_attributes_the_grid_change_to_carbon_intensity(api_client, base_and_current,
                                                                                     methodology_v2):
    base, current = base_and_current
    restated = api_client.post("/api/inventory/restate", {"start": "2024-01-01", "end": "2024-12-31", "version": 2},
                               format="json").json()["restated"][0]["run"]
    body = api_client.get(f"/api/inventory/bridge?base_start=2024-01-01&base_end=2024-12-31&base_runs={restated}"
                          "&start=2025-01-01&end=2025-12-31").json()
    carbon = body["bridge"]["carbon_gco2e"]["factors"]
    # base restated under v2 (France 60 gCO2e/kWh), current under v1 (44): the grid factor explains a fall
    assert carbon["carbon_intensity"] < 0 and carbon["usage"] > 0
    assert body["base"]["runs"] == [restated]


def test_a_restatement_under_an_unknown_version_is_a_400_and_saves_nothing(api_client, base_and_current):
    count = Run.objects.count()
    response = api_client.post("/api/inventory/restate", {"start": "2024-01-01", "end": "2024-12-31", "version": 9},
                               format="json")
    assert response.status_code == 400 and Run.objects.count() == count


def test_an_auditor_cannot_restate(client, django_user_model, base_and_current):
    from rest_framework.test import APIClient

    from audit.roles import AUDITORS_GROUP
    from django.contrib.auth.models import Group

    auditor = django_user_model.objects.create_user("aud", password="x")
    auditor.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.post("/api/inventory/restate", {"start": "2024-01-01", "end": "2024-12-31", "version": 1},
                    format="json").status_code == 403
