"""The bridge against an independent computation of its specification (docs/methodology.md section 12).

Here f(S) is not computed from per-profile sums, as bridge.py does, but by running the engine, `compute()`,
on the daily cells of the side S takes usage from, under a methodology assembled group by group from the two
sides; and the Shapley value is the mean of each group's marginal change over the 720 orders in which the six
groups can move from A to B, not the subset formula. Both must give the same factors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import permutations

import pytest

from calculations.engine import bridge
from calculations.engine.analytics import Cell, CellColumns
from calculations.engine.compute import compute
from calculations.engine.parameters import Param, ParameterSet
from calculations.engine.uncertainty import profile_usage

GROUPS = ("usage", "token_sizes", "hardware", "efficiency", "pue", "carbon_intensity")


def cells(days: int, scale: int, explicit: bool) -> CellColumns:
    """Chatbot answers with estimated tokens; summaries with explicit tokens every third day when `explicit`."""
    out = []
    for offset in range(days):
        day = date(2025, 1, 1) + timedelta(days=offset)
        out.append(Cell(day, "chatbot", scale * (10 + offset)))
        tokens = (2000 * (offset + 1), 300 * (offset + 1)) if explicit and offset % 3 == 0 else (None, None)
        out.append(Cell(day, "summary", scale * (2 + offset % 5), *tokens))
    return CellColumns.of(out)


@pytest.fixture
def sides(default_parameters):
    """A: version 1 in France (with a market factor). B: every group changed: more usage and a profile only
    B uses, new token sizes, another GPU power and the summary moved to the completion's model, another
    efficiency, another PUE, Germany's grid."""
    p = default_parameters
    a_parameters = replace(p, regions={**p.regions, "france": replace(
        p.regions["france"], carbon_intensity_market=Param(52, 40, 60))})
    chatbot, summary = p.profiles["chatbot"], p.profiles["summary"]
    chatbot_model = p.models[chatbot.model]
    b_parameters = replace(
        p, version=2,
        profiles={**p.profiles, "chatbot": replace(chatbot, input_tokens=Param(700, 500, 900),
                                                   output_tokens=Param(350, 300, 500)),
                  "summary": replace(summary, model=p.profiles["completion"].model)},
        models={**p.models, chatbot.model: replace(chatbot_model, gpu_power_w=Param(650, 500, 700),
                                                   efficiency=Param(0.45, 0.3, 0.6))},
        regions={**p.regions, "germany": replace(p.regions["germany"], pue=Param(1.3, 1.1, 1.5),
                                                 carbon_intensity_market=Param(610, 500, 700))},
    )
    a_cells = cells(40, 1, explicit=True)
    b_cells = CellColumns.of(list(cells(45, 3, explicit=False))
                             + [Cell(date(2025, 3, 1), "completion", 5000)])
    b_cells = CellColumns.of(sorted(b_cells, key=lambda c: (c.day, c.profile)))
    return (a_cells, a_parameters, "france"), (b_cells, b_parameters, "germany")


def hybrid_totals(chosen: dict[str, tuple]) -> tuple[float, float, float]:
    """f for one choice of side per group, by compute() under a methodology made of the chosen parts."""
    usage_cells = chosen["usage"][0]
    codes = sorted(set(usage_cells.profiles) | set(chosen["token_sizes"][1].profiles))
    models, profiles = {}, {}
    for code in codes:
        hardware, efficiency = chosen["hardware"][1], chosen["efficiency"][1]
        model = hardware.models[hardware.profiles[code].model]
        efficiency_of = efficiency.models[efficiency.profiles[code].model].efficiency
        models[f"m-{code}"] = replace(model, code=f"m-{code}", efficiency=efficiency_of)
        profiles[code] = replace(chosen["token_sizes"][1].profiles[code], model=f"m-{code}")
    grid = chosen["carbon_intensity"][1].regions[chosen["carbon_intensity"][2]]
    pue = chosen["pue"][1].regions[chosen["pue"][2]].pue
    region = replace(grid, code="mixed", pue=pue)
    totals = compute(usage_cells, ParameterSet("mixed", {"mixed": region}, models, profiles), "mixed").totals
    return totals.energy_kwh.value, totals.carbon_gco2e.value, totals.carbon_market_gco2e.value


def shapley_by_orders(a, b) -> list[dict[str, float]]:
    """Per quantity, each group's mean marginal change over every order of the six groups."""
    memo = {}

    def f(moved: frozenset) -> tuple[float, float, float]:
        if moved not in memo:
            memo[moved] = hybrid_totals({g: b if g in moved else a for g in GROUPS})
        return memo[moved]

    sums = [dict.fromkeys(GROUPS, 0.0) for _ in range(3)]
    orders = list(permutations(GROUPS))
    for order in orders:
        moved = frozenset()
        for group in order:
            before, after = f(moved), f(moved | {group})
            for quantity in range(3):
                sums[quantity][group] += after[quantity] - before[quantity]
            moved = moved | {group}
    return [{g: total / len(orders) for g, total in quantity.items()} for quantity in sums]


def test_the_bridge_equals_an_independent_computation_of_its_specification(sides):
    (a_cells, a_parameters, a_region), (b_cells, b_parameters, b_region) = sides
    result = bridge.bridge(bridge.Segment(a_parameters, a_region, profile_usage(a_cells)),
                           bridge.Segment(b_parameters, b_region, profile_usage(b_cells)))
    independent = shapley_by_orders(sides[0], sides[1])
    for quantity, expected in zip((result.energy_kwh, result.carbon_gco2e, result.carbon_market_gco2e), independent):
        scale = max(abs(quantity.a), abs(quantity.b))
        assert quantity.factors == pytest.approx(expected, rel=1e-9, abs=1e-12 * scale)
        assert all(expected[g] != 0 for g in GROUPS if g != "carbon_intensity")
    assert result.energy_kwh.a == pytest.approx(compute(a_cells, a_parameters, a_region).totals.energy_kwh.value,
                                                rel=1e-12)
    assert result.carbon_market_gco2e.b == pytest.approx(
        compute(b_cells, b_parameters, b_region).totals.carbon_market_gco2e.value, rel=1e-12)
    assert independent[0]["carbon_intensity"] == 0 and independent[1]["carbon_intensity"] != 0
