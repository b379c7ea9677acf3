"""calculations.presentation.history: the run history's table and charts."""

from __future__ import annotations

from datetime import date

from calculations import selectors
from calculations.presentation.history import history_charts, history_rows


def test_history_charts_have_a_bar_per_run_in_the_order_of_the_table(make_run):
    make_run(label="autumn", start=date(2025, 10, 1))
    make_run(label="spring", start=date(2025, 4, 1))
    listed = list(selectors.runs_for_listing())  # the table's order: newest first
    charts = history_charts(listed)
    assert charts["energy"]["short_labels"] == [f"#{run.pk}" for run in listed]
    assert charts["carbon"]["short_labels"] == [f"#{run.pk}" for run in listed]


def test_history_charts_give_each_run_s_stored_totals_in_the_chart_s_unit(make_run):
    run = make_run()
    chart = history_charts([run])["energy"]
    factor = {"Wh": 1000.0, "kWh": 1.0}[chart["unit"]]
    assert chart["values"] == [round(run.energy_kwh_value * factor, 9)]
    assert chart["ranges"] == [[round(run.energy_kwh_low * factor, 9), round(run.energy_kwh_high * factor, 9)]]


def test_history_rows_use_one_unit_for_every_row(make_run):
    small, large = make_run(inferences=1), make_run(inferences=100_000)
    table = history_rows([small, large])
    assert table["energy_unit"] == "kWh" and large.energy_kwh_value >= 1 > small.energy_kwh_value
    assert [row["run"] for row in table["rows"]] == [small, large]
