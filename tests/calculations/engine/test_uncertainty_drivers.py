"""What drives the variance (methodology.md section 11): the first-order Sobol estimator on hand-made draws,
and the run's drivers against the closed-form indices of a product of two triangular hypotheses."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.parameters import Param
from calculations.engine.uncertainty import first_order_share, simulate

DAY = date(2025, 1, 1)


def test_the_share_is_the_variance_of_the_bin_means_less_its_bias_over_the_variance():
    # Output 1, 3 | 5, 7 | 4 in bins 0 | 1 | 2; mean 4, variance (9 + 1 + 1 + 9 + 0) / 5 = 4.
    # Bins 0 and 1 (two draws each; bin 2's single draw has no within-bin variance): means -2 and 2,
    # within-bin variances (9 + 1 - 2 * 4) / 1 = 2 each. Between: (2 * 4 + 2 * 4) / 5 = 3.2;
    # bias: (2 + 2) / 5 = 0.8; share (3.2 - 0.8) / 4 = 0.6.
    share = first_order_share(np.array([0, 0, 1, 1, 2]), np.array([1.0, 3.0, 5.0, 7.0, 4.0]))
    assert share == pytest.approx(0.6, rel=1e-12)


def test_an_output_without_variance_has_no_share_to_give():
    assert first_order_share(np.array([0, 1, 1, 2]), np.array([2.0, 2.0, 2.0, 2.0])) == 0.0


def test_an_output_its_bin_determines_has_a_share_of_exactly_one_never_above():
    # Between and variance are both 0.16 here; their rounding makes the ratio 1.0000000000000002 unclipped.
    share = first_order_share(np.array([0, 0, 0, 1, 1, 1]), np.array([0.1, 0.1, 0.1, 0.9, 0.9, 0.9]))
    assert share == 1.0


def _triangular_moments(low, mode, high):
    return (low + mode + high) / 3, (low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18


@pytest.fixture
def pue_times_intensity(fixed_parameters, replace_param):
    """Carbon = a fixed energy before PUE x PUE (1.1, 1.2, 1.6) x carbon intensity (20, 56, 120)."""
    params = replace_param(fixed_parameters, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    params = replace_param(params, "regions", "france", "carbon_intensity", Param(56.0, 20.0, 120.0))
    cells = [Cell(DAY, "chatbot", 1000)]
    return {(d.section, d.code, d.parameter): d for d in simulate(cells, params, compute(cells, params, "france")).drivers}


def test_the_carbon_shares_of_two_factors_are_their_closed_form_first_order_indices(pue_times_intensity):
    # For Y = X Z, X and Z independent: S_X = E[Z]^2 Var X / Var Y, Var Y = E[X^2] E[Z^2] - E[X]^2 E[Z]^2.
    (mean_x, var_x), (mean_z, var_z) = _triangular_moments(1.1, 1.2, 1.6), _triangular_moments(20.0, 56.0, 120.0)
    var_y = (var_x + mean_x**2) * (var_z + mean_z**2) - mean_x**2 * mean_z**2  # S_pue 0.0641, S_intensity 0.9295
    pue, intensity = pue_times_intensity[("regions", "france", "pue")], pue_times_intensity[("regions", "france", "carbon_intensity")]
    assert pue.carbon_share == pytest.approx(mean_z**2 * var_x / var_y, abs=0.01)
    assert intensity.carbon_share == pytest.approx(mean_x**2 * var_z / var_y, abs=0.01)


def test_drivers_are_listed_by_carbon_share_largest_first(fixed_parameters, replace_param):
    params = replace_param(fixed_parameters, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    params = replace_param(params, "regions", "france", "carbon_intensity", Param(56.0, 20.0, 120.0))
    cells = [Cell(DAY, "chatbot", 1000)]
    drivers = simulate(cells, params, compute(cells, params, "france")).drivers
    assert [d.parameter for d in drivers] == ["carbon_intensity", "pue"]  # carbon shares 0.93 and 0.06


def test_drivers_of_equal_carbon_share_are_listed_by_energy_share_largest_first(fixed_parameters, replace_param):
    # A grid of 0 gCO2e/kWh: no carbon variance, every carbon share 0; PUE (1.1-1.6) moves energy far more
    # than a GPU power within 5 % of its 500 W.
    params = replace_param(fixed_parameters, "regions", "france", "carbon_intensity", Param.exact(0.0))
    params = replace_param(params, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    params = replace_param(params, "models", "llm-large-4xh100", "gpu_power_w", Param(500.0, 475.0, 525.0))
    cells = [Cell(DAY, "chatbot", 1000)]
    drivers = simulate(cells, params, compute(cells, params, "france")).drivers
    assert [(d.parameter, d.carbon_share) for d in drivers] == [("pue", 0.0), ("gpu_power_w", 0.0)]


def test_a_monte_carlo_of_few_draws_leaving_bins_empty_still_names_its_driver(fixed_parameters, replace_param):
    # 20 draws fill at most 20 of the 50 bins; the last bins are empty (UNCERTAINTY_DRAWS may be set that low).
    params = replace_param(fixed_parameters, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    cells = [Cell(DAY, "chatbot", 1000)]
    drivers = simulate(cells, params, compute(cells, params, "france"), draws=20).drivers
    assert [(d.code, d.parameter) for d in drivers] == [("france", "pue")]
    assert 0.0 <= drivers[0].energy_share <= 1.0
