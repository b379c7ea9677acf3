"""The comparison of two runs: side by side, their differences, and the plain-language reasons."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calculations.models import Run

from .bridge import bridge_view
from .charts import PALETTE, series_chart
from .methodology import changes_rows, region_info
from .numbers import Unit, carbon_unit, energy_unit, integer, number, percent, signed
from .uncertainty import interval_estimate

def _difference(diff: dict, unit: Unit) -> dict[str, str]:
    return {"absolute": signed(diff["absolute"] * unit.factor), "percent": percent(diff["percent"])}


def _with_interval(values: dict, unit: Unit) -> dict[str, str]:
    """One run's estimate with its 90 % interval first, or "not computed" (a run saved before the Monte Carlo)."""
    computed = values.get("p5") is not None
    return interval_estimate(values, values if computed else None, unit, computed=computed, with_unit=False)


def _optional_side_by_side(entry: dict, unit: Unit) -> dict:
    """Each side with its interval, None where not assessed; the difference only when both are."""
    return {
        "a": _with_interval(entry["a"], unit) if entry["a"] is not None else None,
        "b": _with_interval(entry["b"], unit) if entry["b"] is not None else None,
        "difference": _difference(entry["difference"], unit) if entry["difference"] is not None else None,
    }


def comparison(a: Run, b: Run, data: dict) -> dict[str, Any]:
    """selectors.compare_runs formatted, plus the plain-language reasons for the difference."""
    totals = data["totals"]
    energy = energy_unit(max(totals["energy_kwh"]["a"]["value"], totals["energy_kwh"]["b"]["value"]))
    carbon = carbon_unit(max(totals["carbon_gco2e"]["a"]["value"], totals["carbon_gco2e"]["b"]["value"]))

    def side_by_side(entry: dict, unit: Unit) -> dict:
        return {
            "a": _with_interval(entry["a"], unit),
            "b": _with_interval(entry["b"], unit),
            "difference": _difference(entry["difference"], unit),
        }

    profiles = [
        {
            "code": p["profile"],
            "inferences": {"a": integer(p["inferences"]["a"]), "b": integer(p["inferences"]["b"])},
            "energy": side_by_side(p["energy_kwh"], energy),
            "carbon": side_by_side(p["carbon_gco2e"], carbon),
        }
        for p in data["profiles"]
    ]
    explanation = data["explanation"]
    region_a, region_b = region_info(a.methodology_version, a.region), region_info(b.methodology_version, b.region)
    chart = series_chart("grouped", energy, [p["profile"] for p in data["profiles"]], [
        {"label": _("Run #%(id)s") % {"id": run.pk}, "data": [p["energy_kwh"][side]["value"] for p in data["profiles"]],
         "colour": colour}
        for run, side, colour in ((a, "a", PALETTE[0]), (b, "b", PALETTE[1]))
    ])
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "totals": {
            "inferences": {"a": integer(totals["inferences"]["a"]), "b": integer(totals["inferences"]["b"])},
            "energy": side_by_side(totals["energy_kwh"], energy),
            "carbon": side_by_side(totals["carbon_gco2e"], carbon),
            "carbon_market": _optional_side_by_side(totals["carbon_market_gco2e"], carbon),
        },
        "profiles": profiles,
        "regions": {"a": region_a, "b": region_b},
        "changes": changes_rows(explanation["methodology_changes"]),
        "explanation": explanation,
        "bridge": bridge_view(data["bridge"], a.pk, b.pk, energy, carbon),
        "reasons": reasons(a, b, explanation, region_a, region_b, same_results=_same_results(totals)),
        "chart": chart,
    }


def _same_results(totals: dict) -> bool:
    return all(totals[name]["a"] == totals[name]["b"] for name in ("energy_kwh", "carbon_gco2e"))


def reasons(a: Run, b: Run, explanation: dict, region_a: dict, region_b: dict, *, same_results: bool = False
            ) -> list[str]:
    """Why two runs differ, in plain words, most fundamental cause first."""
    found = []
    if not explanation["counts"]["same"]:
        found.append(_("The counted usage differs: the stored daily counts are not the same."))
    elif not explanation["input"]["same"]:
        found.append(_("The files differ (their SHA-256 hashes are not the same: %(format_a)s and %(format_b)s) but "
                       "the counted usage is the same: every daily count is identical.") % {
            "format_a": a.input_format, "format_b": b.input_format})
    if not explanation["period"]["same"]:
        found.append(_("The periods differ: %(a)s → %(b)s for run #%(ida)s, %(c)s → %(d)s for run #%(idb)s.") % {
            "a": a.first_day.isoformat(), "b": a.last_day.isoformat(), "ida": a.pk,
            "c": b.first_day.isoformat(), "d": b.last_day.isoformat(), "idb": b.pk,
        })
    if not explanation["same_methodology"]:
        count = len(explanation["methodology_changes"])
        found.append(ngettext(
            "The methodology differs: version %(a)s and version %(b)s; %(count)d parameter changed between them "
            "(listed below).",
            "The methodology differs: version %(a)s and version %(b)s; %(count)d parameters changed between them "
            "(listed below).",
            count,
        ) % {"a": a.methodology_version.number, "b": b.methodology_version.number, "count": count})
    if not explanation["region"]["same"]:
        text = _("The region differs: %(a)s (PUE %(pue_a)s, %(ci_a)s) and %(b)s (PUE %(pue_b)s, %(ci_b)s).") % {
            "a": region_a["name"], "pue_a": region_a["pue"], "ci_a": region_a["carbon_intensity"],
            "b": region_b["name"], "pue_b": region_b["pue"], "ci_b": region_b["carbon_intensity"],
        }
        if explanation["counts"]["same"] and explanation["same_methodology"]:
            same_pue = region_a.get("pue_value") == region_b.get("pue_value")
            if same_pue:
                text += " " + _("Both have the same PUE, so the energy is the same; the carbon changes with the "
                                "carbon intensity (×%(ratio)s).") % {
                    "ratio": number(region_b["carbon_intensity_value"] / region_a["carbon_intensity_value"])
                    if region_a.get("carbon_intensity_value") else ""
                }
            else:
                text += " " + _("Energy changes with the PUE, carbon with the PUE and the carbon intensity.")
        found.append(text)
    if not found:
        found.append(_("Same analytics, same period, same methodology version and same region: the results are "
                       "identical."))
    elif same_results:
        found.append(_("Energy and carbon, with their ranges, are nevertheless identical: none of these differences "
                       "touches a hypothesis this run depends on."))
    return found
