"""Cached input tokens (methodology.md section 3): the cached subset of the input tokens costs
`cached_input_fraction` of a prefill token; without the fraction, a cached token is an ordinary one.

By hand, with tests/calculations/engine/cached_testing.py's parameters: 10 000 input tokens of which 8 000
cached, and 1 000 output tokens: prefill = 2 000 + 0.1 x 8 000 = 2 800 tokens;
busy = 2 800 / 10 000 + 1 000 / 1 000 = 1.28 s; energy = 1 000 W x 1.28 s / 0.5 / 3 600 000 x 1.2 kWh.
"""

from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from tests.calculations.engine.cached_testing import cached_parameters, without_fraction

DAY = date(2025, 1, 1)
CACHED_KWH = 1000 * (2800 / 10_000 + 1000 / 1000) / 0.5 / 3_600_000 * 1.2
UNCACHED_KWH = 1000 * (10_000 / 10_000 + 1000 / 1000) / 0.5 / 3_600_000 * 1.2
# High bound: fraction 0.5, prefill 5 000 tokens/s, decode 500, 1 200 W, efficiency 0.4, PUE 1.5
CACHED_KWH_HIGH = 1200 * ((2000 + 0.5 * 8000) / 5000 + 1000 / 500) / 0.4 / 3_600_000 * 1.5
# Low bound: fraction 0.05, prefill 20 000 tokens/s, decode 2 000, 800 W, efficiency 0.8, PUE 1.1
CACHED_KWH_LOW = 800 * ((2000 + 0.05 * 8000) / 20_000 + 1000 / 2000) / 0.8 / 3_600_000 * 1.1


def cell(cached=8000) -> Cell:
    return Cell(DAY, "chat", 5, 10_000, 1_000, cached)


def test_cached_input_tokens_cost_their_fraction_of_a_prefill_token():
    energy = compute([cell()], cached_parameters(), "r").totals.energy_kwh
    assert energy.value == pytest.approx(CACHED_KWH, rel=1e-12)


def test_cached_input_tokens_cost_less_than_uncached_ones():
    cached = compute([cell()], cached_parameters(), "r").totals.energy_kwh.value
    uncached = compute([cell(cached=None)], cached_parameters(), "r").totals.energy_kwh.value
    assert uncached == pytest.approx(UNCACHED_KWH, rel=1e-12)
    assert cached < uncached


def test_the_bounds_take_the_fractions_ends():
    energy = compute([cell()], cached_parameters(), "r").totals.energy_kwh
    assert energy.high == pytest.approx(CACHED_KWH_HIGH, rel=1e-12)
    assert energy.low == pytest.approx(CACHED_KWH_LOW, rel=1e-12)


def test_a_version_without_the_fraction_counts_cached_tokens_as_ordinary_input():
    parameters = without_fraction(cached_parameters())
    cached = compute([cell()], parameters, "r").totals
    plain = compute([cell(cached=None)], parameters, "r").totals
    assert cached.energy_kwh == plain.energy_kwh
    assert cached.energy_kwh.value == pytest.approx(UNCACHED_KWH, rel=1e-12)
    assert cached.carbon_gco2e == plain.carbon_gco2e


def test_cached_input_tokens_are_summed_beside_the_input_tokens():
    cells = [cell(), Cell(date(2025, 1, 2), "chat", 5, 3000, 100, 1000), Cell(date(2025, 1, 3), "chat", 5)]
    result = compute(cells, cached_parameters(), "r")
    assert result.totals.cached_input_tokens == 9000
    assert result.profiles[0].cached_input_tokens == 9000
    assert [c.cached_input_tokens for c in result.cells] == [8000, 1000, 0]
