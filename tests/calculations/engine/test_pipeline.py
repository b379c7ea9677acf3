"""Parse and compute in one call (calculations/engine/pipeline.py), as the CLI and the library call it.

One model `m` (1 GPU of 3600 W, no host power, 1000 tokens/s, efficiency 1) and usage profile `chat` of
1000 output tokens and no input token: 10 inferences are 10 s at 3600 W, 0.01 kWh at PUE 1 (region `r`,
the default) and 0.02 kWh at PUE 2 (region `s`), 1 g and 2 g at 100 gCO2e/kWh.
"""

from __future__ import annotations

import hashlib

import pytest

from calculations.engine.analytics import AnalyticsError
from calculations.engine.parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile
from calculations.engine.pipeline import UnknownRegion, evaluate
from calculations.engine.uncertainty import DEFAULT_DRAWS

X = Param.exact
CSV = b"date,profile,inferences\n2025-01-01,chat,10\n"


@pytest.fixture(scope="module")
def parameters():
    model = ModelProfile("m", "M", gpu_count=X(1), gpu_power_w=X(3600), host_power_w=X(0),
                         prefill_tokens_per_s=X(1000), decode_tokens_per_s=X(1000), efficiency=X(1.0))
    profiles = {"chat": UsageProfile("chat", "Chat", "m", input_tokens=X(0), output_tokens=X(1000))}
    regions = {"r": Region("r", "R", pue=X(1.0), carbon_intensity=X(100.0)),
               "s": Region("s", "S", pue=X(2.0), carbon_intensity=X(100.0))}
    return ParameterSet("r", regions, {"m": model}, profiles, version=2, sha256="ab" * 32)


def test_the_document_holds_the_hand_computed_totals_in_the_default_region(parameters):
    document = evaluate(CSV, parameters, draws=100)
    assert document["methodology"] == {"version": 2, "sha256": "ab" * 32, "region": "r"}
    assert document["input"]["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert document["totals"]["energy_kwh"]["value"] == pytest.approx(0.01, rel=1e-12)
    assert document["totals"]["carbon_gco2e"]["value"] == pytest.approx(1.0, rel=1e-12)


def test_the_region_given_is_the_one_computed(parameters):
    document = evaluate(CSV, parameters, region="s", draws=100)
    assert document["methodology"]["region"] == "s"
    assert document["totals"]["energy_kwh"]["value"] == pytest.approx(0.02, rel=1e-12)
    assert document["totals"]["energy_kwh"]["p50"] == pytest.approx(0.02, rel=1e-12)


def test_an_unknown_region_is_refused_naming_the_known_ones(parameters):
    with pytest.raises(UnknownRegion) as refused:
        evaluate(CSV, parameters, region="mars")
    assert str(refused.value) == "Unknown region 'mars'; known: r, s."


def test_the_monte_carlo_draws_as_many_samples_as_asked_and_the_default_otherwise(parameters):
    assert evaluate(CSV, parameters, draws=123)["uncertainty"]["draws"] == 123
    assert evaluate(CSV, parameters)["uncertainty"]["draws"] == DEFAULT_DRAWS


def test_the_profile_option_reaches_the_parser(parameters):
    with pytest.raises(AnalyticsError) as refused:
        evaluate(CSV, parameters, profile="chat", draws=100)
    assert "the profile option 'chat' only names the usage profile" in str(refused.value)


def test_the_unknown_models_option_reaches_the_parser(parameters):
    with pytest.raises(AnalyticsError) as refused:
        evaluate(CSV, parameters, unknown_models="other", draws=100)
    assert "unknown_models must be generic; got 'other'" in str(refused.value)


@pytest.mark.parametrize("options", [{"filename": "usage.json"}, {"content_type": "application/json"}])
def test_the_file_name_and_content_type_reach_the_parser(parameters, options):
    with pytest.raises(AnalyticsError):
        evaluate(CSV, parameters, draws=100, **options)
