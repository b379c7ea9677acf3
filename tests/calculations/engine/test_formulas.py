"""The formula module against numbers computed by hand (docs/methodology.md sections 5 and 8),
and the same numbers on floats and on numpy arrays (the Monte Carlo's draws)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from calculations.engine import formulas

# One chatbot answer in France (methodology.md section 5.1), step by step.
CHATBOT_BUSY_S = 1500 / 15000 + 400 / 1500  # 0.1 + 0.266 667
CHATBOT_CHARGED_S = CHATBOT_BUSY_S / 0.5  # 0.733 333


def test_estimated_tokens_are_inferences_times_the_profile_size():
    assert formulas.estimated_tokens(1345, 1500) == 2_017_500


def test_busy_time_of_one_chatbot_answer_is_0_366667_replica_seconds():
    assert formulas.busy_replica_seconds(1500, 400, 15000, 1500) == pytest.approx(0.366667, rel=1e-6)


def test_busy_time_of_one_completion_is_0_035_replica_seconds():
    assert formulas.busy_replica_seconds(300, 50, 20000, 2500) == pytest.approx(0.015 + 0.02, rel=1e-15)


def test_power_of_a_4xh100_replica_is_2600_w():
    assert formulas.power_w(4, 500, 600) == 2600


def test_efficiency_doubles_the_charged_time_at_one_half():
    assert formulas.charged_replica_seconds(0.366667, 0.5) == pytest.approx(0.733334, rel=1e-12)


def test_it_energy_of_one_chatbot_answer_is_0_5296_wh():
    # 2 600 W x 0.733 333 s = 1 906.667 J = 0.000 529 630 kWh
    assert formulas.energy_it_kwh(2600, CHATBOT_CHARGED_S) == pytest.approx(0.000529630, rel=1e-6)


def test_facility_energy_of_one_chatbot_answer_in_france_is_0_6356_wh():
    energy_it = formulas.energy_it_kwh(2600, CHATBOT_CHARGED_S)
    assert 1000 * formulas.energy_kwh(energy_it, 1.2) == pytest.approx(0.6356, abs=5e-5)


def test_carbon_of_one_chatbot_answer_in_france_is_0_027964_g():
    assert formulas.carbon_gco2e(0.000635556, 44) == pytest.approx(0.027964, abs=5e-7)


def test_one_completion_in_france_is_0_014_wh_and_0_000616_g():
    energy_it = formulas.energy_it_kwh(formulas.power_w(1, 450, 150), formulas.charged_replica_seconds(0.035, 0.5))
    energy = formulas.energy_kwh(energy_it, 1.2)
    assert energy_it == pytest.approx(42 / 3_600_000, rel=1e-12)
    assert energy == pytest.approx(0.000014, rel=1e-12)
    assert formulas.carbon_gco2e(energy, 44) == pytest.approx(0.000616, rel=1e-12)


def test_embodied_carbon_of_one_chatbot_answer_is_0_0204_g():
    # 3 506 kgCO2e over 4 years = 3 506 000 g / 126 230 400 s; x 0.733 s
    per_second = formulas.embodied_gco2e_per_replica_second(3506, 4)
    assert per_second == pytest.approx(3_506_000 / 126_230_400, rel=1e-12)
    assert formulas.embodied_gco2e(per_second, CHATBOT_CHARGED_S) == pytest.approx(0.0204, abs=5e-5)


def test_total_carbon_adds_electricity_and_embodied_carbon():
    assert formulas.carbon_total_gco2e(0.027964, 0.0204) == pytest.approx(0.048364, rel=1e-12)


def test_water_of_one_chatbot_answer_in_france_is_2_6_ml():
    per_kwh = formulas.water_l_per_kwh_it(0.5, 1.2, 3.67)
    assert per_kwh == pytest.approx(0.5 + 4.404, rel=1e-12)
    assert formulas.water_l(0.00052963, per_kwh) == pytest.approx(0.0026, abs=5e-5)


def test_ratios_per_inference_are_wh_and_g_per_answer():
    assert formulas.wh_per_inference(4 * 0.000635556, 4) == pytest.approx(0.635556, rel=1e-12)
    assert formulas.gco2e_per_inference(4 * 0.027964, 4) == pytest.approx(0.027964, rel=1e-12)


FORMULAS = [function for name, function in inspect.getmembers(formulas, inspect.isfunction)
            if function.__module__ == formulas.__name__]


@pytest.mark.parametrize("formula", FORMULAS, ids=lambda f: f.__name__)
def test_a_formula_gives_the_same_bits_on_numpy_arrays_as_on_floats(formula):
    draws = np.random.default_rng(20_000).uniform(0.05, 5e4, size=(len(inspect.signature(formula).parameters), 2_000))
    on_arrays = formula(*draws)
    on_floats = [formula(*(float(x) for x in column)) for column in draws.T]
    assert isinstance(on_arrays, np.ndarray) and on_arrays.shape == (2_000,)
    assert on_arrays.tolist() == on_floats


@pytest.mark.parametrize("formula", FORMULAS, ids=lambda f: f.__name__)
def test_a_formula_broadcasts_a_float_against_an_array(formula):
    arity = len(inspect.signature(formula).parameters)
    draws = np.random.default_rng(7).uniform(0.05, 5e4, size=(arity, 100))
    mixed = [float(draws[0, 0])] + list(draws[1:])  # one hypothesis fixed, the others drawn
    on_floats = [formula(float(draws[0, 0]), *(float(x) for x in column)) for column in draws[1:].T]
    assert formula(*mixed).tolist() == on_floats


def test_prefill_tokens_count_cached_tokens_at_their_fraction():
    # 1000 input tokens of which 800 cached at 0.1: 200 + 0.1 x 800 = 280 prefill tokens
    assert formulas.prefill_tokens(1000, 800, 0.1) == pytest.approx(280, rel=1e-15)


def test_prefill_tokens_at_fraction_one_are_the_input_tokens():
    assert formulas.prefill_tokens(1000, 800, 1.0) == 1000
