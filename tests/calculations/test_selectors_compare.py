"""calculations.selectors.compare_runs and run_bridge, called directly: what GET /api/compare and the comparison
page show of two runs (docs/mutation-testing.md: the selectors' survivors).

Figures are the runs' stored ones (the model's fields and Run.interval), never recomputed here."""

from __future__ import annotations

from datetime import date

import pytest

from calculations import selectors
from calculations.engine.bridge import GROUPS
from methodology.selectors import version_diff

INTERVAL = ("p5", "p50", "p95", "mean")


def stored(row, name: str) -> dict:
    """A stored estimate with its stored interval, as the comparison gives each side."""
    return {"value": getattr(row, f"{name}_value"), "low": getattr(row, f"{name}_low"),
            "high": getattr(row, f"{name}_high"), **row.interval(name)}


def test_each_side_is_named_by_its_id_label_version_and_region(make_run, methodology_v2):
    a = make_run(label="before")
    b = make_run(label="after", version=methodology_v2, region="germany")
    compared = selectors.compare_runs(a, b)
    assert (compared["a"], compared["b"]) == ({"id": a.pk, "label": "before", "version": 1, "region": "france"},
                                              {"id": b.pk, "label": "after", "version": 2, "region": "germany"})


def test_each_total_gives_both_sides_with_their_intervals_and_b_minus_a(make_run):
    a, b = make_run(days=2), make_run(days=5, inferences=300)
    totals = selectors.compare_runs(a, b)["totals"]
    assert totals["inferences"] == {"a": a.inferences, "b": b.inferences}
    for name in ("energy_kwh", "carbon_gco2e"):
        assert totals[name] == {"a": stored(a, name), "b": stored(b, name), "difference": {
            "absolute": getattr(b, f"{name}_value") - getattr(a, f"{name}_value"),
            "percent": 100.0 * (getattr(b, f"{name}_value") - getattr(a, f"{name}_value")) / getattr(a, f"{name}_value")}}


def test_a_difference_from_a_zero_total_has_no_percent(make_run):
    a, b = make_run(days=2, inferences=0), make_run(days=2)
    assert a.energy_kwh_value == 0.0
    difference = selectors.compare_runs(a, b)["totals"]["energy_kwh"]["difference"]
    assert difference == {"absolute": b.energy_kwh_value, "percent": None}


def test_market_based_carbon_assessed_on_both_sides_is_compared(make_run, market_version):
    a, b = make_run(days=2, version=market_version), make_run(days=4, version=market_version)
    market = selectors.compare_runs(a, b)["totals"]["carbon_market_gco2e"]
    assert market == {"a": stored(a, "carbon_market_gco2e"), "b": stored(b, "carbon_market_gco2e"),
                      "difference": {"absolute": b.carbon_market_gco2e_value - a.carbon_market_gco2e_value,
                                     "percent": 100.0 * (b.carbon_market_gco2e_value - a.carbon_market_gco2e_value)
                                     / a.carbon_market_gco2e_value}}


@pytest.mark.parametrize("assessed_side", ["a", "b"])
def test_market_based_carbon_not_assessed_on_one_side_is_null_there_with_no_difference(make_run, market_version,
                                                                                       assessed_side):
    france = make_run(days=2, version=market_version)
    germany = make_run(days=2, version=market_version, region="germany")
    a, b = (france, germany) if assessed_side == "a" else (germany, france)
    market = selectors.compare_runs(a, b)["totals"]["carbon_market_gco2e"]
    expected = {"a": None, "b": None, "difference": None}
    expected[assessed_side] = stored(france, "carbon_market_gco2e")
    assert market == expected


def test_a_profile_of_one_run_only_is_compared_with_zeros_on_the_other_side(make_run):
    a = make_run(days=2, profiles=("chatbot", "completion"))
    b = make_run(days=2, profiles=("chatbot", "summary"), inferences=50)
    profiles = {row["profile"]: row for row in selectors.compare_runs(a, b)["profiles"]}
    assert list(profiles) == ["chatbot", "completion", "summary"]
    zero = dict.fromkeys(("value", "low", "high", *INTERVAL), 0.0)
    pa = {p.profile: p for p in a.profile_results.all()}
    pb = {p.profile: p for p in b.profile_results.all()}
    assert profiles["completion"]["inferences"] == {"a": pa["completion"].inferences, "b": 0}
    assert profiles["summary"]["inferences"] == {"a": 0, "b": pb["summary"].inferences}
    for name in ("energy_kwh", "carbon_gco2e"):
        assert profiles["completion"][name]["a"] == stored(pa["completion"], name)
        assert profiles["completion"][name]["b"] == zero
        only_a = getattr(pa["completion"], f"{name}_value")
        assert profiles["completion"][name]["difference"] == {"absolute": -only_a,
                                                              "percent": 100.0 * (0.0 - only_a) / only_a}
        assert profiles["summary"][name]["a"] == zero
        assert profiles["summary"][name]["b"] == stored(pb["summary"], name)
        assert profiles["summary"][name]["difference"] == {"absolute": getattr(pb["summary"], f"{name}_value"),
                                                           "percent": None}
        assert profiles["chatbot"][name] == {
            "a": stored(pa["chatbot"], name), "b": stored(pb["chatbot"], name), "difference": {
                "absolute": getattr(pb["chatbot"], f"{name}_value") - getattr(pa["chatbot"], f"{name}_value"),
                "percent": 100.0 * (getattr(pb["chatbot"], f"{name}_value") - getattr(pa["chatbot"], f"{name}_value"))
                / getattr(pa["chatbot"], f"{name}_value")}}


def test_the_explanation_says_what_differs_between_the_runs(make_run):
    a = make_run(days=2, start=date(2025, 1, 1))
    b = make_run(days=3, start=date(2025, 2, 1), region="germany")
    explanation = selectors.compare_runs(a, b)["explanation"]
    assert explanation == {
        "same_methodology": True,
        "methodology_changes": [],
        "region": {"a": "france", "b": "germany", "same": False},
        "input": {"a": a.input_sha256, "b": b.input_sha256, "same": False},
        "counts": {"a": a.counts_sha256, "b": b.counts_sha256, "same": False},
        "period": {"a": ["2025-01-01", "2025-01-02"], "b": ["2025-02-01", "2025-02-03"], "same": False},
    }


def test_the_explanation_says_what_two_runs_of_the_same_usage_share(make_run):
    a, b = make_run(days=2), make_run(days=2)
    explanation = selectors.compare_runs(a, b)["explanation"]
    assert a.input_sha256 == b.input_sha256 and a.counts_sha256 == b.counts_sha256
    assert explanation == {
        "same_methodology": True,
        "methodology_changes": [],
        "region": {"a": "france", "b": "france", "same": True},
        "input": {"a": a.input_sha256, "b": a.input_sha256, "same": True},
        "counts": {"a": a.counts_sha256, "b": a.counts_sha256, "same": True},
        "period": {"a": ["2025-01-01", "2025-01-02"], "b": ["2025-01-01", "2025-01-02"], "same": True},
    }


def test_runs_of_two_versions_list_the_methodology_changes_from_a_to_b(make_run, methodology_v1, methodology_v2):
    a, b = make_run(days=2), make_run(days=2, version=methodology_v2)
    explanation = selectors.compare_runs(a, b)["explanation"]
    changes = [change.as_dict() for change in version_diff(methodology_v1, methodology_v2)]
    assert changes  # France's carbon intensity at least
    assert (explanation["same_methodology"], explanation["methodology_changes"]) == (False, changes)


def test_the_comparison_carries_the_bridge_of_the_two_runs(make_run, methodology_v2):
    a, b = make_run(days=2), make_run(days=4, version=methodology_v2)
    bridge = selectors.compare_runs(a, b)["bridge"]
    assert bridge == selectors.run_bridge(a, b)
    assert bridge["energy_kwh"]["a"] == pytest.approx(a.energy_kwh_value, rel=1e-12)
    assert bridge["carbon_gco2e"]["b"] == pytest.approx(b.carbon_gco2e_value, rel=1e-12)
    assert list(bridge["carbon_gco2e"]["factors"]) == list(GROUPS)


def test_the_bridge_of_each_run_reads_its_own_usage(make_run):
    a, b = make_run(days=2), make_run(days=2, inferences=1000)
    bridge = selectors.run_bridge(a, b)
    assert bridge["energy_kwh"]["a"] == pytest.approx(a.energy_kwh_value, rel=1e-12)
    assert bridge["energy_kwh"]["b"] == pytest.approx(b.energy_kwh_value, rel=1e-12)


def test_the_bridge_of_two_regions_reads_each_run_s_region(make_run):
    a, b = make_run(days=2), make_run(days=2, region="germany")
    carbon = selectors.run_bridge(a, b)["carbon_gco2e"]
    assert (carbon["a"], carbon["b"]) == (pytest.approx(a.carbon_gco2e_value, rel=1e-12),
                                          pytest.approx(b.carbon_gco2e_value, rel=1e-12))


def test_a_bridge_refused_for_a_profile_of_run_a_names_run_a_and_run_b_s_version(make_run, version_without_completion):
    a = make_run(days=2)
    b = make_run(days=2, version=version_without_completion, profiles=("chatbot",))
    assert selectors.run_bridge(a, b) == {"error": {
        "code": "profile_not_in_version",
        "message": f"Usage profile 'completion' of run {a.pk} does not exist in methodology v2 of run {b.pk}: "
                   "the change cannot be attributed to factors.",
        "profile": "completion", "run": a.pk, "other_run": b.pk, "other_version": 2}}


def test_a_bridge_refused_for_a_profile_of_run_b_names_run_b_and_run_a_s_version(make_run, version_without_completion):
    a = make_run(days=2, version=version_without_completion, profiles=("chatbot",))
    b = make_run(days=2)
    assert selectors.run_bridge(a, b) == {"error": {
        "code": "profile_not_in_version",
        "message": f"Usage profile 'completion' of run {b.pk} does not exist in methodology v2 of run {a.pk}: "
                   "the change cannot be attributed to factors.",
        "profile": "completion", "run": b.pk, "other_run": a.pk, "other_version": 2}}


def test_the_bridge_from_a_run_without_usage_starts_at_zero(make_run, methodology_v1, analyst):
    from calculations import services
    from calculations.engine.result import InputSummary
    from calculations.models import RunSource
    from methodology.selectors import parameter_set_for

    summary = InputSummary(sha256="0" * 64, size_bytes=1, format="yaml", first_day=date(2025, 1, 1),
                           last_day=date(2025, 1, 1), days=1)
    empty = services.save_run(services.evaluation_of(methodology_v1, parameter_set_for(methodology_v1), summary, [],
                                                     "france"), user=analyst, source=RunSource.API)
    b = make_run(days=2)
    energy = selectors.run_bridge(empty, b)["energy_kwh"]
    assert (energy["a"], energy["b"]) == (0.0, pytest.approx(b.energy_kwh_value, rel=1e-12))
