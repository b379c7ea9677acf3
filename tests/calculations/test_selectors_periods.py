"""calculations.selectors.period_totals: quarters, the document around the periods, and the refusal of runs
that would count a day twice (docs/mutation-testing.md: the selectors' survivors)."""

from __future__ import annotations

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
