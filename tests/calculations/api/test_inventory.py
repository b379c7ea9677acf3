"""GET /api/inventory: a period consolidated per project, by scope, location- and market-based (docs/reporting.md)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from calculations import services
from calculations.models import DailyResult, Project


@pytest.fixture
def docs_portal(db):
    return Project.objects.create(code="docs-portal", name="Docs portal")


def _in(run_ids, start, end, field):
    """The hand sum of the stored daily figure `field` (e.g. carbon_gco2e_value) of runs over [start, end]."""
    return math.fsum(DailyResult.objects.filter(run__in=run_ids, day__range=(start, end)).values_list(field, flat=True))


def test_an_inventory_sums_each_run_s_days_within_the_period(api_client, make_run):
    january = make_run(days=31, start=date(2025, 1, 1))
    february = make_run(days=28, start=date(2025, 2, 1))
    body = api_client.get("/api/inventory?start=2025-01-15&end=2025-02-10").json()
    start, end = date(2025, 1, 15), date(2025, 2, 10)
    ids = [january.pk, february.pk]
    assert body["totals"]["energy_kwh"]["value"] == pytest.approx(_in(ids, start, end, "energy_kwh_value"), rel=1e-12)
    assert body["totals"]["carbon_gco2e"]["high"] == pytest.approx(_in(ids, start, end, "carbon_gco2e_high"), rel=1e-12)
    assert [m["month"] for m in body["projects"][0]["months"]] == ["2025-01", "2025-02"]
    assert body["projects"][0]["days_covered"] == 27
    assert [r["id"] for r in body["runs"]] == ids


def test_one_run_s_inventory_interval_is_its_own(api_client, make_run):
    run = make_run(days=5)
    energy = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-05").json()["totals"]["energy_kwh"]
    stored = run.interval("energy_kwh")
    assert (energy["p5"], energy["p95"]) == pytest.approx((stored["p5"], stored["p95"]), rel=1e-9)


def test_overlapping_runs_of_a_project_are_refused_naming_them(api_client, make_run):
    a, b = make_run(days=10), make_run(days=5, start=date(2025, 1, 8))
    response = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "overlapping_runs" and f"runs {a.pk} and {b.pk}" in error["message"]


def test_runs_of_one_project_over_the_same_days_with_different_profiles_are_both_counted(api_client, make_run):
    openai = make_run(days=10, profiles=("chatbot",))
    anthropic = make_run(days=10, profiles=("completion",))
    body = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()
    assert [r["id"] for r in body["runs"]] == [openai.pk, anthropic.pk]
    assert body["totals"]["energy_kwh"]["value"] == pytest.approx(
        openai.energy_kwh_value + anthropic.energy_kwh_value, rel=1e-12)


def test_an_explicit_choice_of_runs_resolves_an_overlap_without_double_counting(api_client, make_run, analyst):
    original = make_run(days=10)
    restated = services.reevaluate_run(original, user=analyst, region="germany")
    body = api_client.get(f"/api/inventory?start=2025-01-01&end=2025-01-31&runs={restated.pk}").json()
    assert body["totals"]["carbon_gco2e"]["value"] == pytest.approx(restated.carbon_gco2e_value, rel=1e-12)
    assert [r["id"] for r in body["runs"]] == [restated.pk]


def test_runs_of_different_projects_may_cover_the_same_days(api_client, make_run, analyst, docs_portal):
    run = make_run(days=3)
    other = services.reevaluate_run(run, user=analyst, project=docs_portal)
    body = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()
    assert [p["project"] for p in body["projects"]] == ["default", "docs-portal"]
    assert body["totals"]["energy_kwh"]["value"] == pytest.approx(run.energy_kwh_value + other.energy_kwh_value)
    only = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31&project=docs-portal").json()
    assert [r["id"] for r in only["runs"]] == [other.pk]


def test_start_after_end_is_a_400(api_client, methodology_v1):
    response = api_client.get("/api/inventory?start=2025-02-01&end=2025-01-01")
    assert response.status_code == 400 and "start" in str(response.json())


def test_an_unknown_project_is_a_400(api_client, methodology_v1):
    assert api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31&project=nope").status_code == 400


def test_market_based_is_null_where_a_run_s_region_has_no_factor(api_client, make_run):
    make_run(days=3)
    body = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()
    assert body["totals"]["carbon_market_gco2e"] is None
    assert body["scopes"]["not_declared"]["market_based_gco2e"] is None


def test_the_inventory_lists_the_hypotheses_its_runs_use(api_client, make_run):
    make_run(days=3, profiles=("chatbot",))
    rows = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()["hypotheses"]
    keys = {(r["section"], r["code"], r["parameter"]) for r in rows}
    assert ("regions", "france", "pue") in keys and ("profiles", "chatbot", "input_tokens") in keys
    assert ("models", "llm-large-4xh100", "procurement") in keys
    assert ("regions", "germany", "pue") not in keys and ("profiles", "completion", "input_tokens") not in keys


# --------------------------------------------------------------------------- monthly intervals


def test_a_month_covered_by_one_run_alone_has_that_run_s_interval(api_client, make_run):
    """January is January's run alone: its month has the run's own stored 90 % interval (the same streams)."""
    january = make_run(days=31, start=date(2025, 1, 1))
    make_run(days=28, start=date(2025, 2, 1))
    months = api_client.get("/api/inventory?start=2025-01-01&end=2025-02-28").json()["projects"][0]["months"]
    for name in ("energy_kwh", "carbon_gco2e"):
        stored = january.interval(name)
        assert (months[0][name]["p5"], months[0][name]["p95"]) == pytest.approx((stored["p5"], stored["p95"]),
                                                                                rel=1e-9)


def test_a_month_of_two_runs_shares_their_draws_like_one_run_of_both(api_client, make_run, docs_portal):
    """The default project's January is two runs over the same days (chatbot alone, then completion alone); the
    docs portal's twin is one run of both profiles with the same counts. Their hypotheses (the large and the
    small model, France) draw the same values in both: the month's interval is the twin's, not a narrower one."""
    make_run(days=31, profiles=("chatbot",))
    make_run(days=31, profiles=("completion",))
    twin = make_run(days=31, profiles=("chatbot", "completion"))
    twin.project = docs_portal  # another product: it may cover the same days
    twin.save(update_fields=["project"])
    body = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31&project=default").json()
    assert len(body["runs"]) == 2
    split = body["projects"][0]["months"][0]["energy_kwh"]
    whole = twin.interval("energy_kwh")
    assert (split["p5"], split["p50"], split["p95"]) == pytest.approx((whole["p5"], whole["p50"], whole["p95"]),
                                                                      rel=1e-9)


def test_monthly_means_add_up_to_the_period_s_mean_within_the_worst_case(api_client, make_run):
    make_run(days=90, start=date(2025, 1, 1))
    body = api_client.get("/api/inventory?start=2025-01-01&end=2025-03-31").json()
    months = body["projects"][0]["months"]
    for name in ("energy_kwh", "carbon_gco2e"):
        assert math.fsum(m[name]["mean"] for m in months) == pytest.approx(body["totals"][name]["mean"], rel=1e-9)
        assert all(m[name]["low"] <= m[name]["p5"] < m[name]["p50"] < m[name]["p95"] <= m[name]["high"]
                   for m in months)


def test_cached_input_tokens_count_at_their_fraction_in_the_inventory_and_its_bridge(api_client, methodology_v1):
    """A report with cached input tokens under a version whose models charge them a tenth of a prefill token:
    the inventory's Monte Carlo of the run alone gives the run's own interval back, and the bridge's total is
    the run's, so both read the cached tokens the run counted."""
    import json

    from calculations.models import Run
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="Cached input")
    draft.modelprofiles.update(cached_input_fraction_value=0.1, cached_input_fraction_low=0.05,
                               cached_input_fraction_high=0.2)
    version = publish_version(draft)
    page = json.dumps({"object": "page", "has_more": False, "data": [
        {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [
            {"num_model_requests": 30, "input_tokens": 30_000, "input_cached_tokens": 20_000,
             "output_tokens": 6000, "model": None}]}]}).encode()
    response = api_client.post(f"/api/energy?profile=chatbot&version={version.number}", data=page,
                               content_type="application/json")
    assert response.status_code == 201, response.content
    run = Run.objects.get(pk=response.json()["run"]["id"])
    assert run.cached_input_tokens == 20_000
    energy = api_client.get("/api/inventory?start=2025-01-01&end=2025-01-31").json()["totals"]["energy_kwh"]
    stored = run.interval("energy_kwh")
    assert (energy["p5"], energy["p95"]) == pytest.approx((stored["p5"], stored["p95"]), rel=1e-9)
    bridge = api_client.get("/api/inventory/bridge?base_start=2025-01-01&base_end=2025-01-31"
                            "&start=2025-01-01&end=2025-01-31").json()["bridge"]["energy_kwh"]
    assert bridge["a"] == pytest.approx(run.energy_kwh_value, rel=1e-12)
