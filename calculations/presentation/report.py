"""The printable audit report of a run: totals with their ranges, per profile and per month, charts, what
moves the result, every hypothesis of the version with its source, the audit trail."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from calculations.models import Run
from methodology.selectors import version_canonical
from methodology.serializers import version_detail

from .labels import MODEL_EXTENSION_PARAMS, PARAM_LABELS, REGION_EXTENSION_PARAMS
from .methodology import version_sections
from .numbers import Unit, carbon_unit, energy_unit, inference_count, integer, number, optional_estimate, water_unit
from .run_page import audit, daily_and_monthly, everyday_equivalents, profile_rows
from .sensitivity import sensitivity
from .uncertainty import drivers, facts, histogram_chart

def totals_rows(run_like, inferences: int | None = None) -> list[dict[str, Any]]:
    """Energy, usage carbon, embodied carbon, total carbon and water with their ranges, each in its own unit;
    `estimate` is None where the methodology version does not assess the figure. With `inferences`,
    the same figures per inference (Wh, gCO2e, mL)."""
    names = dict(energy="energy_kwh", carbon="carbon_gco2e", carbon_market="carbon_market_gco2e",
                 embodied="embodied_gco2e", carbon_total="carbon_total_gco2e", water="water_l")
    figures = (
        ("energy", _("Energy"), run_like.energy_kwh, energy_unit, Unit("Wh", 1000.0)),
        ("carbon", _("Carbon, electricity (usage), location-based"), run_like.carbon_gco2e, carbon_unit,
         Unit("gCO2e", 1.0)),
        ("carbon_market", _("Carbon, electricity (usage), market-based"), run_like.carbon_market_gco2e,
         carbon_unit, Unit("gCO2e", 1.0)),
        ("embodied", _("Embodied carbon"), run_like.embodied_gco2e, carbon_unit, Unit("gCO2e", 1.0)),
        ("carbon_total", _("Carbon, electricity and embodied"), run_like.carbon_total_gco2e, carbon_unit,
         Unit("gCO2e", 1.0)),
        ("water", _("Water"), run_like.water_l, water_unit, Unit("mL", 1000.0)),
    )
    rows = []
    for key, label, values, pick, per_unit in figures:
        if inferences is not None:
            values = None if values is None or not inferences else {k: v / inferences for k, v in values.items()}
            unit = per_unit
        else:
            unit = pick(values["value"]) if values is not None else None
        interval = run_like.interval(names[key]) if inferences is None else None
        rows.append({
            "key": key,
            "label": label,
            "estimate": optional_estimate(values, unit),
            "low": number(values["low"] * unit.factor) if values is not None else "",
            "high": number(values["high"] * unit.factor) if values is not None else "",
            "interval": _interval_text(interval, unit) if values is not None else "",
        })
    return rows


def _interval_text(interval: dict[str, float] | None, unit: Unit) -> str:
    """"300–700" (P5–P95 in `unit`), or "" when the run's Monte Carlo was not computed."""
    if interval is None:
        return ""
    return f"{number(interval['p5'] * unit.factor)}–{number(interval['p95'] * unit.factor)}"


def _used_entries(run: Run, profile_results: list, equivalents: list[dict]) -> dict[str, set[str]]:
    return {
        "regions": {run.region},
        "models": {p.model for p in profile_results},
        "profiles": {p.profile for p in profile_results},
        "equivalents": {e["code"] for e in equivalents},
    }


def run_report(run: Run) -> dict[str, Any]:
    """Everything the printable audit report shows: totals, per profile and per month, charts, what moves
    the result, every hypothesis of the version with its source, the audit trail and how to reproduce."""
    version = run.methodology_version
    canonical = version_canonical(version)
    profile_results = list(run.profile_results.all())
    codes = [p.profile for p in profile_results]
    energy = energy_unit(run.energy_kwh_value)
    carbon = carbon_unit(max(run.carbon_gco2e_value, run.carbon_total_gco2e_value or 0.0))
    water = water_unit(run.water_l_value or 0.0)
    daily_chart, monthly = daily_and_monthly(run, codes, energy, carbon, water)
    what_moves = sensitivity(run, canonical, energy, carbon)
    equivalents = everyday_equivalents(run)
    hypotheses = version_sections(version_detail(version), canonical.get("equivalents"), version=version)
    used = _used_entries(run, profile_results, equivalents)
    optional = {"regions": REGION_EXTENSION_PARAMS, "models": MODEL_EXTENSION_PARAMS}
    for section in hypotheses:
        for entry in section["entries"]:
            entry["used"] = entry["code"] in used.get(section["key"], ())
            present = {row["name"] for row in entry["rows"]}
            entry["not_assessed"] = [{"name": name, "label": PARAM_LABELS[name]}
                                     for name in optional.get(section["key"], ()) if name not in present]
    return {
        "units": {"energy": energy.symbol, "carbon": carbon.symbol, "water": water.symbol},
        "totals": [
            {**total, "per_inference": each["estimate"]}
            for total, each in zip(totals_rows(run), totals_rows(run, run.inferences if run.inferences_reported else 0))
        ],
        "inferences": inference_count(run.inferences, run.inferences_reported),
        "inferences_reported": run.inferences_reported,
        "generic_models": run.generic_models,
        "input_tokens": integer(run.input_tokens),
        "cached_input_tokens": integer(run.cached_input_tokens) if run.cached_input_tokens else None,
        "output_tokens": integer(run.output_tokens),
        "equivalents": equivalents,
        "profiles": profile_rows(run, profile_results, canonical, energy, carbon, water),
        "monthly": monthly,
        "charts": {"daily": daily_chart, "tornado": what_moves["chart"], "histogram": histogram_chart(run, carbon)},
        "uncertainty": {**facts(run), "drivers": drivers(run, canonical)},
        "sensitivity": what_moves,
        "hypotheses": hypotheses,
        "hypothesis_count": sum(len(e["rows"]) for s in hypotheses for e in s["entries"]),
        "audit": audit(run),
        "export_directory": f"methodology-v{version.number}",
    }

