"""The bridge for people (calculations/presentation/bridge.py): waterfall data and one sentence per factor."""

from __future__ import annotations

import pytest
from django.utils import translation

from calculations.presentation.bridge import bridge_view, waterfall_chart
from calculations.presentation.numbers import Unit

KWH = Unit("kWh", 1.0)
G = Unit("gCO2e", 1.0)
FACTORS = {"usage": 3.0, "token_sizes": -1.0, "hardware": 0.5, "efficiency": 0.0, "pue": 0.25, "carbon_intensity": 0.0}


def test_the_waterfall_runs_from_a_through_each_factor_to_b():
    chart = waterfall_chart({"a": 10.0, "b": 12.75, "factors": FACTORS}, KWH, "Run #1", "Run #2")
    assert chart["steps"] == [[0.0, 10.0], [10.0, 13.0], [13.0, 12.0], [12.0, 12.5], [12.5, 12.5], [12.5, 12.75],
                              [12.75, 12.75], [0.0, 12.75]]
    assert chart["labels"][0] == "Run #1" and chart["labels"][-1] == "Run #2" and len(chart["labels"]) == 8


def test_a_factor_that_lowers_the_result_is_drawn_in_the_lowering_colour():
    chart = waterfall_chart({"a": 10.0, "b": 12.75, "factors": FACTORS}, KWH, "A", "B")
    assert chart["colours"][1] != chart["colours"][2]


def test_one_sentence_per_factor_with_signed_amounts():
    data = {"energy_kwh": {"a": 10.0, "b": 12.75, "factors": FACTORS},
            "carbon_gco2e": {"a": 1.0, "b": 2.0, "factors": {**FACTORS, "carbon_intensity": -2.75}}}
    with translation.override("en"):
        view = bridge_view(data, 1, 2, KWH, G)
    assert len(view["sentences"]) == 6
    assert view["sentences"][0] == ("The usage counted (daily counts and explicit token counts) changes energy by "
                                    "+3 kWh and carbon by +3 gCO2e.")
    assert view["sentences"][5] == "The grid's carbon intensity changes carbon by −2.75 gCO2e; it cannot change energy."


@pytest.mark.parametrize("language, expected", [
    ("en", "usage profile “completion” of run #4 does not exist in methodology v2 of run #5"),
    ("fr", "le profil d’usage « completion » du calcul n° 4 n’existe pas dans la méthodologie v2 du calcul n° 5"),
])
def test_a_refused_bridge_names_the_missing_profile(language, expected):
    refusal = {"error": {"code": "profile_not_in_version", "message": "", "profile": "completion", "run": 4,
                         "other_run": 5, "other_version": 2}}
    with translation.override(language):
        assert expected in bridge_view(refusal, 4, 5, KWH, G)["refusal"]
