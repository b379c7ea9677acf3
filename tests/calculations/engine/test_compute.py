"""Engine numbers against values computed by hand from methodology.md section 2.

Default version-1 hypotheses: chatbot 1500 in / 400 out tokens (500-4000 / 150-800) on
llm-large-4xh100 (4 GPUs x 500 W (300-700) + 600 W host (400-900), prefill 15 000 tok/s
(8 000-30 000), decode 1 500 tok/s (800-3 000), efficiency 0.5 (0.3-0.8)); France PUE 1.2
(1.09-1.56), 44 gCO2e/kWh (21.7-56).
"""

from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import Estimate, compute
from calculations.engine.formulas import wh_per_inference
from calculations.engine.parameters import Param

DAY = date(2025, 1, 1)

# One chatbot answer at central values, by hand:
# busy_s = 1500/15000 + 400/1500 = 0.1 + 0.266667 = 0.366667 s; power_w = 4*500 + 600 = 2600 W
# energy = 2600 W * 0.366667 s / 0.5 / 3.6e6 * 1.2 = 6.35556e-4 kWh; carbon = * 44 = 0.0279644 g
CHATBOT_KWH = 2600 * (0.1 + 400 / 1500) / 0.5 / 3_600_000 * 1.2
# low: busy = 500/30000 + 150/3000 = 0.0666667; power = 4*300+400 = 1600; eta 0.8; PUE 1.09
CHATBOT_KWH_LOW = 1600 * (500 / 30000 + 150 / 3000) / 0.8 / 3_600_000 * 1.09
# high: busy = 4000/8000 + 800/800 = 1.5; power = 4*700+900 = 3700; eta 0.3; PUE 1.56
CHATBOT_KWH_HIGH = 3700 * 1.5 / 0.3 / 3_600_000 * 1.56


def test_one_chatbot_answer_matches_the_hand_computation(default_parameters):
    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
    energy = result.totals.energy_kwh
    assert energy.value == pytest.approx(6.355556e-4, rel=1e-6)
    assert energy.value == pytest.approx(CHATBOT_KWH, rel=1e-12)
    assert result.totals.carbon_gco2e.value == pytest.approx(CHATBOT_KWH * 44, rel=1e-12)


def test_chatbot_answer_is_near_the_spec_sanity_anchor_of_0_6_wh(default_parameters):
    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
    assert 1000 * result.totals.energy_kwh.value == pytest.approx(0.6, abs=0.05)


def test_completion_is_near_the_spec_sanity_anchor_of_0_014_wh(default_parameters):
    # busy = 300/20000 + 50/2500 = 0.035 s; power = 450 + 150 = 600 W
    expected_kwh = 600 * (300 / 20000 + 50 / 2500) / 0.5 / 3_600_000 * 1.2
    result = compute([Cell(DAY, "completion", 1)], default_parameters, "france")
    assert result.totals.energy_kwh.value == pytest.approx(expected_kwh, rel=1e-12)
    assert 1000 * expected_kwh == pytest.approx(0.014, abs=0.001)


def test_low_bound_takes_every_parameter_at_the_extreme_that_lowers_energy(default_parameters):
    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
    assert result.totals.energy_kwh.low == pytest.approx(CHATBOT_KWH_LOW, rel=1e-12)
    assert result.totals.carbon_gco2e.low == pytest.approx(CHATBOT_KWH_LOW * 21.7, rel=1e-12)


def test_high_bound_takes_every_parameter_at_the_extreme_that_raises_energy(default_parameters):
    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
    assert result.totals.energy_kwh.high == pytest.approx(CHATBOT_KWH_HIGH, rel=1e-12)
    assert result.totals.carbon_gco2e.high == pytest.approx(CHATBOT_KWH_HIGH * 56, rel=1e-12)


def test_energy_scales_with_the_number_of_inferences(default_parameters):
    result = compute([Cell(DAY, "chatbot", 1250)], default_parameters, "france")
    assert result.totals.energy_kwh.value == pytest.approx(1250 * CHATBOT_KWH, rel=1e-12)
    assert result.totals.input_tokens == 1250 * 1500
    assert result.totals.output_tokens == 1250 * 400


def test_explicit_tokens_replace_the_profile_averages_and_carry_no_range(default_parameters):
    # 1100 answers with 1 650 000 input and 420 000 output tokens:
    # busy = 1650000/15000 + 420000/1500 = 110 + 280 = 390 s
    cell = Cell(DAY, "chatbot", 1100, input_tokens=1_650_000, output_tokens=420_000)
    result = compute([cell], default_parameters, "france")
    assert result.totals.energy_kwh.value == pytest.approx(2600 * 390 / 0.5 / 3_600_000 * 1.2, rel=1e-12)
    # the low bound keeps the explicit tokens: busy = 1650000/30000 + 420000/3000 = 55 + 140 = 195 s
    assert result.totals.energy_kwh.low == pytest.approx(1600 * 195 / 0.8 / 3_600_000 * 1.09, rel=1e-12)
    assert result.totals.input_tokens == 1_650_000


def test_one_explicit_token_count_leaves_the_other_estimated(default_parameters):
    cell = Cell(DAY, "chatbot", 10, input_tokens=30_000, output_tokens=None)
    result = compute([cell], default_parameters, "france")
    # busy = 30000/15000 + 10*400/1500 = 2 + 2.666667 s
    assert result.totals.energy_kwh.value == pytest.approx(2600 * (2 + 4000 / 1500) / 0.5 / 3_600_000 * 1.2)
    assert result.totals.output_tokens == 4000


def test_changing_region_changes_pue_and_carbon_intensity(default_parameters):
    france = compute([Cell(DAY, "chatbot", 100)], default_parameters, "france").totals
    germany = compute([Cell(DAY, "chatbot", 100)], default_parameters, "germany").totals
    assert germany.energy_kwh.value == pytest.approx(france.energy_kwh.value)  # same PUE 1.2
    assert germany.carbon_gco2e.value == pytest.approx(france.energy_kwh.value * 344, rel=1e-12)
    world = compute([Cell(DAY, "chatbot", 100)], default_parameters, "world").totals
    assert world.energy_kwh.high == pytest.approx(france.energy_kwh.high * 1.67 / 1.56, rel=1e-12)


def test_default_region_is_used_when_none_is_given(default_parameters):
    assert compute([Cell(DAY, "chatbot", 1)], default_parameters).region.code == "france"


@pytest.mark.parametrize(
    ("section", "code", "name", "factor_on_central"),
    [
        # energy is proportional to power, PUE; inversely to efficiency
        ("models", "llm-large-4xh100", "efficiency", 0.5 / 0.25),
        ("regions", "france", "pue", 2.4 / 1.2),
    ],
)
def test_each_proportional_parameter_scales_energy(default_parameters, replace_param, section, code, name, factor_on_central):
    doubled = {"efficiency": 0.25, "pue": 2.4}[name]
    changed = replace_param(default_parameters, section, code, name, Param.exact(doubled))
    before = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france").totals.energy_kwh.value
    after = compute([Cell(DAY, "chatbot", 1)], changed, "france").totals.energy_kwh.value
    assert after == pytest.approx(before * factor_on_central, rel=1e-12)


def test_gpu_power_and_host_power_enter_through_power_w(default_parameters, replace_param):
    # power_w = 4 * 600 + 600 = 3000 W instead of 2600 W
    changed = replace_param(default_parameters, "models", "llm-large-4xh100", "gpu_power_w", Param.exact(600))
    energy = compute([Cell(DAY, "chatbot", 1)], changed, "france").totals.energy_kwh.value
    assert energy == pytest.approx(3000 * (0.1 + 400 / 1500) / 0.5 / 3_600_000 * 1.2, rel=1e-12)


def test_faster_prefill_lowers_only_the_input_part_of_busy_time(default_parameters, replace_param):
    changed = replace_param(default_parameters, "models", "llm-large-4xh100", "prefill_tokens_per_s", Param.exact(30000))
    energy = compute([Cell(DAY, "chatbot", 1)], changed, "france").totals.energy_kwh.value
    assert energy == pytest.approx(2600 * (1500 / 30000 + 400 / 1500) / 0.5 / 3_600_000 * 1.2, rel=1e-12)


def test_per_profile_totals_and_run_totals_add_up(default_parameters):
    cells = [Cell(DAY, "chatbot", 10), Cell(DAY, "completion", 100), Cell(date(2025, 1, 2), "chatbot", 5)]
    result = compute(cells, default_parameters, "france")
    assert [p.profile for p in result.profiles] == ["chatbot", "completion"]
    chatbot = result.profiles[0]
    assert chatbot.inferences == 15
    assert chatbot.energy_kwh.value == pytest.approx(15 * CHATBOT_KWH, rel=1e-12)
    assert chatbot.model == "llm-large-4xh100"
    assert result.totals.energy_kwh.value == pytest.approx(sum(p.energy_kwh.value for p in result.profiles))
    assert result.totals.inferences == 115


def test_zero_inferences_give_zero_energy(default_parameters):
    # No per-inference ratio then: tests/calculations/test_pages.py, the pages show none.
    result = compute([Cell(DAY, "chatbot", 0)], default_parameters, "france")
    assert result.totals.energy_kwh.value == 0


def test_wh_per_inference_is_1000_times_energy_over_count(default_parameters):
    result = compute([Cell(DAY, "chatbot", 4)], default_parameters, "france")
    energy = result.totals.energy_kwh
    wh = [wh_per_inference(energy.value, 4), wh_per_inference(energy.low, 4), wh_per_inference(energy.high, 4)]
    assert wh == pytest.approx([1000 * CHATBOT_KWH, 1000 * CHATBOT_KWH_LOW, 1000 * CHATBOT_KWH_HIGH], rel=1e-12)


def test_cells_come_out_sorted_by_day_then_profile(default_parameters):
    cells = [Cell(date(2025, 1, 2), "chatbot", 1), Cell(DAY, "summary", 1), Cell(DAY, "chatbot", 1)]
    result = compute(cells, default_parameters, "france")
    assert [(c.day.day, c.profile) for c in result.cells] == [(1, "chatbot"), (1, "summary"), (2, "chatbot")]


def test_compute_leaves_the_garbage_collector_as_it_found_it(default_parameters):
    import gc

    assert gc.isenabled()
    compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
    assert gc.isenabled()
    gc.disable()
    try:
        compute([Cell(DAY, "chatbot", 1)], default_parameters, "france")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_estimate_s_document_gives_its_value_low_and_high_by_name():
    assert Estimate(2.0, 1.5, 3.25).as_dict() == {"value": 2.0, "low": 1.5, "high": 3.25}
