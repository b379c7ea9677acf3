"""The Monte Carlo of a run (methodology.md section 11): triangular hypotheses, shared draws."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import ESTIMATE_NAMES, compute
from calculations.engine.parameters import Param
from calculations.engine.uncertainty import Uncertainty, first_order_share, percentiles, simulate
from tests.calculations.engine.cached_testing import cached_parameters, without_fraction

DAY = date(2025, 1, 1)
DRAWS = 20_000


def _simulate(cells, parameters, region="france", **options):
    result = compute(cells, parameters, region)
    return result, simulate(cells, parameters, result, **options)


def _triangular_quantile(p, low, mode, high):
    """The closed-form inverse distribution function of the triangular law."""
    if p < (mode - low) / (high - low):
        return low + math.sqrt(p * (high - low) * (mode - low))
    return high - math.sqrt((1 - p) * (high - low) * (high - mode))


def _triangular_density(x, low, mode, high):
    if x < mode:
        return 2 * (x - low) / ((high - low) * (mode - low))
    return 2 * (high - x) / ((high - low) * (high - mode))


def test_a_single_triangular_hypothesis_gives_its_closed_form_percentiles(fixed_parameters, replace_param):
    low, mode, high = 20.0, 56.0, 120.0
    params = replace_param(fixed_parameters, "regions", "france", "carbon_intensity", Param(mode, low, high))
    result, uncertainty = _simulate([Cell(DAY, "chatbot", 1000)], params)
    energy = result.totals.energy_kwh.value
    carbon = uncertainty.totals["carbon_gco2e"]
    for p, figure in ((0.05, carbon.p5), (0.50, carbon.p50), (0.95, carbon.p95)):
        exact = _triangular_quantile(p, low, mode, high)
        # standard error of a sample quantile: sqrt(p (1 - p) / N) / density
        error = math.sqrt(p * (1 - p) / DRAWS) / _triangular_density(exact, low, mode, high)
        assert figure / energy == pytest.approx(exact, abs=4 * error)
    sd = math.sqrt((low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18)
    assert carbon.mean / energy == pytest.approx((low + mode + high) / 3, abs=4 * sd / math.sqrt(DRAWS))


def test_fixed_hypotheses_give_an_interval_of_one_point(fixed_parameters):
    result, uncertainty = _simulate([Cell(DAY, "chatbot", 1000)], fixed_parameters)
    energy = uncertainty.totals["energy_kwh"]
    assert energy.p5 == energy.p95 == pytest.approx(result.totals.energy_kwh.value, rel=1e-12)


def test_the_same_counts_give_bit_identical_figures(default_parameters):
    cells = [Cell(DAY + timedelta(days=d), code, 100 + d) for d in range(30) for code in ("chatbot", "completion")]
    first = _simulate(cells, default_parameters)[1].as_dict()
    assert first == _simulate(cells, default_parameters)[1].as_dict()


def test_the_draws_and_seed_are_recorded(default_parameters):
    uncertainty = _simulate([Cell(DAY, "chatbot", 10)], default_parameters, draws=1000, seed=7)[1]
    assert (uncertainty.draws, uncertainty.seed) == (1000, 7)


def test_another_seed_gives_other_draws(default_parameters):
    cells = [Cell(DAY, "chatbot", 10)]
    assert (_simulate(cells, default_parameters, seed=1)[1].totals["energy_kwh"]
            != _simulate(cells, default_parameters, seed=2)[1].totals["energy_kwh"])


def test_percentiles_lie_within_the_worst_case_bounds(default_parameters):
    cells = [Cell(DAY + timedelta(days=d), code, 50 + 7 * d, input_tokens=None if d % 2 else 60_000)
             for d in range(20) for code in default_parameters.profiles]
    result, uncertainty = _simulate(cells, default_parameters)
    subtotals = [(result.totals, uncertainty.totals)] + [(p, uncertainty.profiles[p.profile]) for p in result.profiles]
    for subtotal, intervals in subtotals:
        for name in ESTIMATE_NAMES:
            bounds, interval = getattr(subtotal, name), intervals[name]
            if bounds is None:  # not assessed (market-based carbon without a market factor)
                assert interval is None
                continue
            assert bounds.low <= interval.p5 <= interval.p50 <= interval.p95 <= bounds.high
            assert bounds.low <= interval.mean <= bounds.high


def test_two_profiles_on_one_model_share_its_draws(fixed_parameters, replace_param):
    # chatbot and summary both run on llm-large-4xh100: its decode throughput moves them together,
    # so the P95 of their sum is the sum of their P95s (comonotone), not less (independent).
    params = replace_param(fixed_parameters, "models", "llm-large-4xh100", "decode_tokens_per_s",
                           Param(1500, 800, 3000))
    assert params.profiles["summary"].model == params.profiles["chatbot"].model
    _, uncertainty = _simulate([Cell(DAY, "chatbot", 1000), Cell(DAY, "summary", 1000)], params)
    profiles = uncertainty.profiles
    assert uncertainty.totals["energy_kwh"].p95 == pytest.approx(
        profiles["chatbot"]["energy_kwh"].p95 + profiles["summary"]["energy_kwh"].p95, rel=1e-9)


def test_explicit_token_counts_are_fixed(fixed_parameters, default_parameters):
    # Only the token averages are uncertain; explicit counts leave nothing to draw.
    params = replace(fixed_parameters, profiles=default_parameters.profiles, _alias_index={})
    cells = [Cell(DAY, "chatbot", 100, input_tokens=150_000, output_tokens=40_000)]
    result, uncertainty = _simulate(cells, params)
    energy = uncertainty.totals["energy_kwh"]
    assert energy.p5 == energy.p95 == pytest.approx(result.totals.energy_kwh.value, rel=1e-12)


def test_sections_8_estimates_are_none_when_not_assessed(default_parameters, replace_param):
    params = replace_param(default_parameters, "regions", "france", "wue", None)
    params = replace_param(params, "regions", "france", "water_intensity", None)
    _, uncertainty = _simulate([Cell(DAY, "chatbot", 10)], params)
    assert uncertainty.totals["water_l"] is None
    assert uncertainty.totals["carbon_total_gco2e"] is not None


def test_the_stored_form_reads_back_equal(default_parameters):
    uncertainty = _simulate([Cell(DAY, "chatbot", 10)], default_parameters, draws=500)[1]
    assert Uncertainty.from_dict(uncertainty.as_dict()) == uncertainty


def test_the_histogram_has_thirty_bins_of_equal_width(default_parameters):
    histogram = _simulate([Cell(DAY, "chatbot", 10)], default_parameters, draws=3000)[1].histogram
    assert (len(histogram.counts), len(histogram.edges)) == (30, 31)
    assert np.diff(histogram.edges) == pytest.approx([(histogram.edges[-1] - histogram.edges[0]) / 30] * 30, rel=1e-9)


def test_the_histogram_counts_every_draw_of_the_total_carbon(default_parameters):
    uncertainty = _simulate([Cell(DAY, "chatbot", 10)], default_parameters, draws=3000)[1]
    assert uncertainty.histogram.metric == "carbon_total_gco2e"
    assert sum(uncertainty.histogram.counts) == 3000
    assert len(uncertainty.histogram.edges) == len(uncertainty.histogram.counts) + 1


def test_the_only_uncertain_hypothesis_drives_all_the_variance(fixed_parameters, replace_param):
    params = replace_param(fixed_parameters, "regions", "france", "pue", Param(1.2, 1.1, 1.6))
    drivers = _simulate([Cell(DAY, "chatbot", 1000)], params)[1].drivers
    assert [(d.code, d.parameter) for d in drivers] == [("france", "pue")]
    assert drivers[0].energy_share == pytest.approx(1.0, abs=0.01)


def test_carbon_intensity_drives_carbon_but_not_energy(default_parameters):
    drivers = {(d.code, d.parameter): d for d in _simulate([Cell(DAY, "chatbot", 10)], default_parameters)[1].drivers}
    assert drivers[("france", "carbon_intensity")].energy_share == 0
    assert drivers[("france", "carbon_intensity")].carbon_share > 0.05


def test_first_order_share_of_an_additive_model_is_its_variance_share():
    rng = np.random.default_rng(1)
    u, v = rng.random(40_000), rng.random(40_000)
    output = 3 * u + v  # Var: 9/12 and 1/12, shares 0.9 and 0.1
    bins = (u * 50).astype(np.uint8)
    assert first_order_share(bins, output) == pytest.approx(0.9, abs=0.01)


@pytest.mark.parametrize("size", [20_000, 1000, 21, 2, 1])
def test_percentiles_are_numpy_s_linear_percentiles(size):
    values = np.random.default_rng(size).lognormal(size=size)
    expected = np.percentile(values, [5, 50, 95])
    assert percentiles(values.copy()) == list(expected)  # bit for bit


def test_percentiles_interpolate_from_the_nearer_neighbour_as_numpy_does():
    # Two values 0.1 and 1.8: the ranks 0.05, 0.5 and 0.95. numpy takes lower + (upper - lower) t below
    # t = 0.5 and upper - (upper - lower)(1 - t) from 0.5 on; the two differ in the last bit here.
    expected = [0.1 + (1.8 - 0.1) * 0.05, 1.8 - (1.8 - 0.1) * 0.5, 1.8 - (1.8 - 0.1) * (1 - 0.95)]
    assert expected == [0.185, 0.9500000000000001, 1.7149999999999999]
    assert percentiles(np.array([0.1, 1.8])) == expected == list(np.percentile([0.1, 1.8], [5, 50, 95]))


def test_a_region_of_the_same_pue_gives_the_same_energy_interval(default_parameters):
    """France and Germany share PUE 1.2 (1.09-1.56) in version 1: the region's PUE is drawn from the same
    uniform numbers (common random numbers), so only carbon changes when a run moves between them."""
    cells = [Cell(DAY, "chatbot", 10), Cell(DAY, "completion", 5)]
    france = _simulate(cells, default_parameters, "france")[1].totals["energy_kwh"]
    germany = _simulate(cells, default_parameters, "germany")[1].totals["energy_kwh"]
    assert france == germany


def test_a_hypothesis_outside_a_quantity_s_formula_drives_none_of_it(default_parameters):
    drivers = _simulate([Cell(DAY, "chatbot", 10)], default_parameters)[1].drivers
    outside = [d for d in drivers if d.parameter in ("embodied_kgco2e", "lifetime_years", "wue")]
    assert outside, "version 1 draws these section-8 hypotheses"
    assert all((d.energy_share, d.carbon_share) == (0, 0) for d in outside)


def test_the_cached_input_fraction_drives_energy_and_carbon_of_cached_usage():
    drivers = _simulate([Cell(DAY, "chat", 10, 100_000, 100, 90_000)], cached_parameters(fixed=True), "r")[1].drivers
    assert [(d.section, d.code, d.parameter) for d in drivers] == [("models", "m", "cached_input_fraction")]
    assert drivers[0].energy_share == pytest.approx(1.0, abs=0.01)
    assert drivers[0].carbon_share == pytest.approx(1.0, abs=0.01)


def test_the_cached_input_fraction_is_not_drawn_for_usage_without_cached_tokens():
    assert _simulate([Cell(DAY, "chat", 10, 100_000, 100)], cached_parameters(fixed=True), "r")[1].drivers == []


def test_the_monte_carlo_of_cached_usage_stays_inside_the_worst_case():
    result, uncertainty = _simulate([Cell(DAY, "chat", 10, 100_000, 100, 90_000)], cached_parameters(), "r")
    energy = uncertainty.totals["energy_kwh"]
    assert result.totals.energy_kwh.low <= energy.p5 < energy.p95 <= result.totals.energy_kwh.high


def _with_uncertain_pue(parameters):
    """The run's PUE drawn (1.1-1.5): the percentiles lie inside the worst-case bounds, not on them, so a
    wrong figure is not clipped back onto the right one (with every hypothesis fixed, the bounds are one point)."""
    region = replace(parameters.regions["r"], pue=Param(1.2, 1.1, 1.5))
    return replace(parameters, regions={"r": region}, _alias_index={})


def test_a_profile_s_explicit_token_counts_of_several_days_are_summed():
    # Two days: 150 000 input tokens of which 110 000 cached, 160 output. At the fraction 0.1 that is the
    # prefill work of 40 000 + 0.1 x 110 000 = 51 000 uncached input tokens on one day.
    parameters = _with_uncertain_pue(cached_parameters(fixed=True, fraction=Param.exact(0.1)))
    days = [Cell(DAY, "chat", 10, 100_000, 100, 90_000), Cell(DAY + timedelta(days=1), "chat", 5, 50_000, 60, 20_000)]
    energy = _simulate(days, parameters, "r")[1].totals["energy_kwh"]
    one_day = _simulate([Cell(DAY, "chat", 15, 51_000, 160)], parameters, "r")[1].totals["energy_kwh"]
    assert energy.as_dict() == pytest.approx(one_day.as_dict(), rel=1e-9)


def test_under_a_version_without_the_cached_fraction_cached_tokens_are_ordinary_input():
    parameters = _with_uncertain_pue(without_fraction(cached_parameters(fixed=True)))
    cached = _simulate([Cell(DAY, "chat", 10, 100_000, 100, 90_000)], parameters, "r")[1].totals["energy_kwh"]
    assert cached == _simulate([Cell(DAY, "chat", 10, 100_000, 100)], parameters, "r")[1].totals["energy_kwh"]
