"""calculations.reporting: the CLI's text table, in the pages' units."""

from __future__ import annotations

import copy

from calculations.interface import run as engine_document
from calculations.presentation.numbers import carbon_unit
from calculations.reporting import format_table, source_groups
from tests.conftest import CONFIG_DIR, EXAMPLES_DIR

SAMPLE = EXAMPLES_DIR / "2025-FluidTopics-daily-analytics.yaml"


def test_a_large_carbon_total_is_shown_in_kilograms_not_grams():
    document = engine_document(SAMPLE, region="france", methodology=CONFIG_DIR)
    total = document["totals"]["carbon_gco2e"]["value"]
    assert carbon_unit(total).symbol == "kgCO2e"  # the sample is over a kilogram
    total_line = next(line for line in format_table(document).splitlines() if line.startswith("TOTAL"))
    assert f"{total / 1000:,.3g} kgCO2e (" in total_line and " g (" not in total_line


def test_the_header_names_the_units_of_the_columns():
    header = format_table(engine_document(SAMPLE, region="france", methodology=CONFIG_DIR)).splitlines()[3]
    assert "energy kWh (90 % P5–P95; worst case)" in header and "carbon kgCO2e, location-based (90 % P5–P95; worst case)" in header


def test_the_total_line_gives_the_90_percent_interval_then_the_worst_case():
    document = engine_document(SAMPLE, region="france", methodology=CONFIG_DIR)
    carbon = document["totals"]["carbon_gco2e"]
    total_line = next(line for line in format_table(document).splitlines() if line.startswith("TOTAL"))
    p5, p95, low = (f"{carbon[k] / 1000:,.3g}" for k in ("p5", "p95", "low"))
    assert f"(90 %: {p5}–{p95}; worst case {low}–" in total_line


def test_a_document_without_monte_carlo_says_not_computed():
    document = copy.deepcopy(engine_document(SAMPLE, region="france", methodology=CONFIG_DIR))
    document["totals"]["energy_kwh"].update(p5=None, p50=None, p95=None, mean=None)
    total_line = next(line for line in format_table(document).splitlines() if line.startswith("TOTAL"))
    assert "; 90 % not computed)" in total_line


def test_one_source_group_is_singular():
    assert (source_groups(1), source_groups(2)) == ("1 source group", "2 source groups")


def test_a_mapping_line_of_one_source_group_is_singular():
    document = copy.deepcopy(engine_document(SAMPLE, region="france", methodology=CONFIG_DIR))
    document["input"]["mappings"] = [{"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 1}]
    assert format_table(document).splitlines()[-1] == "chatbot ← type chatbot (1 source group)"


def test_a_long_profile_code_stays_apart_from_its_model_column():
    document = engine_document(SAMPLE, region="france", methodology=CONFIG_DIR)
    long_code = "claude-3-5-haiku-long"  # longer than the 16 columns the table starts with
    document["profiles"][0] = {**document["profiles"][0], "profile": long_code, "model": "claude-3-5-haiku"}
    lines = format_table(document).splitlines()
    row = next(line for line in lines if line.startswith(long_code))
    assert row.split()[:2] == [long_code, "claude-3-5-haiku"]
    assert lines[3].index("model") == row.index("claude-3-5-haiku", len(long_code))  # under its header


def test_the_table_says_market_based_carbon_is_not_assessed_without_a_market_factor():
    lines = format_table(engine_document(SAMPLE, region="france", methodology=CONFIG_DIR)).splitlines()
    assert "Carbon, market-based: not assessed (no market-based factor for this region)" in lines
