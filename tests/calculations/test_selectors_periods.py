"""calculations.selectors.period_totals: quarters, the document around the periods, and the refusal of runs
that would count a day twice (docs/mutation-testing.md: the selectors' survivors)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from calculations import selectors


def test_quarters_group_january_to_march_april_to_june_and_october_to_december(make_run):
    runs = [make_run(days=1, start=date(2025, 1, 1), inferences=100, profiles=("chatbot",)),
            make_run(days=1, start=date(2025, 3, 31), inferences=10, profiles=("chatbot",)),
            make_run(days=1, start=date(2025, 4, 1), inferences=1, profiles=("chatbot",)),
            make_run(days=1, start=date(2025, 12, 31), inferences=1000, profiles=("chatbot",))]
    periods = selectors.period_totals(runs, "quarter")["periods"]
    assert [(row["period"], row["inferences"]) for row in periods] == [("2025-Q1", 110), ("2025-Q2", 1), ("2025-Q4", 1000)]


def test_period_totals_name_the_granularity_runs_versions_and_regions(make_run):
    january = make_run(days=2, start=date(2025, 1, 30), label="jan", region="germany")
    march = make_run(days=1, start=date(2025, 3, 1), label="mar")
    totals = selectors.period_totals([march, january])  # months by default; runs in date order
    # (the periods and the scope totals have tests of their own)
    assert {key: value for key, value in totals.items() if key not in ("periods", "scopes")} == {
        "granularity": "month",
        "runs": [{"id": january.pk, "label": "jan", "first_day": "2025-01-30", "last_day": "2025-01-31", "version": 1,
                  "region": "germany"},
                 {"id": march.pk, "label": "mar", "first_day": "2025-03-01", "last_day": "2025-03-01", "version": 1,
                  "region": "france"}],
        "versions": [1],
        "regions": ["france", "germany"],
    }


def test_runs_sharing_a_day_are_refused_naming_each_pair_and_its_days(make_run):
    first = make_run(days=10, start=date(2025, 1, 1))
    second = make_run(days=3, start=date(2025, 1, 10), inferences=7)  # its first day is the first run's last
    third = make_run(days=3, start=date(2025, 1, 12), inferences=9)  # the same with the second
    with pytest.raises(selectors.OverlappingRuns) as refused:
        selectors.period_totals([third, second, first])
    assert refused.value.pairs == [(first, second), (second, third)]
    assert str(refused.value) == (f"runs {first.pk} and {second.pk} both cover 2025-01-10 to 2025-01-10; "
                                  f"runs {second.pk} and {third.pk} both cover 2025-01-12 to 2025-01-12")


ESTIMATES = ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e", "embodied_gco2e", "carbon_total_gco2e", "water_l")


def test_each_month_sums_every_estimate_and_bound_of_its_days_across_runs(make_run):
    runs = [make_run(days=4, start=date(2025, 1, 30)), make_run(days=2, start=date(2025, 2, 3), inferences=40)]
    cells = [cell for run in runs for cell in selectors.run_document(run)["daily"]]
    expected = []
    for month in ("2025-01", "2025-02"):
        days = [cell for cell in cells if cell["date"].startswith(month)]
        row = {"period": month, "inferences": sum(cell["inferences"] for cell in days)}
        for name in ESTIMATES:
            row[name] = None if days[0][name] is None else {
                bound: math.fsum(cell[name][bound] for cell in days) for bound in ("value", "low", "high")}
        expected.append(row)
    assert expected[0]["carbon_gco2e"] is not None and expected[0]["carbon_market_gco2e"] is None  # v1: no market
    assert selectors.period_totals(runs)["periods"] == expected


@pytest.fixture
def electricity_only_version(methodology_v1):
    """A version without water and embodied carbon (no WUE, water intensity or hardware figures)."""
    import dataclasses

    from methodology.selectors import parameter_set_for
    from methodology.services import create_version_from_parameters, publish_version

    parameters = parameter_set_for(methodology_v1)
    electricity_only = dataclasses.replace(
        parameters,
        regions={c: dataclasses.replace(r, wue=None, water_intensity=None) for c, r in parameters.regions.items()},
        models={c: dataclasses.replace(m, embodied_kgco2e=None, lifetime_years=None) for c, m in parameters.models.items()})
    return publish_version(create_version_from_parameters(electricity_only, label="Electricity only"))


@pytest.mark.parametrize("assessed_first", [True, False])
def test_a_month_with_one_day_not_assessing_an_estimate_does_not_assess_it(make_run, electricity_only_version,
                                                                           assessed_first):
    """Water and embodied carbon assessed on some days of January only are not summed into a partial figure."""
    assessed = make_run(days=2, start=date(2025, 1, 1) if assessed_first else date(2025, 1, 30))
    other = make_run(days=1, start=date(2025, 1, 5), version=electricity_only_version)
    periods = {row["period"]: row for row in selectors.period_totals([assessed, other])["periods"]}
    january = periods["2025-01"]
    assert (january["water_l"], january["embodied_gco2e"], january["carbon_total_gco2e"]) == (None, None, None)
    assert january["energy_kwh"]["value"] > 0 and january["carbon_gco2e"]["high"] > 0
