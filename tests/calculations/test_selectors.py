"""The history filters (selectors.filter_runs): a period keeps the runs that overlap it, both ends included,
on the history page and in GET /api/runs alike."""

from __future__ import annotations

from datetime import date

import pytest

from calculations import selectors

# January 2025 (31 days) and February 2025 (28 days).
JANUARY, FEBRUARY = "january", "february"
CASES = [
    # (period_start, period_end, runs kept)
    ("2025-01-10", "2025-01-20", {JANUARY}),  # inside January: the run started before the period
    ("2025-01-31", "2025-01-31", {JANUARY}),  # January's last day only
    ("2025-02-01", "2025-02-01", {FEBRUARY}),  # February's first day only
    ("2025-01-15", "2025-02-10", {JANUARY, FEBRUARY}),  # across both: neither lies wholly inside
    ("2024-12-01", "2024-12-31", set()),
    ("2025-03-01", "2025-03-31", set()),
    ("2025-02-01", "", {FEBRUARY}),  # open end
    ("", "2025-01-31", {JANUARY}),  # open start
    ("2025-01-20", "", {JANUARY, FEBRUARY}),
    ("", "", {JANUARY, FEBRUARY}),
]


@pytest.fixture
def runs(make_run):
    return {
        JANUARY: make_run(start=date(2025, 1, 1), days=31, label=JANUARY),
        FEBRUARY: make_run(start=date(2025, 2, 1), days=28, label=FEBRUARY),
    }


def labels(found) -> set[str]:
    return {run.label for run in found}


@pytest.mark.parametrize(("start", "end", "kept"), CASES)
def test_a_period_keeps_the_runs_that_overlap_it(runs, start, end, kept):
    found = selectors.filter_runs(selectors.runs_for_listing(), period_start=start and date.fromisoformat(start),
                                  period_end=end and date.fromisoformat(end))
    assert labels(found) == kept


@pytest.mark.parametrize(("start", "end", "kept"), CASES)
def test_the_api_s_period_filter_keeps_the_runs_that_overlap_it(api_client, runs, start, end, kept):
    response = api_client.get("/api/runs", {"period_start": start, "period_end": end})
    assert response.status_code == 200
    assert {run["label"] for run in response.json()["results"]} == kept


@pytest.mark.parametrize(("start", "end", "kept"), CASES)
def test_the_history_page_s_period_filter_keeps_the_runs_that_overlap_it(page_client, runs, start, end, kept):
    response = page_client.get("/runs/", {"period_start": start, "period_end": end})
    assert response.status_code == 200
    assert {run.label for run in response.context["page_obj"]} == kept
