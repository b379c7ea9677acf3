"""The bridge between two runs for people: a waterfall chart per quantity and one sentence per factor
(the data from selectors.run_bridge; docs/methodology.md section 12)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calculations.engine.bridge import GROUPS

from .charts import scaled
from .numbers import Unit, signed

GROUP_LABELS = {
    "usage": gettext_lazy("Usage counted"),
    "token_sizes": gettext_lazy("Token sizes"),
    "hardware": gettext_lazy("Hardware"),
    "efficiency": gettext_lazy("Efficiency η"),
    "pue": gettext_lazy("PUE"),
    "carbon_intensity": gettext_lazy("Carbon intensity"),
}
# Colours of the waterfall (Okabe-Ito): the two totals, a factor that raises, a factor that lowers.
WATERFALL_COLOURS = {"total": "#7F7F7F", "up": "#D55E00", "down": "#0072B2"}


# What one factor did, in the words of its group.
SENTENCES = {
    "usage": gettext_lazy("The usage counted (daily counts and explicit token counts) changes energy by %(energy)s "
                          "and carbon by %(carbon)s."),
    "token_sizes": gettext_lazy("The usage profiles' average token sizes (for counts without explicit tokens) change "
                                "energy by %(energy)s and carbon by %(carbon)s."),
    "hardware": gettext_lazy("The hardware (GPUs, power, throughputs and the model each profile runs on) changes "
                             "energy by %(energy)s and carbon by %(carbon)s."),
    "efficiency": gettext_lazy("The efficiency η of the model profiles changes energy by %(energy)s and carbon by "
                               "%(carbon)s."),
    "pue": gettext_lazy("The datacenter's PUE changes energy by %(energy)s and carbon by %(carbon)s."),
    "carbon_intensity": gettext_lazy("The grid's carbon intensity changes carbon by %(carbon)s; it cannot change "
                                     "energy."),
}


def _amount(value: float, unit: Unit) -> str:
    return f"{signed(value * unit.factor)} {unit.symbol}"


def waterfall_chart(quantity: dict[str, Any], unit: Unit, label_a: str, label_b: str) -> dict[str, Any]:
    """Bars from 0 to A's total, one floating bar per factor from the running total, and B's total."""
    steps, colours, running = [[0.0, scaled(quantity["a"], unit)]], [WATERFALL_COLOURS["total"]], quantity["a"]
    for group in GROUPS:
        factor = quantity["factors"][group]
        steps.append([scaled(running, unit), scaled(running + factor, unit)])
        colours.append(WATERFALL_COLOURS["up" if factor > 0 else "down"])
        running += factor
    steps.append([0.0, scaled(quantity["b"], unit)])
    colours.append(WATERFALL_COLOURS["total"])
    return {
        "kind": "waterfall",
        "unit": unit.symbol,
        "labels": [label_a, *(str(GROUP_LABELS[g]) for g in GROUPS), label_b],
        "steps": steps,
        "changes": [None, *(scaled(quantity["factors"][g], unit) for g in GROUPS), None],
        "colours": colours,
    }


def bridge_view(data: dict[str, Any], a_id: int, b_id: int, energy: Unit, carbon: Unit) -> dict[str, Any]:
    """{"refusal": sentence} when the bridge is refused, else the sentences and the two waterfalls."""
    if "error" in data:
        error = data["error"]
        return {"refusal": _("The change cannot be attributed to factors: usage profile “%(profile)s” of run "
                             "#%(run)s does not exist in methodology v%(version)s of run #%(other)s.") % {
            "profile": error["profile"], "run": error["run"], "version": error["other_version"],
            "other": error["other_run"]}}
    energy_factors, carbon_factors = data["energy_kwh"]["factors"], data["carbon_gco2e"]["factors"]
    label_a, label_b = _("Run #%(id)s") % {"id": a_id}, _("Run #%(id)s") % {"id": b_id}
    return {
        "sentences": [str(SENTENCES[g]) % {"energy": _amount(energy_factors[g], energy),
                                            "carbon": _amount(carbon_factors[g], carbon)} for g in GROUPS],
        "charts": {"energy": waterfall_chart(data["energy_kwh"], energy, label_a, label_b),
                   "carbon": waterfall_chart(data["carbon_gco2e"], carbon, label_a, label_b)},
        "market": market_view(data.get("carbon_market_gco2e"), carbon, label_a, label_b),
    }


def market_view(market: dict[str, Any] | None, carbon: Unit, label_a: str, label_b: str) -> dict[str, Any] | None:
    """The market-based carbon's waterfall and one sentence ("+X: +Y usage counted, +Z carbon intensity"), or
    None when a side does not assess it (nothing is shown: the totals already say "not assessed")."""
    if market is None or market["factors"] is None:
        return None
    parts = ", ".join(f"{_amount(market['factors'][g], carbon)} {GROUP_LABELS[g]}" for g in GROUPS
                      if market["factors"][g])
    return {"chart": waterfall_chart(market, carbon, label_a, label_b),
            "sentence": _("Market-based carbon changes by %(change)s: %(parts)s (the carbon intensity is then the "
                          "regions' market-based factor).") % {
                "change": _amount(market["b"] - market["a"], carbon), "parts": parts or "0"}}
