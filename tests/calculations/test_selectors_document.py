"""calculations.selectors.run_document, called directly: a stored run's document is the engine's document of the
same upload, every key of it (docs/mutation-testing.md: the selectors' survivors)."""

from __future__ import annotations

from datetime import date

from calculations import selectors, services
from calculations.engine.analytics import Cell, ProfileMapping
from calculations.engine.compute import compute
from calculations.engine.result import InputSummary
from calculations.models import RunSource
from methodology.selectors import parameter_set_for

CELLS = [Cell(date(2025, 1, 1), "chatbot", 4), Cell(date(2025, 1, 1), "completion", 7, 900, 300, 200),
         Cell(date(2025, 1, 2), "chatbot", 3, 100, 40), Cell(date(2025, 1, 2), "summary", 2)]


def evaluation(version, *, monte_carlo=True, **summary_options) -> services.Evaluation:
    summary = InputSummary(sha256="e" * 64, size_bytes=1234, format="json", first_day=CELLS[0].day,
                           last_day=CELLS[-1].day, days=2, **summary_options)
    parameters = parameter_set_for(version)
    if monte_carlo:
        return services.evaluation_of(version, parameters, summary, CELLS, "france")
    return services.Evaluation(version, parameters, summary, compute(CELLS, parameters, "france"))


def saved(evaluation_, analyst):
    return services.save_run(evaluation_, user=analyst, source=RunSource.API)


def test_a_run_s_document_is_the_engine_s_whole_document(methodology_v1, analyst):
    computed = evaluation(methodology_v1)
    assert selectors.run_document(saved(computed, analyst)) == computed.document()


def test_a_run_s_document_gives_its_uncertainty_and_each_profile_s_interval(methodology_v1, analyst):
    computed = evaluation(methodology_v1)
    document = selectors.run_document(saved(computed, analyst))
    assert document["uncertainty"] == computed.document()["uncertainty"]
    assert document["uncertainty"]["draws"] > 0
    chatbot = next(p for p in document["profiles"] if p["profile"] == "chatbot")
    assert chatbot["carbon_gco2e"]["p95"] is not None
    assert chatbot == next(p for p in computed.document()["profiles"] if p["profile"] == "chatbot")


def test_a_report_without_request_counts_gives_no_inferences_and_names_its_mappings_and_generic_models(
        methodology_v1, analyst):
    mappings = [ProfileMapping("chatbot", "alias", "gpt-4.1", 2)]
    computed = evaluation(methodology_v1, inferences_reported=False, mappings=mappings, generic_models=["o3"])
    document = selectors.run_document(saved(computed, analyst))
    assert document == computed.document()
    assert document["input"]["inferences_reported"] is False
    assert document["input"]["generic_models"] == ["o3"]
    assert document["input"]["mappings"] == [{"profile": "chatbot", "rule": "alias", "matched": "gpt-4.1",
                                              "source_groups": 2}]
    assert document["totals"]["inferences"] is None
    assert {p["inferences"] for p in document["profiles"]} == {None}
    assert {cell["inferences"] for cell in document["daily"]} == {None}


def test_a_run_without_monte_carlo_gives_null_intervals_and_no_uncertainty(methodology_v1, analyst):
    computed = evaluation(methodology_v1, monte_carlo=False)
    document = selectors.run_document(saved(computed, analyst))
    assert document == computed.document()
    assert document["uncertainty"] is None
    assert document["totals"]["energy_kwh"]["p95"] is None


def test_the_daily_cells_are_in_day_then_profile_order_with_cached_tokens_0_when_not_reported(methodology_v1,
                                                                                           analyst):
    document = selectors.run_document(saved(evaluation(methodology_v1), analyst))
    assert [(cell["date"], cell["profile"], cell["cached_input_tokens"]) for cell in document["daily"]] == [
        ("2025-01-01", "chatbot", 0), ("2025-01-01", "completion", 200), ("2025-01-02", "chatbot", 0),
        ("2025-01-02", "summary", 0)]


def test_the_document_without_daily_is_the_document_less_its_daily_cells(methodology_v1, analyst):
    run = saved(evaluation(methodology_v1), analyst)
    whole = selectors.run_document(run)
    whole.pop("daily")
    assert selectors.run_document(run, include_daily=False) == whole
