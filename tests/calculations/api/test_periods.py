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
