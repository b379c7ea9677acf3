"""The result document (calculations/engine/result.py): one JSON shape for the CLI, the library and the API,
checked whole on results whose figures are set by hand."""

from __future__ import annotations

from datetime import date

from calculations.engine.analytics import Analytics, CellColumns, ProfileMapping
from calculations.engine.compute import CellResult, Estimate, RunResult, Subtotal
from calculations.engine.parameters import Param, ParameterSet, Region
from calculations.engine.result import InputSummary, mapping_dict, result_document
from calculations.engine.uncertainty import Driver, Histogram, Interval, Uncertainty

DAY = date(2025, 3, 1)
NEXT = date(2025, 3, 2)
REGION = Region("r", "R", pue=Param.exact(1.0), carbon_intensity=Param.exact(100.0))
PARAMETERS = ParameterSet("r", {"r": REGION}, {}, {}, version=3, sha256="ab" * 32)

# Estimates of the one profile: energy, location-based carbon, embodied and total carbon and water assessed;
# market-based carbon not assessed.
ENERGY = Estimate(0.01, 0.005, 0.02)
CARBON = Estimate(1.0, 0.5, 2.0)
EMBODIED = Estimate(0.25, 0.125, 0.5)
TOTAL = Estimate(1.25, 0.625, 2.5)
WATER = Estimate(0.03, 0.01, 0.05)


def _cell(day, inferences, input_tokens, output_tokens, explicit_in=None, explicit_out=None, cached=0):
    return CellResult(day, "chat", inferences, input_tokens, output_tokens, explicit_in, explicit_out,
                      ENERGY, CARBON, None, EMBODIED, TOTAL, WATER, cached)


def _subtotal(**where):
    return Subtotal(10, 2000.0, 5000.0, ENERGY, CARBON, None, EMBODIED, TOTAL, WATER, cached_input_tokens=300, **where)


def _result():
    cells = [_cell(DAY, 4, 800.0, 2000.0, explicit_in=800, cached=300), _cell(NEXT, 6, 1200.0, 3000.0, explicit_out=3000)]
    return RunResult(REGION, cells, [_subtotal(profile="chat", model="m")], _subtotal())


def _summary(**changes):
    fields = dict(sha256="cd" * 32, size_bytes=1234, format="csv", first_day=DAY, last_day=NEXT, days=2,
                  mappings=[ProfileMapping("chat", "alias", "gpt-4.1", 3)], generic_models=["mystery-model"])
    return InputSummary(**(fields | changes))


NOT_COMPUTED = {"p5": None, "p50": None, "p95": None, "mean": None}


def _counts(inferences, input_tokens, output_tokens, cached):
    return {
        "inferences": inferences, "input_tokens": input_tokens, "cached_input_tokens": cached,
        "output_tokens": output_tokens,
        "energy_kwh": {"value": 0.01, "low": 0.005, "high": 0.02},
        "carbon_gco2e": {"value": 1.0, "low": 0.5, "high": 2.0},
        "carbon_market_gco2e": None,
        "embodied_gco2e": {"value": 0.25, "low": 0.125, "high": 0.5},
        "carbon_total_gco2e": {"value": 1.25, "low": 0.625, "high": 2.5},
        "water_l": {"value": 0.03, "low": 0.01, "high": 0.05},
    }


def _with(counts, interval):
    for name in ("energy_kwh", "carbon_gco2e", "embodied_gco2e", "carbon_total_gco2e", "water_l"):
        counts[name] |= interval[name] if interval else NOT_COMPUTED
    return counts


def _document(reported=True, totals_interval=None, profile_interval=None, uncertainty=None):
    def n(count):
        return count if reported else None
    return {
        "methodology": {"version": 3, "sha256": "ab" * 32, "region": "r"},
        "input": {"sha256": "cd" * 32, "bytes": 1234, "format": "csv", "first_day": "2025-03-01",
                  "last_day": "2025-03-02", "days": 2,
                  "mappings": [{"profile": "chat", "rule": "alias", "matched": "gpt-4.1", "source_groups": 3}],
                  "inferences_reported": reported, "generic_models": ["mystery-model"]},
        "totals": _with(_counts(n(10), 2000.0, 5000.0, 300), totals_interval),
        "profiles": [{"profile": "chat", "model": "m", **_with(_counts(n(10), 2000.0, 5000.0, 300), profile_interval)}],
        "uncertainty": uncertainty,
        "daily": [{"date": "2025-03-01", "profile": "chat", **_counts(n(4), 800.0, 2000.0, 300)},
                  {"date": "2025-03-02", "profile": "chat", **_counts(n(6), 1200.0, 3000.0, 0)}],
    }


def test_the_document_without_monte_carlo_holds_every_figure_and_null_intervals():
    assert result_document(_result(), _summary(), PARAMETERS) == _document()


def test_the_document_keeps_its_sections_in_order():
    assert list(result_document(_result(), _summary(), PARAMETERS)) == [
        "methodology", "input", "totals", "profiles", "uncertainty", "daily"]


def test_inferences_are_null_everywhere_when_the_report_counts_none():
    document = result_document(_result(), _summary(inferences_reported=False), PARAMETERS)
    assert document == _document(reported=False)


def test_an_input_without_usage_has_null_first_and_last_days():
    document = result_document(_result(), _summary(first_day=None, last_day=None, days=0), PARAMETERS)
    assert (document["input"]["first_day"], document["input"]["last_day"], document["input"]["days"]) == (None, None, 0)


def _interval(p5, p50, p95, mean):
    return Interval(p5, p50, p95, mean)


def test_with_a_monte_carlo_each_total_and_profile_estimate_carries_its_own_interval():
    totals = {"energy_kwh": _interval(0.006, 0.01, 0.018, 0.011), "carbon_gco2e": _interval(0.6, 1.0, 1.8, 1.1),
              "carbon_market_gco2e": None, "embodied_gco2e": _interval(0.2, 0.25, 0.4, 0.26),
              "carbon_total_gco2e": _interval(1.0, 1.25, 2.0, 1.3), "water_l": _interval(0.02, 0.03, 0.04, 0.031)}
    profile = {"energy_kwh": _interval(0.007, 0.01, 0.017, 0.012), "carbon_gco2e": _interval(0.7, 1.0, 1.7, 1.2),
               "carbon_market_gco2e": None, "embodied_gco2e": _interval(0.21, 0.25, 0.39, 0.27),
               "carbon_total_gco2e": _interval(1.1, 1.25, 1.9, 1.35), "water_l": _interval(0.021, 0.03, 0.039, 0.032)}
    uncertainty = Uncertainty(draws=500, seed=7, totals=totals, profiles={"chat": profile},
                              drivers=[Driver("regions", "r", "pue", 0.75, 0.5)],
                              histogram=Histogram(metric="carbon_gco2e", edges=[0.0, 0.01, 0.02], counts=[200, 300]))
    expected = _document(
        totals_interval={"energy_kwh": {"p5": 0.006, "p50": 0.01, "p95": 0.018, "mean": 0.011},
                         "carbon_gco2e": {"p5": 0.6, "p50": 1.0, "p95": 1.8, "mean": 1.1},
                         "embodied_gco2e": {"p5": 0.2, "p50": 0.25, "p95": 0.4, "mean": 0.26},
                         "carbon_total_gco2e": {"p5": 1.0, "p50": 1.25, "p95": 2.0, "mean": 1.3},
                         "water_l": {"p5": 0.02, "p50": 0.03, "p95": 0.04, "mean": 0.031}},
        profile_interval={"energy_kwh": {"p5": 0.007, "p50": 0.01, "p95": 0.017, "mean": 0.012},
                          "carbon_gco2e": {"p5": 0.7, "p50": 1.0, "p95": 1.7, "mean": 1.2},
                          "embodied_gco2e": {"p5": 0.21, "p50": 0.25, "p95": 0.39, "mean": 0.27},
                          "carbon_total_gco2e": {"p5": 1.1, "p50": 1.25, "p95": 1.9, "mean": 1.35},
                          "water_l": {"p5": 0.021, "p50": 0.03, "p95": 0.039, "mean": 0.032}},
        uncertainty={"draws": 500, "seed": 7,
                     "drivers": [{"section": "regions", "code": "r", "parameter": "pue", "energy_kwh": 0.75,
                                  "carbon_gco2e": 0.5}],
                     "histogram": {"metric": "carbon_gco2e", "edges": [0.0, 0.01, 0.02], "counts": [200, 300]}})
    assert result_document(_result(), _summary(), PARAMETERS, uncertainty) == expected


def test_the_input_summary_keeps_what_the_upload_was_never_its_content():
    analytics = Analytics(
        cells=CellColumns([DAY, DAY, NEXT], ["chat", "search", "chat"], [4, 1, 6], [None] * 3, [None] * 3),
        format="yaml", sha256="ef" * 32, size_bytes=99, mappings=[ProfileMapping("chat", "name", "chat", 1)],
        inferences_reported=False, generic_models=["x-model"])
    assert InputSummary.of(analytics) == InputSummary(
        sha256="ef" * 32, size_bytes=99, format="yaml", first_day=DAY, last_day=NEXT, days=2,
        mappings=[ProfileMapping("chat", "name", "chat", 1)], inferences_reported=False, generic_models=["x-model"])


def test_the_input_summary_s_lists_are_its_own_copies():
    analytics = Analytics(cells=[], format="json", sha256="0" * 64, size_bytes=2, mappings=[], generic_models=[])
    summary = InputSummary.of(analytics)
    analytics.mappings.append(ProfileMapping("chat", "name", "chat", 1))
    analytics.generic_models.append("late")
    assert (summary.mappings, summary.generic_models, summary.first_day, summary.days) == ([], [], None, 0)


def test_a_mapping_names_its_profile_rule_match_and_source_groups():
    assert mapping_dict(ProfileMapping("summary", "type", "SUMMARIZE", 12)) == {
        "profile": "summary", "rule": "type", "matched": "SUMMARIZE", "source_groups": 12}


def test_an_input_summary_defaults_to_inferences_reported_and_no_generic_models():
    summary = InputSummary("0" * 64, 1, "yaml", None, None, 0)
    assert (summary.inferences_reported, summary.generic_models, summary.mappings) == (True, [], [])
