"""calculations.selectors, called directly: the reads the pages, the API and the CLI share.

Figures are checked against the engine's result document of the same cells (Evaluation.document())."""

from __future__ import annotations

import math
from datetime import date

import pytest

from calculations import selectors, services
from calculations.models import RunSource


@pytest.fixture
def run_and_document(methodology_v1, analyst, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml, region="france")
    run = services.save_run(evaluation, user=analyst, source=RunSource.API)
    return run, evaluation.document()


def test_run_document_is_the_engine_s_document_of_the_run(run_and_document):
    run, document = run_and_document
    stored = selectors.run_document(run)
    assert {key: stored[key] for key in ("methodology", "totals", "profiles", "daily")} == {
        key: document[key] for key in ("methodology", "totals", "profiles", "daily")}


def test_run_document_gives_token_counts_as_whole_numbers(run_and_document):
    run, document = run_and_document
    totals = selectors.run_document(run, include_daily=False)["totals"]
    assert type(totals["input_tokens"]) is int and totals["input_tokens"] == document["totals"]["input_tokens"]


def test_run_document_without_daily_has_no_daily_key(run_and_document):
    run, _document = run_and_document
    assert "daily" not in selectors.run_document(run, include_daily=False)


def test_the_listing_reads_each_run_s_version_user_origin_and_project_in_one_query(make_run, analyst,
                                                                                 django_assert_num_queries):
    original = make_run()
    again = services.reevaluate_run(original, user=analyst, region="germany")
    with django_assert_num_queries(1):
        read = {run.pk: (run.methodology_version.number, run.user.username, run.derived_from and run.derived_from.pk,
                         run.project.code) for run in selectors.runs_for_listing()}
    assert read == {original.pk: (1, "analyst", None, original.project.code),
                    again.pk: (1, "analyst", original.pk, original.project.code)}


def test_filter_runs_keeps_the_runs_of_a_region(make_run):
    make_run(region="france")
    germany = make_run(region="germany")
    assert list(selectors.filter_runs(selectors.runs_for_listing(), region="germany")) == [germany]


@pytest.fixture
def three_runs(make_run, methodology_v2, django_user_model, analyst):
    """"docs": v1, the analyst, the default project; "v2": v2; "support": re-made by another user in a project."""
    other = django_user_model.objects.create_user("reviewer", password="reviewer-password-1")
    docs = make_run(label="Docs Portal January")
    support = services.reevaluate_run(docs, user=other, label="Support desk",
                                      project=services.create_project("Support", "support"))
    return {"docs": docs, "v2": make_run(label="Second version", version=methodology_v2), "support": support}


@pytest.mark.parametrize(("option", "kept"), [
    ({"version": 2}, {"v2"}),
    ({"label": "portal jan"}, {"docs"}),  # a part of the label, whatever its letter case
    ({"user": "reviewer"}, {"support"}),
    ({"project": "support"}, {"support"}),
    ({"version": 1, "user": "analyst"}, {"docs"}),
])
def test_each_filter_keeps_the_runs_it_names(three_runs, option, kept):
    found = selectors.filter_runs(selectors.runs_for_listing(), **option)
    assert {name for name, run in three_runs.items() if run in found} == kept and len(found) == len(kept)


def test_filter_runs_by_period_keeps_the_runs_that_overlap_it(make_run):
    january = make_run(days=31, start=date(2025, 1, 1))
    make_run(days=28, start=date(2025, 2, 1))
    kept = selectors.filter_runs(selectors.runs_for_listing(), period_start=date(2025, 1, 15),
                                 period_end=date(2025, 1, 31))
    assert list(kept) == [january]


def test_compare_runs_gives_b_minus_a_and_its_percent(make_run):
    a, b = make_run(region="france"), make_run(region="germany")
    carbon = selectors.compare_runs(a, b)["totals"]["carbon_gco2e"]
    assert carbon["difference"]["absolute"] == b.carbon_gco2e_value - a.carbon_gco2e_value
    assert carbon["difference"]["percent"] == 100.0 * (b.carbon_gco2e_value - a.carbon_gco2e_value) / a.carbon_gco2e_value


def test_compare_runs_says_the_methodology_is_the_same_for_one_version(make_run):
    a, b = make_run(region="france"), make_run(region="germany")
    explanation = selectors.compare_runs(a, b)["explanation"]
    assert explanation["same_methodology"] and not explanation["region"]["same"]


def test_period_totals_sums_the_daily_cells_of_each_month(make_run):
    run = make_run(days=45, start=date(2025, 1, 1))
    document = selectors.run_document(run)
    january = [cell for cell in document["daily"] if cell["date"].startswith("2025-01")]
    rows = {row["period"]: row for row in selectors.period_totals([run], "month")["periods"]}
    assert rows["2025-01"]["inferences"] == sum(cell["inferences"] for cell in january)
    assert rows["2025-01"]["energy_kwh"]["value"] == math.fsum(cell["energy_kwh"]["value"] for cell in january)


def test_period_totals_refuses_runs_that_overlap(make_run):
    first = make_run(days=10, start=date(2025, 1, 1))
    second = make_run(days=10, start=date(2025, 1, 5), inferences=7)
    with pytest.raises(selectors.OverlappingRuns):
        selectors.period_totals([first, second])


def test_run_equivalents_convert_the_run_s_totals_by_the_version_s_amounts(run_and_document, default_parameters):
    run, document = run_and_document
    car = next(e for e in selectors.run_equivalents(run) if e.code == "car-km")
    amount = default_parameters.equivalents["car-km"].amount.value
    assert car.count.value == document["totals"]["carbon_total_gco2e"]["value"] / amount


# --------------------------------------------------------------------------- period filters, everywhere (issue 21)
# A period keeps the runs that overlap it, both ends included, on the history page and in GET /api/runs alike.

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


def test_the_usage_by_profile_sums_the_cached_input_tokens(methodology_v1, analyst):
    from calculations.engine.analytics import Cell
    from calculations.engine.result import InputSummary
    from methodology.selectors import parameter_set_for

    cells = [Cell(date(2025, 1, 1), "chatbot", 4, 9000, 800, 6000), Cell(date(2025, 1, 2), "chatbot", 3, 100, 20, 40),
             Cell(date(2025, 1, 2), "summary", 2)]
    summary = InputSummary(sha256="f" * 64, size_bytes=1, format="yaml", first_day=cells[0].day,
                           last_day=cells[-1].day, days=2)
    evaluation = services.evaluation_of(methodology_v1, parameter_set_for(methodology_v1), summary, cells, "france")
    run = services.save_run(evaluation, user=analyst, source=RunSource.API)
    usage = selectors.run_usage_by_profile(run)
    assert (usage["chatbot"].explicit_input_tokens, usage["chatbot"].explicit_cached_input_tokens) == (9100, 6040)
    assert usage["summary"].explicit_cached_input_tokens == 0
    assert run.cached_input_tokens == 6040
    assert selectors.run_document(run)["totals"]["cached_input_tokens"] == 6040


# --------------------------------------------------------------------------- usage, sensitivity and equivalents of a run

def _saved(version, analyst, cells, region="france"):
    from calculations.engine.result import InputSummary
    from methodology.selectors import parameter_set_for

    summary = InputSummary(sha256="d" * 64, size_bytes=1, format="yaml", first_day=date(2025, 1, 1),
                           last_day=date(2025, 1, 2), days=2)
    evaluation = services.evaluation_of(version, parameter_set_for(version), summary, cells, region)
    return services.save_run(evaluation, user=analyst, source=RunSource.API)


def test_a_run_s_sensitivity_is_the_swings_of_its_usage_by_profile_in_its_region(methodology_v1, analyst):
    from calculations.engine.analytics import Cell
    from calculations.engine.sensitivity import swings
    from methodology.selectors import parameter_set_for
    from tests.calculations.usage_testing import usage_by_profile

    cells = [Cell(date(2025, 1, 1), "chatbot", 40), Cell(date(2025, 1, 1), "completion", 7, 900, 300),
             Cell(date(2025, 1, 2), "chatbot", 30, 100)]
    run = _saved(methodology_v1, analyst, cells, region="germany")
    found = selectors.run_sensitivity(run)
    assert found == swings(usage_by_profile(cells), parameter_set_for(methodology_v1), "germany")
    assert found != swings(usage_by_profile(cells), parameter_set_for(methodology_v1), "france")


def test_a_run_without_usage_has_no_usage_by_profile_and_only_zero_swings(methodology_v1, analyst):
    run = _saved(methodology_v1, analyst, [])
    assert selectors.run_usage_by_profile(run) == {}
    found = selectors.run_sensitivity(run)
    assert found and all(swing.carbon_swing_gco2e == 0 == swing.energy_swing_kwh for swing in found)


def test_a_total_the_version_does_not_assess_has_no_equivalent(methodology_v1, analyst):
    import dataclasses

    from calculations.engine.analytics import Cell
    from methodology.selectors import parameter_set_for
    from methodology.services import create_version_from_parameters, publish_version

    parameters = parameter_set_for(methodology_v1)  # equivalents of energy, total carbon and water
    electricity_only = dataclasses.replace(
        parameters,
        regions={c: dataclasses.replace(r, wue=None, water_intensity=None) for c, r in parameters.regions.items()},
        models={c: dataclasses.replace(m, embodied_kgco2e=None, lifetime_years=None) for c, m in parameters.models.items()})
    version = publish_version(create_version_from_parameters(electricity_only, label="Electricity only"))
    run = _saved(version, analyst, [Cell(date(2025, 1, 1), "chatbot", 40)])
    assert run.water_l is None and run.carbon_total_gco2e is None
    assert {equivalent.metric for equivalent in parameters.equivalents.values()} == {
        "energy_kwh", "carbon_total_gco2e", "water_l"}
    assert {equivalent.metric for equivalent in selectors.run_equivalents(run)} == {"energy_kwh"}


def test_the_usage_by_profile_of_several_runs_keeps_each_run_s_days_within_the_period(methodology_v1, analyst):
    from calculations.engine.analytics import Cell
    from tests.calculations.usage_testing import usage_by_profile

    first = [Cell(date(2025, 1, day), "chatbot", day, 10 * day if day % 2 else None, 3 * day) for day in (1, 2, 3, 4)]
    first += [Cell(date(2025, 1, 3), "completion", 5)]
    second = [Cell(date(2025, 1, day), "summary", day, None, 7 * day if day % 2 else None) for day in (5, 6, 7)]
    runs = [_saved(methodology_v1, analyst, first), _saved(methodology_v1, analyst, second)]
    usage = selectors.runs_usage_by_profile(runs, date(2025, 1, 2), date(2025, 1, 5))
    assert usage == {runs[0].pk: usage_by_profile(c for c in first if c.day >= date(2025, 1, 2)),
                     runs[1].pk: usage_by_profile(c for c in second if c.day == date(2025, 1, 5))}
    assert selectors.runs_usage_by_profile(runs) == {runs[0].pk: usage_by_profile(first),
                                                     runs[1].pk: usage_by_profile(second)}
