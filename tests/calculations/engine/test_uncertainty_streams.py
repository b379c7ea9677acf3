"""The Monte Carlo's draws against the rule methodology.md section 11 ("Draws") states: a PCG64 stream per
hypothesis, seeded by SeedSequence(seed, spawn_key=k), k the first 16 bytes of the SHA-256 of
"<section>/<code>/<name>" as four little-endian 32-bit words (a region's keyed without its code), and the
triangular inverse distribution function at each uniform number.

Each test starts with the process's draw cache empty: draws kept from an earlier test (or from the
mutation tool's parent process) are served by their law's key and would hide a change to the drawing.
"""

from __future__ import annotations

import hashlib
import math
import struct
from datetime import date

import numpy as np
import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.parameters import Param
from calculations.engine.sensitivity import ProfileUsage
from calculations.engine.uncertainty import new_sampler, profile_draws, simulate, triangular_from_uniform

DAY = date(2025, 1, 1)
N = 1000


pytestmark = pytest.mark.usefixtures("cold_draws")  # engine conftest: no draws kept across tests


def _documented_uniforms(seed: int, key: str, draws: int) -> np.ndarray:
    words = struct.unpack("<4I", hashlib.sha256(key.encode()).digest()[:16])
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=words))).random(draws)


def _documented_draws(seed: int, key: str, law: Param, draws: int = N) -> list[float]:
    low, mode, high = law.low, law.value, law.high
    out = []
    for u in _documented_uniforms(seed, key, draws):
        if u < (mode - low) / (high - low):
            out.append(low + math.sqrt(u * (high - low) * (mode - low)))
        else:
            out.append(high - math.sqrt((1 - u) * (high - low) * (high - mode)))
    return out


@pytest.mark.parametrize("section, code, name, key", [
    ("models", "llm-large-4xh100", "efficiency", "models/llm-large-4xh100/efficiency"),
    ("profiles", "chatbot", "input_tokens", "profiles/chatbot/input_tokens"),
    ("regions", "france", "pue", "regions//pue"),  # a region's hypotheses are keyed without its code
])
@pytest.mark.parametrize("seed", [5001, 7])
def test_a_hypothesis_is_drawn_from_its_documented_stream_through_the_triangular_law(section, code, name, key, seed):
    law = Param(0.5, 0.3, 0.8)
    drawn = new_sampler(N, seed).of(section, code, name, law)
    assert list(drawn) == pytest.approx(_documented_draws(seed, key, law), rel=1e-12)


def test_each_draw_s_driver_bin_is_the_fiftieth_of_0_1_its_uniform_number_falls_in():
    sampler = new_sampler(N, 5001)
    sampler.of("models", "m", "efficiency", Param(0.5, 0.3, 0.8))
    uniforms = _documented_uniforms(5001, "models/m/efficiency", N)
    assert list(sampler.bins[("models", "m", "efficiency")]) == [math.floor(u * 50) for u in uniforms]


@pytest.mark.parametrize("second, second_key", [
    (("models", "other", "efficiency", Param(0.5, 0.3, 0.8)), "models/other/efficiency"),  # the same law
    (("models", "m", "efficiency", Param(0.5, 0.2, 0.8)), "models/m/efficiency"),  # the same stream, low
    (("models", "m", "efficiency", Param(0.6, 0.3, 0.8)), "models/m/efficiency"),  # mode
    (("models", "m", "efficiency", Param(0.5, 0.3, 0.9)), "models/m/efficiency"),  # high
], ids=["other stream", "other low", "other mode", "other high"])
def test_a_hypothesis_drawn_after_another_gets_its_own_draws_never_the_kept_ones(second, second_key):
    new_sampler(N, 5001).of("models", "m", "efficiency", Param(0.5, 0.3, 0.8))  # kept in the draw cache
    *key, law = second
    drawn = new_sampler(N, 5001).of(*key, law)
    assert list(drawn) == pytest.approx(_documented_draws(5001, second_key, law), rel=1e-12)


@pytest.mark.parametrize("u, low, mode, high", [
    (0.0, 0.1, 0.1, 0.7),  # high - sqrt((0.7 - 0.1)^2) is 0.09999999999999998 in floating point
    (float(np.nextafter(1.0, 0.0)), 0.3, 0.9, 0.9),  # 0.3 + sqrt(u (0.9 - 0.3)^2) is 0.9000000000000001
], ids=["low", "high"])
def test_a_draw_at_an_end_of_the_uniform_range_is_the_law_s_bound_never_an_ulp_outside(u, low, mode, high):
    drawn = float(triangular_from_uniform(np.array([u]), low, mode, high)[0])
    assert drawn == (low if u == 0.0 else high)


def test_each_driver_names_its_hypothesis_section_code_and_parameter(fixed_parameters, replace_param):
    params = replace_param(fixed_parameters, "profiles", "chatbot", "input_tokens", Param(400, 200, 800))
    params = replace_param(params, "models", "llm-large-4xh100", "decode_tokens_per_s", Param(1500, 800, 3000))
    params = replace_param(params, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    cells = [Cell(DAY, "chatbot", 1000)]
    drivers = simulate(cells, params, compute(cells, params, "france"), draws=2000).drivers
    assert {(d.section, d.code, d.parameter) for d in drivers} == {
        ("profiles", "chatbot", "input_tokens"), ("models", "llm-large-4xh100", "decode_tokens_per_s"),
        ("regions", "france", "pue")}


def test_the_monte_carlo_is_drawn_in_the_run_s_region_not_the_default_one(fixed_parameters, replace_param):
    # The PUE drawn, so that the percentiles are not clipped onto the one-point bounds of fixed hypotheses.
    assert fixed_parameters.default_region != "germany"
    params = replace_param(fixed_parameters, "regions", "germany", "pue", Param(1.2, 1.1, 1.6))
    cells = [Cell(DAY, "chatbot", 1000)]
    totals = simulate(cells, params, compute(cells, params, "germany"), draws=500).totals
    assert totals["carbon_gco2e"].p50 == pytest.approx(totals["energy_kwh"].p50 * 344.0, rel=1e-12)  # Germany: 344 gCO2e/kWh (version 1)


def test_one_sampler_serving_two_regions_draws_each_region_s_own_hypotheses(fixed_parameters):
    """engine/inventory.py draws several runs of one version, in their own regions, with one sampler."""
    sampler, usage = new_sampler(500, 5001), ProfileUsage(inferences_estimated_input=10, inferences_estimated_output=10)
    france = profile_draws(usage, "chatbot", fixed_parameters, "france", sampler)
    germany = profile_draws(usage, "chatbot", fixed_parameters, "germany", sampler)
    assert germany["carbon_gco2e"][0] == pytest.approx(germany["energy_kwh"][0] * 344.0, rel=1e-12)
    assert france["carbon_gco2e"][0] == pytest.approx(france["energy_kwh"][0] * 44.0, rel=1e-12)
