"""An independent Monte Carlo of the same specification: per cell, per draw, with the standard
library's `random.triangular` and the formulas of methodology.md written out here. It calls
neither `uncertainty` nor `formulas` nor `compute`; the engine's figures must agree with it
within sampling error."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.uncertainty import simulate

NAIVE_DRAWS = 1500
CELLS = [
    Cell(date(2025, 1, 1) + timedelta(days=d), profile, 40 + 13 * d, **explicit)
    for d in range(6)
    for profile, explicit in (("chatbot", {}), ("summary", {"output_tokens": 9000 + d}), ("completion", {}))
]


def _draw(rng: random.Random, param) -> float:
    return param.value if param.low == param.high else rng.triangular(param.low, param.high, param.value)


def _naive_draws(parameters, region_code: str) -> list[tuple[float, float]]:
    """(energy kWh, carbon gCO2e) of the run, once per draw, cell by cell."""
    rng = random.Random(20251127)
    region = parameters.regions[region_code]
    totals = []
    for _ in range(NAIVE_DRAWS):
        pue, ci = _draw(rng, region.pue), _draw(rng, region.carbon_intensity)
        models = {code: {name: _draw(rng, getattr(m, name)) for name in (
            "gpu_count", "gpu_power_w", "host_power_w", "prefill_tokens_per_s", "decode_tokens_per_s", "efficiency")}
            for code, m in parameters.models.items()}
        sizes = {code: (_draw(rng, p.input_tokens), _draw(rng, p.output_tokens)) for code, p in parameters.profiles.items()}
        energy = 0.0
        for cell in CELLS:
            m = models[parameters.profiles[cell.profile].model]
            tokens_in = cell.input_tokens if cell.input_tokens is not None else cell.inferences * sizes[cell.profile][0]
            tokens_out = cell.output_tokens if cell.output_tokens is not None else cell.inferences * sizes[cell.profile][1]
            seconds = tokens_in / m["prefill_tokens_per_s"] + tokens_out / m["decode_tokens_per_s"]
            watts = m["gpu_count"] * m["gpu_power_w"] + m["host_power_w"]
            energy += watts * seconds / m["efficiency"] / 3_600_000 * pue
        totals.append((energy, energy * ci))
    return totals


def _order_statistic_range(sample: list[float], p: float) -> tuple[float, float]:
    """A distribution-free 99.99 % confidence range of the p-quantile: order statistics at n p +- 4 sd."""
    ordered, n = sorted(sample), len(sample)
    spread = 4 * math.sqrt(n * p * (1 - p))
    return ordered[max(0, math.floor(n * p - spread))], ordered[min(n - 1, math.ceil(n * p + spread))]


@pytest.fixture(scope="module")
def both(default_parameters):
    result = compute(CELLS, default_parameters, "france")
    return simulate(CELLS, default_parameters, result), _naive_draws(default_parameters, "france")


@pytest.mark.parametrize("index, name", [(0, "energy_kwh"), (1, "carbon_gco2e")])
def test_percentiles_agree_with_an_independent_monte_carlo(both, index, name):
    engine, naive = both
    sample = [draw[index] for draw in naive]
    interval = engine.totals[name]
    for p, figure in ((0.05, interval.p5), (0.50, interval.p50), (0.95, interval.p95)):
        low, high = _order_statistic_range(sample, p)
        assert low <= figure <= high


@pytest.mark.parametrize("index, name", [(0, "energy_kwh"), (1, "carbon_gco2e")])
def test_mean_agrees_with_an_independent_monte_carlo(both, index, name):
    engine, naive = both
    sample = [draw[index] for draw in naive]
    mean = math.fsum(sample) / len(sample)
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in sample) / (len(sample) - 1))
    assert engine.totals[name].mean == pytest.approx(mean, abs=4 * sd / math.sqrt(len(sample)))
