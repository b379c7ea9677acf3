"""The inventory page: the inventory document (calculations/inventory.py) formatted, in the pages' units."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from calculations.engine.scope import SCOPE_2, SCOPE_3_CAT_1, SCOPE_3_CAT_2, UNDECLARED

from calculations.engine.bridge import GROUPS

from .bridge import GROUP_LABELS, SENTENCES, market_view, waterfall_chart
from .numbers import Unit, carbon_unit, energy_unit, integer, signed
from .uncertainty import interval_estimate

SCOPE_LABELS = {
    SCOPE_2: _("Scope 2 (purchased electricity of own datacentres)"),
    SCOPE_3_CAT_1: _("Scope 3, category 1 (purchased cloud and API services)"),
    SCOPE_3_CAT_2: _("Scope 3, category 2 (capital goods: hardware)"),
    UNDECLARED: _("Scope not declared (the methodology version says nothing of the procurement)"),
}


def _shown(estimate: dict | None, unit: Unit) -> dict | None:
    """An estimate with its 90 % interval first (None: not assessed)."""
    if estimate is None:
        return None
    computed = estimate.get("p5") is not None
    return interval_estimate(estimate, estimate if computed else None, unit, computed=computed, with_unit=False)


def _block(entry: dict, energy: Unit, carbon: Unit) -> dict[str, Any]:
    totals = entry["totals"]
    return {
        "energy": _shown(totals["energy_kwh"], energy),
        "carbon": _shown(totals["carbon_gco2e"], carbon),
        "carbon_market": _shown(totals["carbon_market_gco2e"], carbon),
        "scopes": [{"code": code, "label": SCOPE_LABELS[code],
                    "location": _shown(scope["location_based_gco2e"], carbon),
                    "market": _shown(scope["market_based_gco2e"], carbon)}
                   for code, scope in entry["scopes"].items()],
    }


def scope_rows(scopes: dict[str, dict], carbon: Unit) -> list[dict[str, Any]]:
    """Scope categories of a run (worst-case ranges), as the run page lists them."""
    return [{"code": code, "label": SCOPE_LABELS[code],
             "location": _shown(scope["location_based_gco2e"], carbon),
             "market": _shown(scope["market_based_gco2e"], carbon)} for code, scope in scopes.items()]


def inventory_page(document: dict[str, Any]) -> dict[str, Any]:
    energy = energy_unit(document["totals"]["energy_kwh"]["value"] if document["totals"]["energy_kwh"] else 0.0)
    carbon = carbon_unit(document["totals"]["carbon_gco2e"]["value"] if document["totals"]["carbon_gco2e"] else 0.0)
    projects = []
    for project in document["projects"]:
        projects.append({
            "code": project["project"], "name": project["name"], "runs": project["runs"],
            "days_covered": project["days_covered"],
            **_block(project, energy, carbon),
            "months": [{"month": m["month"], "inferences": integer(m["inferences"]),
                        "energy": _shown(m["energy_kwh"], energy), "carbon": _shown(m["carbon_gco2e"], carbon),
                        "carbon_market": _shown(m["carbon_market_gco2e"], carbon)} for m in project["months"]],
        })
    return {
        "energy_unit": energy.symbol, "carbon_unit": carbon.symbol,
        "start": document["start"], "end": document["end"], "days": document["days"],
        "overall": _block(document, energy, carbon),
        "projects": projects,
        "runs": document["runs"],
        "hypotheses_count": len(document["hypotheses"]),
        "uncertainty": document["uncertainty"],
    }


def bridge_view(data: dict[str, Any], base_label: str, current_label: str) -> dict[str, Any]:
    """The inventory bridge (calculations/inventory_bridge.py) for people: "+X t: +Y usage, −Z hardware, …",
    one sentence per factor and a waterfall per quantity."""
    energy_data, carbon_data = data["bridge"]["energy_kwh"], data["bridge"]["carbon_gco2e"]
    energy = energy_unit(max(energy_data["a"], energy_data["b"]))
    carbon = carbon_unit(max(carbon_data["a"], carbon_data["b"]))

    def amount(value: float, unit: Unit) -> str:
        return f"{signed(value * unit.factor)} {unit.symbol}"

    parts = ", ".join(f"{amount(carbon_data['factors'][g], carbon)} {GROUP_LABELS[g]}" for g in GROUPS
                      if carbon_data["factors"][g])
    return {
        "headline": f"{amount(carbon_data['b'] - carbon_data['a'], carbon)}: {parts or '0'}",
        "sentences": [str(SENTENCES[g]) % {"energy": amount(energy_data["factors"][g], energy),
                                            "carbon": amount(carbon_data["factors"][g], carbon)} for g in GROUPS],
        "charts": {"energy": waterfall_chart(energy_data, energy, base_label, current_label),
                   "carbon": waterfall_chart(carbon_data, carbon, base_label, current_label)},
        "market": market_view(data["bridge"].get("carbon_market_gco2e"), carbon, base_label, current_label),
        "energy_unit": energy.symbol, "carbon_unit": carbon.symbol,
    }
