"""What moves a run's result most: each hypothesis alone from its low to its high value (a tornado chart)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from calculations import selectors
from calculations.models import Run
from methodology.translations import localized_name

from .charts import TORNADO_COLOURS, scaled
from .labels import PARAM_LABELS, PARAM_UNITS, SECTION_LABELS
from .numbers import Unit, number

TORNADO_LIMIT = 10


def _lower_first(text: str) -> str:
    """"Carbon intensity" -> "carbon intensity"; an acronym ("PUE", "WUE") is kept as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def hypothesis_label(section: str, code: str, parameter: str, canonical: dict, version=None) -> tuple[str, str]:
    """("France", "carbon intensity (gCO2e/kWh)"): the entry (a region by its name, a model or usage
    profile by its code) and the parameter with its unit."""
    entry = canonical["regions"].get(code, {}).get("name", code) if section == "regions" else code
    if section == "regions" and version is not None:  # the region's name in the active language
        entry = localized_name(version, "regions", code, entry)
    name = _lower_first(str(PARAM_LABELS.get(parameter, parameter)))
    unit = PARAM_UNITS.get(parameter, "")
    return entry, f"{name} ({unit})" if unit else name


def sensitivity(run: Run, canonical: dict, energy: Unit, carbon: Unit, limit: int = TORNADO_LIMIT
                ) -> dict[str, Any]:
    """What moves this run's result most: each hypothesis alone from its low to its high value, the others
    central (selectors.run_sensitivity, largest carbon swing first), as table rows (all of them) and as the
    data of a tornado chart (the `limit` largest) around the central carbon."""
    rows = []
    for swing in selectors.run_sensitivity(run):
        entry, parameter = hypothesis_label(swing.section, swing.code, swing.parameter, canonical,
                                            run.methodology_version)
        param = canonical.get(swing.section, {}).get(swing.code, {}).get(swing.parameter)
        unit = PARAM_UNITS.get(swing.parameter, "")
        energies = sorted((swing.energy_kwh_at_low, swing.energy_kwh_at_high))
        carbons = sorted((swing.carbon_gco2e_at_low, swing.carbon_gco2e_at_high))
        rows.append({
            "label": f"{entry} · {parameter}",
            "entry": entry,
            "parameter": PARAM_LABELS.get(swing.parameter, swing.parameter),
            "parameter_with_unit": parameter,
            "name": swing.parameter,
            "section": SECTION_LABELS.get(swing.section, swing.section),
            "section_key": swing.section,
            "code": swing.code,
            "low": f"{number(param['low'], 4)} {unit}".strip() if param else "",
            "high": f"{number(param['high'], 4)} {unit}".strip() if param else "",
            "tried": f"{number(param['low'], 4)} → {number(param['high'], 4)} {unit}".strip() if param else "",
            "energy": f"{number(energies[0] * energy.factor)}–{number(energies[1] * energy.factor)}",
            "carbon": f"{number(carbons[0] * carbon.factor)}–{number(carbons[1] * carbon.factor)}",
            "carbon_swing": number(swing.carbon_swing_gco2e * carbon.factor),
            "raises": swing.energy_kwh_at_high >= swing.energy_kwh_at_low,
            "swing": swing,
        })
    shown = [row for row in rows[:limit] if row["swing"].carbon_swing_gco2e > 0]
    chart = tornado_chart(run, shown, carbon) if shown else None
    for row in rows:
        del row["swing"]
    return {"rows": rows, "chart": chart, "shown": len(shown), "unit": carbon.symbol,
            "energy_unit": energy.symbol}



def tornado_chart(run: Run, shown: list[dict[str, Any]], carbon: Unit) -> dict[str, Any]:
    """The carbon of each shown hypothesis at its low and high value, around the run's central carbon."""
    return {
        "kind": "tornado",
        "unit": carbon.symbol,
        "central": scaled(run.carbon_gco2e_value, carbon),
        "central_label": _("Central value"),
        "labels": [row["label"] for row in shown],
        "label_lines": [[row["entry"], row["parameter_with_unit"]] for row in shown],
        "low": [scaled(row["swing"].carbon_gco2e_at_low, carbon) for row in shown],
        "high": [scaled(row["swing"].carbon_gco2e_at_high, carbon) for row in shown],
        "low_values": [row["low"] for row in shown],
        "high_values": [row["high"] for row in shown],
        "low_label": _("Hypothesis at its low value"),
        "high_label": _("Hypothesis at its high value"),
        "colours": TORNADO_COLOURS,
    }
