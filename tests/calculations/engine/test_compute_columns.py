"""compute()'s results as columns (DailyResults): the same figures whichever way they are read."""

import math
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta

import pytest

from calculations.engine.analytics import Cell, CellColumns
from calculations.engine.compute import ESTIMATE_NAMES, DailyResults, compute
from calculations.engine.parameters import Param

DAY = date(2025, 1, 1)
EMBODIED = ESTIMATE_NAMES.index("embodied_gco2e") * 3  # the embodied value's position in a cell's row


@pytest.fixture(scope="module")
def default_parameters(default_parameters):
    """Version 1 with a market-based factor in France: every figure assessed, none NaN, so that arrays of
    figures compare equal (NaN never equals itself)."""
    regions = dict(default_parameters.regions)
    regions["france"] = replace(regions["france"], carbon_intensity_market=Param(52.0, 40.0, 60.0))
    return replace(default_parameters, regions=regions, _alias_index={})


def year_of_cells(days: int = 365) -> list[Cell]:
    return [
        Cell(DAY + timedelta(days=offset), profile, 10 + offset, tokens, tokens)
        for offset in range(days)
        for profile, tokens in (("chatbot", None), ("completion", 1000 + offset))
    ]


def flat_estimates(cell) -> list:
    return [
        None if getattr(cell, name) is None else getattr(getattr(cell, name), bound)
        for name in ESTIMATE_NAMES
        for bound in ("value", "low", "high")
    ]


def without_embodied_for(parameters, model_code: str):
    """A version where one model has no section 6 figures (embodied carbon not assessed)."""
    models = dict(parameters.models)
    models[model_code] = replace(models[model_code], embodied_kgco2e=None, lifetime_years=None)
    return replace(parameters, models=models, _alias_index={})


def test_each_cell_of_a_run_has_the_figures_of_that_cell_computed_alone(default_parameters):
    cells = year_of_cells(3)
    daily = compute(cells, default_parameters).cells
    for cell, result in zip(cells, daily):
        alone = compute([cell], default_parameters).totals  # a one-cell sum is that cell's figure
        assert flat_estimates(result) == flat_estimates(alone)
        assert (result.day, result.profile, result.inferences) == (cell.day, cell.profile, cell.inferences)


def test_a_slice_holds_the_same_cell_results_as_the_whole(default_parameters):
    daily = compute(year_of_cells(10), default_parameters).cells
    assert list(daily[3:7]) == list(daily)[3:7]
    assert daily[-1] == list(daily)[-1]


def test_results_rebuilt_from_cell_results_hold_the_same_figures(default_parameters):
    daily = compute(year_of_cells(10), default_parameters).cells
    rebuilt = DailyResults.of(list(daily))
    assert rebuilt.figures == daily.figures
    assert rebuilt.cells == daily.cells and rebuilt.input_tokens == daily.input_tokens


def test_estimate_rows_and_columns_agree_with_each_cell(default_parameters):
    daily = compute(year_of_cells(5), default_parameters).cells
    columns = [list(column) for column in daily.estimate_columns()]
    for index, (cell, row) in enumerate(zip(daily, daily.estimate_rows())):
        assert list(row) == flat_estimates(cell) == [column[index] for column in columns]


def test_a_model_without_embodied_figures_leaves_only_its_profile_not_assessed(default_parameters):
    chatbot_model = default_parameters.profiles["chatbot"].model
    assert default_parameters.profiles["completion"].model != chatbot_model
    result = compute(year_of_cells(3), without_embodied_for(default_parameters, chatbot_model))
    by_profile = {p.profile: p for p in result.profiles}
    assert by_profile["chatbot"].embodied_gco2e is None and by_profile["chatbot"].carbon_total_gco2e is None
    assert by_profile["completion"].embodied_gco2e.value > 0
    assert result.totals.embodied_gco2e is None  # a total with a part not assessed is not assessed
    assert result.totals.water_l is not None
    rows = {(c.profile, row[EMBODIED]) for c, row in zip(result.cells, result.cells.estimate_rows())}
    assert {(profile, embodied is None) for profile, embodied in rows} == {("chatbot", True), ("completion", False)}


def test_profile_subtotals_are_exact_sums_of_their_cells(default_parameters):
    result = compute(year_of_cells(), default_parameters)
    completion = [c for c in result.cells if c.profile == "completion"]
    subtotal = next(p for p in result.profiles if p.profile == "completion")
    assert subtotal.energy_kwh.high == math.fsum(c.energy_kwh.high for c in completion)
    assert subtotal.inferences == sum(c.inferences for c in completion)
    assert subtotal.output_tokens == sum(c.output_tokens for c in completion)


def test_cells_in_any_order_give_results_sorted_by_day_and_profile(default_parameters):
    cells = year_of_cells(4)
    shuffled = compute(cells[::-1], default_parameters).cells
    assert [(c.day, c.profile) for c in shuffled] == [(c.day, c.profile) for c in cells]
    assert shuffled.figures == compute(CellColumns.of(cells), default_parameters).cells.figures


def test_fractional_average_tokens_are_whole_when_the_product_is(default_parameters):
    profiles = dict(default_parameters.profiles)
    chatbot = profiles["chatbot"]
    profiles["chatbot"] = replace(chatbot, input_tokens=replace(chatbot.input_tokens, value=1.5))
    parameters = replace(default_parameters, profiles=profiles, _alias_index={})
    daily = compute([Cell(DAY, "chatbot", 2), Cell(DAY + timedelta(days=1), "chatbot", 3)], parameters).cells
    assert daily.input_tokens == [3, 4.5] and type(daily.input_tokens[0]) is int


def test_token_counts_are_whole_numbers_when_every_profile_s_average_is_fractional(default_parameters):
    """No profile with a whole average (the int shortcut never applies): 2 x 1.5 is still the count 3."""
    profiles = {code: replace(profile, input_tokens=replace(profile.input_tokens, value=profile.input_tokens.value + 0.5))
                for code, profile in default_parameters.profiles.items()}
    parameters = replace(default_parameters, profiles=profiles, _alias_index={})
    size = profiles["chatbot"].input_tokens.value
    daily = compute([Cell(DAY, "chatbot", 2), Cell(DAY + timedelta(days=1), "chatbot", 3)], parameters).cells
    assert daily.input_tokens == [2 * size, 3 * size]
    assert type(daily.input_tokens[0]) is int and type(daily.input_tokens[1]) is float


def test_estimated_token_counts_are_the_same_with_or_without_an_explicit_count_beside_them(default_parameters):
    """A run without any explicit count (computed by one product a column) and the same run with one cell's
    explicit input count: every other cell's estimate is inferences x the profile's size either way."""
    size = default_parameters.profiles["chatbot"].input_tokens.value
    cells = [Cell(DAY + timedelta(days=d), "chatbot", 2 + d) for d in range(3)]
    estimated = compute(cells, default_parameters).cells.input_tokens
    cells[0] = Cell(DAY, "chatbot", 2, input_tokens=7)
    mixed = compute(cells, default_parameters).cells.input_tokens
    assert estimated == [2 * size, 3 * size, 4 * size] and mixed == [7, 3 * size, 4 * size]


def test_whole_number_token_sizes_given_as_ints_are_computed_like_floats(default_parameters):
    profiles = dict(default_parameters.profiles)
    chatbot = profiles["chatbot"]
    profiles["chatbot"] = replace(chatbot, input_tokens=Param.exact(2000), output_tokens=Param.exact(400))
    as_ints = replace(default_parameters, profiles=profiles, _alias_index={})
    profiles = dict(profiles, chatbot=replace(chatbot, input_tokens=Param.exact(2000.0), output_tokens=Param.exact(400.0)))
    as_floats = replace(default_parameters, profiles=profiles, _alias_index={})
    cell = [Cell(DAY, "chatbot", 3)]
    assert compute(cell, as_ints).cells.figures == compute(cell, as_floats).cells.figures
    assert compute(cell, as_ints).totals.input_tokens == 6000


def test_the_results_of_a_large_run_hold_about_eighteen_floats_a_cell(default_parameters):
    cells = CellColumns.of(year_of_cells(10_000))  # 20 000 cells
    tracemalloc.start()
    try:
        result = compute(cells, default_parameters)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    per_cell = held / len(cells)
    # 18 figures x 8 bytes, two token columns (a pointer each, an int per computed count): no object per cell
    assert per_cell < 18 * 8 + 2 * 8 + 32 + 16, per_cell
    assert len(result.cells) == len(cells)


def test_estimate_rows_give_one_row_per_cell_the_last_included(default_parameters):
    daily = compute(year_of_cells(3), default_parameters).cells
    rows = list(daily.estimate_rows())
    assert len(rows) == len(daily) == 6
    assert list(rows[-1]) == flat_estimates(daily[-1])


def test_results_rebuilt_from_cell_results_keep_not_assessed_figures_as_none(default_parameters):
    chatbot_model = default_parameters.profiles["chatbot"].model
    daily = compute(year_of_cells(2), without_embodied_for(default_parameters, chatbot_model)).cells
    rebuilt = DailyResults.of(list(daily))
    assert list(rebuilt.estimate_rows()) == list(daily.estimate_rows())
    assert rebuilt[0].embodied_gco2e is None


def test_a_run_result_given_a_list_of_cell_results_holds_them_as_columns(default_parameters):
    result = compute(year_of_cells(2), default_parameters)
    rebuilt = replace(result, cells=list(result.cells))
    assert isinstance(rebuilt.cells, DailyResults)
    assert rebuilt.cells.figures == result.cells.figures


def test_columns_of_different_lengths_are_refused(default_parameters):
    daily = compute(year_of_cells(2), default_parameters).cells
    with pytest.raises(ValueError, match="^daily result columns differ in length$"):
        DailyResults(daily.cells, daily.input_tokens[:-1], daily.output_tokens, daily.figures)


def test_a_slice_with_a_step_is_refused(default_parameters):
    daily = compute(year_of_cells(2), default_parameters).cells
    with pytest.raises(ValueError, match="^daily results slice with a step of 1 only$"):
        daily[::2]


def test_rows_with_figures_not_assessed_match_each_cell_across_chunks(default_parameters, monkeypatch):
    """NaN becomes None a chunk of rows at a time (compute._ROWS_PER_CHUNK): rows on both sides of a
    chunk's edge, assessed and not, are the cells' own estimates."""
    import calculations.engine.compute as compute_module

    monkeypatch.setattr(compute_module, "_ROWS_PER_CHUNK", 4)
    chatbot_model = default_parameters.profiles["chatbot"].model
    daily = compute(year_of_cells(5), without_embodied_for(default_parameters, chatbot_model)).cells
    rows = list(daily.estimate_rows())
    assert len(rows) == len(daily) == 10
    assert all(type(row) is tuple for row in rows)
    assert [list(row) for row in rows] == [flat_estimates(cell) for cell in daily]
    assert rows[0][EMBODIED] is None and rows[1][EMBODIED] is not None
