"""Properties of the engine that any input must satisfy (hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute

PROFILES = ["chatbot", "completion", "search_answer", "summary", "translation"]

cells_strategy = st.lists(
    st.builds(
        Cell,
        day=st.integers(0, 400).map(lambda offset: date(2025, 1, 1) + timedelta(days=offset)),
        profile=st.sampled_from(PROFILES),
        inferences=st.integers(0, 10**9),
        input_tokens=st.one_of(st.none(), st.integers(0, 10**12)),
        output_tokens=st.one_of(st.none(), st.integers(0, 10**12)),
    ),
    min_size=1,
    max_size=60,
    unique_by=lambda c: (c.day, c.profile),
)


def _totals(result):
    t = result.totals
    return (t.inferences, t.input_tokens, t.output_tokens, t.energy_kwh, t.carbon_gco2e)


@settings(max_examples=60, deadline=None)
@given(cells=cells_strategy, data=st.data())
def test_result_does_not_depend_on_record_order(default_parameters, cells, data):
    shuffled = data.draw(st.permutations(cells))
    assert _totals(compute(cells, default_parameters)) == _totals(compute(shuffled, default_parameters))


@settings(max_examples=60, deadline=None)
@given(cells=cells_strategy, split=st.integers(0, 60))
def test_splitting_the_analytics_in_two_and_summing_gives_the_whole(default_parameters, cells, split):
    whole = compute(cells, default_parameters).totals
    first, second = compute(cells[:split] or [], default_parameters).totals, compute(cells[split:], default_parameters).totals
    for name in ("energy_kwh", "carbon_gco2e"):
        for bound in ("value", "low", "high"):
            parts = getattr(getattr(first, name), bound) + getattr(getattr(second, name), bound)
            assert parts == pytest.approx(getattr(getattr(whole, name), bound), rel=1e-9, abs=1e-300)
    assert first.inferences + second.inferences == whole.inferences


@settings(max_examples=60, deadline=None)
@given(cells=cells_strategy)
def test_doubling_every_count_doubles_every_total(default_parameters, cells):
    doubled = [
        Cell(c.day, c.profile, 2 * c.inferences,
             None if c.input_tokens is None else 2 * c.input_tokens,
             None if c.output_tokens is None else 2 * c.output_tokens)
        for c in cells
    ]
    once, twice = compute(cells, default_parameters).totals, compute(doubled, default_parameters).totals
    assert twice.inferences == 2 * once.inferences
    for name in ("energy_kwh", "carbon_gco2e"):
        for bound in ("value", "low", "high"):
            assert getattr(getattr(twice, name), bound) == pytest.approx(2 * getattr(getattr(once, name), bound), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(cells=cells_strategy)
def test_low_is_never_above_value_and_high_never_below(default_parameters, cells):
    for cell in compute(cells, default_parameters).cells:
        assert cell.energy_kwh.low <= cell.energy_kwh.value <= cell.energy_kwh.high
        assert cell.carbon_gco2e.low <= cell.carbon_gco2e.value <= cell.carbon_gco2e.high
