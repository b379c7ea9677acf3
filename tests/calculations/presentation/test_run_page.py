"""calculations.presentation.run_page: the run page's figures, equivalents and audit trail."""

from __future__ import annotations

import pytest
from django.utils import translation

from calculations import selectors
from calculations.presentation.numbers import carbon_unit, energy_unit
from calculations.presentation.run_page import everyday_equivalents, mapping_text, names_the_unit, run_detail
from calculations.presentation.uncertainty import interval_estimate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_headline_is_the_run_document_s_total_in_the_page_s_unit(make_run):
    run = make_run()
    totals = selectors.run_document(run, include_daily=False)["totals"]
    page = run_detail(run)
    # the document's estimates carry their P5/P50/P95/mean beside value/low/high
    assert page["headline"]["energy"] == interval_estimate(
        totals["energy_kwh"], totals["energy_kwh"], energy_unit(totals["energy_kwh"]["value"]), computed=True)
    assert page["headline"]["carbon"] == interval_estimate(
        totals["carbon_gco2e"], totals["carbon_gco2e"], carbon_unit(totals["carbon_gco2e"]["value"]), computed=True)


def test_the_monthly_table_has_a_row_per_month_of_the_run(make_run):
    from datetime import date

    run = make_run(days=40, start=date(2025, 1, 1))
    assert [row["month"] for row in run_detail(run)["monthly"]] == [date(2025, 1, 1), date(2025, 2, 1)]


@pytest.mark.parametrize(("name", "unit"), [("Shower", "showers"), ("shower", "Showers"), ("Box", "boxes")])
def test_a_name_that_only_repeats_the_unit_is_recognised(name, unit):
    assert names_the_unit(name, unit)


@pytest.mark.parametrize(("name", "unit"), [("Distance driven by an average car", "km"),
                                            ("Full smartphone charge", "charges")])
def test_a_name_that_says_more_than_the_unit_is_kept(name, unit):
    assert not names_the_unit(name, unit)


def test_the_shower_equivalent_is_not_named_twice(make_run):
    shower = next(e for e in everyday_equivalents(make_run()) if e["code"] == "shower")
    assert shower["count"]["unit"] == "showers" and shower["caption"] == ""


def test_the_car_equivalent_keeps_its_name(make_run):
    car = next(e for e in everyday_equivalents(make_run()) if e["code"] == "car-km")
    assert car["caption"] == "Distance driven by an average car"


def test_a_mapping_of_one_source_group_says_group_in_the_singular():
    text = mapping_text({"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 1})
    assert text == "chatbot ← type chatbot (1 source group)"


def test_a_mapping_of_two_source_groups_says_groups():
    text = mapping_text({"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 2})
    assert text.endswith("(2 source groups)")
