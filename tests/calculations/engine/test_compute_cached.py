"""Cached input tokens (methodology.md section 3): the cached subset of the input tokens costs
`cached_input_fraction` of a prefill token; without the fraction, a cached token is an ordinary one.

By hand, version 1's llm-large-4xh100 (4 x 500 W + 600 W = 2600 W; prefill 15 000 tok/s (8 000-30 000);
decode 1 500 tok/s; efficiency 0.5) in France (PUE 1.2), with a fraction of 0.1 (0.05-0.5):
10 000 input tokens of which 8 000 cached and 1 000 output tokens:
prefill = 2 000 + 0.1 x 8 000 = 2 800 tokens; busy = 2 800 / 15 000 + 1 000 / 1 500 s.
"""

from dataclasses import replace
from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.parameters import Param

DAY = date(2025, 1, 1)
MODEL = "llm-large-4xh100"
CACHED_KWH = 2600 * (2800 / 15000 + 1000 / 1500) / 0.5 / 3_600_000 * 1.2
UNCACHED_KWH = 2600 * (10000 / 15000 + 1000 / 1500) / 0.5 / 3_600_000 * 1.2
# High bound: fraction 0.5 and prefill 8 000 tok/s, decode 800, 4 x 700 + 900 W, efficiency 0.3, PUE 1.56
CACHED_KWH_HIGH = 3700 * ((2000 + 0.5 * 8000) / 8000 + 1000 / 800) / 0.3 / 3_600_000 * 1.56


@pytest.fixture(scope="module")
def with_fraction(default_parameters):
    models = dict(default_parameters.models)
    models[MODEL] = replace(models[MODEL], cached_input_fraction=Param(0.1, 0.05, 0.5))
    return replace(default_parameters, models=models, _alias_index={})


def cell(cached=8000) -> Cell:
    return Cell(DAY, "chatbot", 5, 10_000, 1_000, cached)


def test_cached_input_tokens_cost_their_fraction_of_a_prefill_token(with_fraction):
    energy = compute([cell()], with_fraction, "france").totals.energy_kwh
    assert energy.value == pytest.approx(CACHED_KWH, rel=1e-12)


def test_cached_input_tokens_cost_less_than_uncached_ones(with_fraction):
    cached = compute([cell()], with_fraction, "france").totals.energy_kwh.value
    uncached = compute([cell(cached=None)], with_fraction, "france").totals.energy_kwh.value
    assert uncached == pytest.approx(UNCACHED_KWH, rel=1e-12)
    assert cached < uncached


def test_the_high_bound_takes_the_fractions_high_end(with_fraction):
    energy = compute([cell()], with_fraction, "france").totals.energy_kwh
    assert energy.high == pytest.approx(CACHED_KWH_HIGH, rel=1e-12)


def test_a_version_without_the_fraction_counts_cached_tokens_as_ordinary_input(default_parameters):
    cached = compute([cell()], default_parameters, "france").totals
    plain = compute([cell(cached=None)], default_parameters, "france").totals
    assert cached.energy_kwh == plain.energy_kwh
    assert cached.carbon_gco2e == plain.carbon_gco2e


def test_cached_input_tokens_are_summed_beside_the_input_tokens(with_fraction):
    cells = [cell(), Cell(date(2025, 1, 2), "chatbot", 5, 3000, 100, 1000), Cell(date(2025, 1, 3), "chatbot", 5)]
    result = compute(cells, with_fraction, "france")
    assert result.totals.cached_input_tokens == 9000
    assert result.profiles[0].cached_input_tokens == 9000
    assert [c.cached_input_tokens for c in result.cells] == [8000, 1000, 0]
