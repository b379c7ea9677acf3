"""What the pages show: numbers formatted for the active language, tables and chart data.

Nothing here computes energy or carbon: it reads stored runs (through the selectors)
and methodology snapshots, picks display units, sums stored daily rows by month
(math.fsum, like the engine) and shapes the data the templates and charts need.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from methodology.selectors import version_canonical
from methodology.serializers import version_detail

from . import selectors
from .engine.catalogue import HYPOTHESES
from .engine.parameters import MODEL_EXTENSION_PARAMS, PARAM_UNITS, REGION_EXTENSION_PARAMS
from .models import BOUNDS, ESTIMATE_NAMES, Run

# Colours of the usage profiles in every chart (colour-blind friendly, Okabe-Ito based).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F7F7F", "#332288",
           "#117733"]

PARAM_LABELS = {
    # The hypotheses' labels are the parameter catalogue's (translated here, marked there).
    **{h.name: gettext_lazy(h.label) for h in HYPOTHESES},
    "name": gettext_lazy("Name"),
    "source": gettext_lazy("Source"),
    "model": gettext_lazy("Model profile"),
    "aliases": gettext_lazy("Aliases"),
    "metric": gettext_lazy("Converts"),
    "unit": gettext_lazy("Unit"),
}
METRIC_LABELS = {
    "energy_kwh": gettext_lazy("energy"),
    "carbon_gco2e": gettext_lazy("carbon (electricity)"),
    "carbon_total_gco2e": gettext_lazy("carbon (electricity and embodied)"),
    "water_l": gettext_lazy("water"),
}
METRIC_UNITS = {"energy_kwh": "kWh", "carbon_gco2e": "gCO2e", "carbon_total_gco2e": "gCO2e", "water_l": "L"}
SECTION_LABELS = {
    "regions": gettext_lazy("Region"),
    "models": gettext_lazy("Model profile"),
    "profiles": gettext_lazy("Usage profile"),
    "default_region": gettext_lazy("Default region"),
    "equivalents": gettext_lazy("Equivalent"),
}
CHANGE_LABELS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
}
MAPPING_RULES = {
    "alias": gettext_lazy("alias"),
    "name": gettext_lazy("name"),
    "type": gettext_lazy("type"),
    "profile_option": gettext_lazy("profile option"),
}
SOURCE_LABELS = {
    "api": gettext_lazy("API"),
    "web": gettext_lazy("Web upload"),
    "cli": gettext_lazy("Command line"),
    "reevaluation": gettext_lazy("Re-evaluation"),
}


# --------------------------------------------------------------------------- numbers


def number(value: float | int | None, significant: int = 3) -> str:
    """A number for people: `significant` digits, whole numbers grouped, in the active locale.

    412.3 -> "412", 0.61437 -> "0.614", 17634.2 -> "17,634" ("17 634" in French).
    """
    if value is None:
        return ""
    if value == 0:
        return formats.number_format(0, 0)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, min(12, significant - 1 - magnitude))
    text = formats.number_format(round(value, decimals), decimals, force_grouping=True)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    if decimals and separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def integer(value: int | float | None) -> str:
    return "" if value is None else formats.number_format(round(value), 0, force_grouping=True)


def percent(value: float | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{number(abs(value))} %"


def signed(value: float) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{number(abs(value))}"


@dataclass(frozen=True)
class Unit:
    """A display unit: `factor` converts the stored unit (kWh, gCO2e) into it."""

    symbol: str
    factor: float


ENERGY_UNITS = (Unit("Wh", 1000.0), Unit("kWh", 1.0), Unit("MWh", 0.001), Unit("GWh", 1e-6))
CARBON_UNITS = (Unit("gCO2e", 1.0), Unit("kgCO2e", 1e-3), Unit("tCO2e", 1e-6))
WATER_UNITS = (Unit("L", 1.0), Unit("m³", 1e-3))


def energy_unit(kwh: float) -> Unit:
    """Wh below 1 kWh, kWh up to 10 MWh, then MWh and GWh."""
    kwh = abs(kwh)
    if kwh < 1:
        return ENERGY_UNITS[0]
    if kwh < 10_000:
        return ENERGY_UNITS[1]
    return ENERGY_UNITS[2] if kwh < 10_000_000 else ENERGY_UNITS[3]


def carbon_unit(grams: float) -> Unit:
    """g below 1 kg, kg below 1 t, then t."""
    grams = abs(grams)
    if grams < 1000:
        return CARBON_UNITS[0]
    return CARBON_UNITS[1] if grams < 1_000_000 else CARBON_UNITS[2]


def water_unit(litres: float) -> Unit:
    return WATER_UNITS[0] if abs(litres) < 10_000 else WATER_UNITS[1]


def estimate(values: dict[str, float], unit: Unit, *, with_unit: bool = True) -> dict[str, str]:
    """{"value": "412", "range": "190–980", "text": "412 kWh (190–980)", "unit": "kWh"}."""
    central = number(values["value"] * unit.factor)
    low, high = number(values["low"] * unit.factor), number(values["high"] * unit.factor)
    spread = f"{low}–{high}"
    text = f"{central} {unit.symbol} ({spread})" if with_unit else f"{central} ({spread})"
    return {"value": central, "range": spread, "text": text, "unit": unit.symbol}


def per_inference(run_like, inferences: int) -> dict[str, dict[str, str]] | None:
    """Energy (Wh) and carbon (g) per inference with their ranges; None when there is no inference."""
    if not inferences:
        return None
    energy = {k: 1000.0 * v / inferences for k, v in run_like.energy_kwh.items()}
    carbon = {k: v / inferences for k, v in run_like.carbon_gco2e.items()}
    return {"energy": estimate(energy, Unit("Wh", 1.0)), "carbon": estimate(carbon, Unit("gCO2e", 1.0))}


def param_text(param: dict[str, float] | None, unit: str = "") -> str:
    """A methodology parameter {"value", "low", "high"} as "1.2 (1.09–1.56)"."""
    if not param:
        return ""
    text = number(param["value"], 4)
    if not (param["low"] == param["value"] == param["high"]):
        text += f" ({number(param['low'], 4)}–{number(param['high'], 4)})"
    return f"{text} {unit}".strip()


# --------------------------------------------------------------------------- methodology


def region_info(version, code: str) -> dict[str, Any]:
    """A run's region as its methodology version defines it (name, PUE, carbon intensity)."""
    entry = version_canonical(version)["regions"].get(code)
    if entry is None:
        return {"code": code, "name": code, "pue": "", "carbon_intensity": ""}
    return {
        "code": code,
        "name": entry["name"],
        "pue": param_text(entry["pue"]),
        "carbon_intensity": param_text(entry["carbon_intensity"], PARAM_UNITS["carbon_intensity"]),
        "pue_value": entry["pue"]["value"],
        "carbon_intensity_value": entry["carbon_intensity"]["value"],
    }


def change_value(value: Any, field: str | None) -> str:
    """One side of a methodology change, for people."""
    if value is None:
        return "—"
    if isinstance(value, dict) and {"value", "low", "high"} <= set(value):
        from calculations.engine.parameters import PARAM_UNITS

        return param_text(value, PARAM_UNITS.get(field or "", ""))
    if isinstance(value, dict):  # a whole entry, added or removed
        return str(value.get("name", ""))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def changes_rows(changes: Iterable[dict]) -> list[dict[str, str]]:
    return [
        {
            "kind": c["kind"],
            "kind_label": CHANGE_LABELS.get(c["kind"], c["kind"]),
            "section": SECTION_LABELS.get(c["section"], c["section"]),
            "code": c["code"] or "",
            "field": PARAM_LABELS.get(c["field"], c["field"]) if c["field"] else "",
            "old": change_value(c["old"], c["field"]),
            "new": change_value(c["new"], c["field"]),
        }
        for c in changes
    ]


def version_sections(detail: dict, equivalents: dict | None = None) -> list[dict]:
    """methodology.serializers.version_detail as tables: one block per entry, one row per parameter;
    `equivalents` is the canonical form's optional section of the same name."""
    from calculations.engine.parameters import (
        MODEL_EXTENSION_PARAMS, MODEL_PARAMS, PROFILE_PARAMS, REGION_EXTENSION_PARAMS, REGION_PARAMS,
    )

    sections = []
    for key, title, names in (
        ("regions", _("Regions"), REGION_PARAMS + REGION_EXTENSION_PARAMS),
        ("models", _("Model profiles"), MODEL_PARAMS + MODEL_EXTENSION_PARAMS),
        ("profiles", _("Usage profiles"), PROFILE_PARAMS),
    ):
        entries = []
        for code, entry in detail[key].items():
            rows = [
                {
                    "name": name,
                    "label": PARAM_LABELS[name],
                    "value": number(entry[name]["value"], 6),
                    "range": f"{number(entry[name]['low'], 6)}–{number(entry[name]['high'], 6)}",
                    "exact": entry[name]["low"] == entry[name]["value"] == entry[name]["high"],
                    "unit": entry[name]["unit"],
                }
                for name in names
                if entry.get(name)  # the optional parameters of methodology.md section 6 may be absent
            ]
            entries.append({
                "code": code,
                "name": entry["name"],
                "source": entry["source"],
                "model": entry.get("model", ""),
                "aliases": entry.get("aliases", []),
                "rows": rows,
                "is_default": key == "regions" and code == detail["default_region"],
            })
        sections.append({"key": key, "title": title, "entries": entries})
    if equivalents:
        entries = []
        for code, entry in sorted(equivalents.items()):
            amount = entry["amount"]
            entries.append({
                "code": code,
                "name": entry["name"],
                "source": entry["source"],
                "model": "",
                "aliases": [],
                "is_default": False,
                "rows": [{
                    "name": "amount",
                    "label": _("%(metric)s per %(unit)s") % {
                        "metric": METRIC_LABELS.get(entry["metric"], entry["metric"]), "unit": entry["unit"]},
                    "value": number(amount["value"], 6),
                    "range": f"{number(amount['low'], 6)}–{number(amount['high'], 6)}",
                    "exact": amount["low"] == amount["value"] == amount["high"],
                    "unit": f"{METRIC_UNITS.get(entry['metric'], '')}/{entry['unit']}",
                }],
            })
        sections.append({"key": "equivalents", "title": _("Equivalents"), "entries": entries})
    return sections


# --------------------------------------------------------------------------- run page


def mapping_text(mapping: dict) -> str:
    """"chatbot ← type chatbot (2 source groups)"."""
    groups = mapping.get("source_groups", 0)
    rule = MAPPING_RULES.get(mapping.get("rule"), mapping.get("rule", ""))
    return ngettext(
        "%(profile)s ← %(rule)s %(matched)s (%(count)d source group)",
        "%(profile)s ← %(rule)s %(matched)s (%(count)d source groups)",
        groups,
    ) % {"profile": mapping.get("profile", ""), "rule": rule, "matched": mapping.get("matched", ""), "count": groups}


def profile_colours(codes: Iterable[str]) -> dict[str, str]:
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def _month(day: date) -> date:
    return day.replace(day=1)


def _fsum_estimates(items: list[tuple[float, float, float]]) -> dict[str, float]:
    return {
        "value": math.fsum(i[0] for i in items),
        "low": math.fsum(i[1] for i in items),
        "high": math.fsum(i[2] for i in items),
    }


_COLUMN = {name: index for index, name in enumerate(selectors.DAILY_FIELDS)}


def daily_and_monthly(run: Run, profiles: list[str], energy: Unit, carbon: Unit,
                      water: Unit | None = None) -> tuple[dict, list[dict]]:
    """One pass over the stored daily rows: the stacked daily chart and the monthly table.

    Each month also carries embodied carbon, usage + embodied carbon and water (formatted in
    `carbon` and `water`), or None when a day of it is not assessed (never 0).
    """
    water = water or water_unit(run.water_l_value or 0.0)
    day_at, profile_at, inferences_at = _COLUMN["day"], _COLUMN["profile"], _COLUMN["inferences"]
    columns = {name: [_COLUMN[f"{name}_{bound}"] for bound in BOUNDS] for name in ESTIMATE_NAMES}
    days: list[date] = []
    per_day: dict[str, dict[date, float]] = {p: {} for p in profiles}
    months: dict[date, dict[str, list]] = defaultdict(lambda: {"inferences": [], **{n: [] for n in ESTIMATE_NAMES}})
    for row in selectors.daily_rows(run):
        day = row[day_at]
        if not days or days[-1] != day:
            days.append(day)
        month = months[_month(day)]
        month["inferences"].append(row[inferences_at])
        for name, at in columns.items():
            month[name].append(tuple(row[i] for i in at))
        per_day.setdefault(row[profile_at], {})[day] = month["energy_kwh"][-1][0]
    colours = profile_colours(per_day)
    daily_chart = {
        "kind": "stacked",
        "unit": energy.symbol,
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {
                "label": code,
                "data": [round(cells.get(d, 0.0) * energy.factor, 9) for d in days],
                "colour": colours[code],
            }
            for code, cells in per_day.items()
        ],
    }
    monthly = []
    for month, sums in sorted(months.items()):
        monthly.append({
            "month": month,
            "inferences": integer(sum(sums["inferences"])),
            "energy": estimate(_fsum_estimates(sums["energy_kwh"]), energy, with_unit=False),
            "carbon": estimate(_fsum_estimates(sums["carbon_gco2e"]), carbon, with_unit=False),
            "embodied": _assessed_sum(sums["embodied_gco2e"], carbon),
            "carbon_total": _assessed_sum(sums["carbon_total_gco2e"], carbon),
            "water": _assessed_sum(sums["water_l"], water),
        })
    return daily_chart, monthly


def _assessed_sum(items: list[tuple], unit: Unit) -> dict[str, str] | None:
    """The sum of optional estimates, or None (not assessed) as soon as one of them is."""
    if not items or any(item[0] is None for item in items):
        return None
    return estimate(_fsum_estimates(items), unit, with_unit=False)


def optional_estimate(values: dict[str, float] | None, unit: Unit | None = None, *, pick=None,
                      with_unit: bool = True) -> dict[str, str] | None:
    """estimate() of a figure that may be "not assessed" (None stays None, never 0); `pick` chooses the
    unit from the central value when `unit` is not given."""
    if values is None:
        return None
    return estimate(values, unit or pick(values["value"]), with_unit=with_unit)


def _profile_rows(run: Run, profile_results: list, canonical: dict, energy: Unit, carbon: Unit,
                  water: Unit | None = None) -> list[dict[str, Any]]:
    colours = profile_colours(p.profile for p in profile_results)
    rows = []
    for p in profile_results:
        row = {
            "code": p.profile,
            "name": canonical["profiles"].get(p.profile, {}).get("name", ""),
            "model": p.model,
            "colour": colours[p.profile],
            "inferences": integer(p.inferences),
            "input_tokens": integer(p.input_tokens),
            "output_tokens": integer(p.output_tokens),
            "energy": estimate(p.energy_kwh, energy, with_unit=False),
            "carbon": estimate(p.carbon_gco2e, carbon, with_unit=False),
            "share": percent_share(p.energy_kwh_value, run.energy_kwh_value),
            "per_inference": per_inference(p, p.inferences),
        }
        if water is not None:
            row.update({
                "embodied": optional_estimate(p.embodied_gco2e, carbon, with_unit=False),
                "carbon_total": optional_estimate(p.carbon_total_gco2e, carbon, with_unit=False),
                "water": optional_estimate(p.water_l, water, with_unit=False),
            })
        rows.append(row)
    return rows


def run_detail(run: Run) -> dict[str, Any]:
    """Everything the run page shows, formatted."""
    energy = energy_unit(run.energy_kwh_value)
    carbon = carbon_unit(run.carbon_gco2e_value)
    canonical = version_canonical(run.methodology_version)
    profile_results = list(run.profile_results.all())
    codes = [p.profile for p in profile_results]
    colours = profile_colours(codes)
    daily_chart, monthly = daily_and_monthly(run, codes, energy, carbon)
    profile_chart = {
        "kind": "range",
        "unit": energy.symbol,
        "labels": codes,
        "value_label": _("Central value"),
        "range_label": _("Range (low–high)"),
        "values": [round(p.energy_kwh_value * energy.factor, 9) for p in profile_results],
        "ranges": [[round(p.energy_kwh_low * energy.factor, 9), round(p.energy_kwh_high * energy.factor, 9)]
                   for p in profile_results],
        "colours": [colours[c] for c in codes],
    }
    what_moves = sensitivity(run, canonical, energy, carbon)
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "headline": {"energy": estimate(run.energy_kwh, energy), "carbon": estimate(run.carbon_gco2e, carbon)},
        "beyond_electricity": beyond_electricity(run),
        "inferences": integer(run.inferences),
        "input_tokens": integer(run.input_tokens),
        "output_tokens": integer(run.output_tokens),
        "per_inference": per_inference(run, run.inferences),
        "profiles": _profile_rows(run, profile_results, canonical, energy, carbon),
        "monthly": monthly,
        "charts": {"daily": daily_chart, "profiles": profile_chart, "tornado": what_moves["chart"]},
        "audit": audit(run),
        "equivalents": everyday_equivalents(run),
        "sensitivity": what_moves,
        "drivers": what_moves["rows"][:6],
    }


def everyday_equivalents(run: Run) -> list[dict[str, Any]]:
    """The run's totals in the sourced equivalents of its methodology version (car km, charges, …)."""
    return [
        {"code": e.code, "name": e.name, "metric": e.metric, "metric_label": METRIC_LABELS.get(e.metric, e.metric),
         "count": estimate(e.count.as_dict(), Unit(e.unit, 1.0))}
        for e in selectors.run_equivalents(run)
    ]


# Colours of the tornado chart: the hypothesis at its low value, at its high value (Okabe-Ito).
TORNADO_COLOURS = {"low": "#0072B2", "high": "#D55E00"}
TORNADO_LIMIT = 10


def _lower_first(text: str) -> str:
    """"Carbon intensity" -> "carbon intensity"; an acronym ("PUE", "WUE") is kept as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def hypothesis_label(section: str, code: str, parameter: str, canonical: dict) -> tuple[str, str]:
    """("France", "carbon intensity (gCO2e/kWh)"): the entry (a region by its name, a model or usage
    profile by its code) and the parameter with its unit."""
    entry = canonical["regions"].get(code, {}).get("name", code) if section == "regions" else code
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
        entry, parameter = hypothesis_label(swing.section, swing.code, swing.parameter, canonical)
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
    chart = None
    if shown:
        chart = {
            "kind": "tornado",
            "unit": carbon.symbol,
            "central": round(run.carbon_gco2e_value * carbon.factor, 9),
            "central_label": _("Central value"),
            "labels": [row["label"] for row in shown],
            "label_lines": [[row["entry"], row["parameter_with_unit"]] for row in shown],
            "low": [round(row["swing"].carbon_gco2e_at_low * carbon.factor, 9) for row in shown],
            "high": [round(row["swing"].carbon_gco2e_at_high * carbon.factor, 9) for row in shown],
            "low_values": [row["low"] for row in shown],
            "high_values": [row["high"] for row in shown],
            "low_label": _("Hypothesis at its low value"),
            "high_label": _("Hypothesis at its high value"),
            "colours": TORNADO_COLOURS,
        }
    for row in rows:
        del row["swing"]
    return {"rows": rows, "chart": chart, "shown": len(shown), "unit": carbon.symbol,
            "energy_unit": energy.symbol}


def beyond_electricity(run: Run) -> dict[str, Any]:
    """Embodied carbon, usage + embodied carbon and water (methodology.md section 6); each None when the
    run's methodology version does not assess it ("not assessed", never 0)."""
    return {
        "embodied": optional_estimate(run.embodied_gco2e, pick=carbon_unit),
        "carbon_total": optional_estimate(run.carbon_total_gco2e, pick=carbon_unit),
        "water": optional_estimate(run.water_l, pick=water_unit),
    }


def percent_share(part: float, whole: float) -> str:
    return f"{number(100.0 * part / whole)} %" if whole else ""


def audit(run: Run) -> dict[str, Any]:
    version = run.methodology_version
    return {
        "version": version,
        "version_url": reverse("methodology:detail", args=[version.number]),
        "methodology_sha256": run.methodology_sha256,
        "region": region_info(version, run.region),
        "input_sha256": run.input_sha256,
        "input_size": integer(run.input_bytes),
        "input_format": run.input_format,
        "first_day": run.first_day,
        "last_day": run.last_day,
        "days": run.days,
        "mappings": [mapping_text(m) for m in run.mappings],
        "profile_option": run.profile_option,
        "engine_version": run.engine_version,
        "user": run.user.get_username() if run.user_id else "",
        "created_at": run.created_at,
        "source": SOURCE_LABELS.get(run.source, run.source),
        "derived_from": run.derived_from,
    }


# --------------------------------------------------------------------------- audit report


def totals_rows(run_like, inferences: int | None = None) -> list[dict[str, Any]]:
    """Energy, usage carbon, embodied carbon, total carbon and water with their ranges, each in its own unit;
    `estimate` is None where the methodology version does not assess the figure. With `inferences`,
    the same figures per inference (Wh, gCO2e, mL)."""
    figures = (
        ("energy", _("Energy"), run_like.energy_kwh, energy_unit, Unit("Wh", 1000.0)),
        ("carbon", _("Carbon, electricity (usage)"), run_like.carbon_gco2e, carbon_unit, Unit("gCO2e", 1.0)),
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
        rows.append({
            "key": key,
            "label": label,
            "estimate": optional_estimate(values, unit),
            "low": number(values["low"] * unit.factor) if values is not None else "",
            "high": number(values["high"] * unit.factor) if values is not None else "",
        })
    return rows


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
    hypotheses = version_sections(version_detail(version), canonical.get("equivalents"))
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
            for total, each in zip(totals_rows(run), totals_rows(run, run.inferences))
        ],
        "inferences": integer(run.inferences),
        "input_tokens": integer(run.input_tokens),
        "output_tokens": integer(run.output_tokens),
        "equivalents": equivalents,
        "profiles": _profile_rows(run, profile_results, canonical, energy, carbon, water),
        "monthly": monthly,
        "charts": {"daily": daily_chart, "tornado": what_moves["chart"]},
        "sensitivity": what_moves,
        "hypotheses": hypotheses,
        "hypothesis_count": sum(len(e["rows"]) for s in hypotheses for e in s["entries"]),
        "audit": audit(run),
        "export_directory": f"methodology-v{version.number}",
    }


# --------------------------------------------------------------------------- periods


def period_label(key: str, *, short: bool = False) -> str:
    """"2025-03" -> "March 2025" ("mars 2025"), short "Mar 2025"; "2025-Q1" -> "Q1 2025" ("T1 2025")."""
    year, _sep, rest = key.partition("-")
    if rest.startswith("Q"):
        return _("Q%(quarter)s %(year)s") % {"quarter": rest[1:], "year": year}
    return formats.date_format(date(int(year), int(rest), 1), "M Y" if short else "YEAR_MONTH_FORMAT")


def _period_sum(rows: list[dict], name: str) -> dict[str, float] | None:
    if not rows or any(row[name] is None for row in rows):
        return None
    return {bound: math.fsum(row[name][bound] for row in rows) for bound in BOUNDS}


def periods(data: dict, runs: list[Run]) -> dict[str, Any]:
    """selectors.period_totals formatted: a row per month or quarter (with a total), one unit per column,
    the chart, the runs with their periods, and warnings when versions or regions are mixed or when
    the runs leave days uncovered between them."""
    rows = data["periods"]
    energy = energy_unit(max((r["energy_kwh"]["value"] for r in rows), default=0.0))
    carbon = carbon_unit(max((max(r["carbon_gco2e"]["value"], (r["carbon_total_gco2e"] or {}).get("value", 0.0))
                              for r in rows), default=0.0))
    water = water_unit(max(((r["water_l"] or {}).get("value", 0.0) for r in rows), default=0.0))

    def formatted(row: dict) -> dict[str, Any]:
        return {
            "energy": optional_estimate(row["energy_kwh"], energy, with_unit=False),
            "carbon": optional_estimate(row["carbon_gco2e"], carbon, with_unit=False),
            "embodied": optional_estimate(row["embodied_gco2e"], carbon, with_unit=False),
            "carbon_total": optional_estimate(row["carbon_total_gco2e"], carbon, with_unit=False),
            "water": optional_estimate(row["water_l"], water, with_unit=False),
        }

    table = [{"key": r["period"], "label": period_label(r["period"]), "inferences": integer(r["inferences"]),
              **formatted(r)} for r in rows]
    total = formatted({name: _period_sum(rows, name) for name in ESTIMATE_NAMES})
    total["inferences"] = integer(sum(r["inferences"] for r in rows))

    def chart(field: str, unit: Unit, colour: str) -> dict[str, Any]:
        return {
            "kind": "range",
            "horizontal": False,
            "unit": unit.symbol,
            "labels": [period_label(r["period"], short=True) for r in rows],
            "value_label": _("Central value"),
            "range_label": _("Range (low–high)"),
            "values": [round(r[field]["value"] * unit.factor, 9) for r in rows],
            "ranges": [[round(r[field]["low"] * unit.factor, 9), round(r[field]["high"] * unit.factor, 9)]
                       for r in rows],
            "colours": [colour] * len(rows),
        }

    # The carbon chart shows usage + embodied carbon when every period has it, usage carbon otherwise.
    carbon_field = "carbon_total_gco2e" if rows and all(r["carbon_total_gco2e"] for r in rows) else "carbon_gco2e"
    ordered = sorted(runs, key=lambda run: (run.first_day, run.last_day))
    gaps = [
        {"after": a, "before": b, "first": a.last_day + timedelta(days=1), "last": b.first_day - timedelta(days=1)}
        for a, b in zip(ordered, ordered[1:]) if (b.first_day - a.last_day).days > 1
    ]
    listed = period_runs(ordered)
    region_names = {row["run"].region: row["region_name"] for row in listed}
    warnings = []
    if len(data["versions"]) > 1:
        warnings.append(_("These runs use different methodology versions (%(versions)s): their periods rest on "
                          "different hypotheses, so a change from one period to the next may come from the "
                          "methodology rather than from the usage.") % {
            "versions": ", ".join(f"v{n}" for n in data["versions"])})
    if len(data["regions"]) > 1:
        warnings.append(_("These runs use different regions (%(regions)s): their periods rest on different "
                          "electricity grids and datacentres.") % {
            "regions": ", ".join(region_names.get(code, code) for code in data["regions"])})
    return {
        "granularity": data["granularity"],
        "units": {"energy": energy.symbol, "carbon": carbon.symbol, "water": water.symbol},
        "rows": table,
        "total": total,
        "charts": {"energy": chart("energy_kwh", energy, PALETTE[0]),
                   "carbon": chart(carbon_field, carbon, "#8C6D1F")},
        "carbon_chart_total": carbon_field == "carbon_total_gco2e",
        "runs": listed,
        "first_day": ordered[0].first_day if ordered else None,
        "last_day": ordered[-1].last_day if ordered else None,
        "warnings": warnings,
        "gaps": gaps,
        "assessed": {name: all(r[name] is not None for r in rows) for name in ESTIMATE_NAMES},
    }


def period_runs(runs: list[Run], *, overlaps: selectors.OverlappingRuns | None = None) -> list[dict[str, Any]]:
    """The runs of a period view in the order of their periods, with their regions' names; with `overlaps`,
    whether each run overlaps another and the ids of the other runs (the view without it)."""
    overlapping = {run.pk for pair in overlaps.pairs for run in pair} if overlaps else set()
    ordered = sorted(runs, key=lambda run: (run.first_day, run.last_day, run.pk))
    return [
        {"run": run, "region_name": region_info(run.methodology_version, run.region)["name"],
         "overlaps": run.pk in overlapping,
         "without": ",".join(str(other.pk) for other in sorted(runs, key=lambda r: r.pk) if other.pk != run.pk)}
        for run in ordered
    ]


def overlap_messages(error: selectors.OverlappingRuns) -> list[str]:
    """Why a period view is refused, pair by pair, in the active language."""
    return [
        _("Run #%(a)s (%(a_first)s → %(a_last)s) and run #%(b)s (%(b_first)s → %(b_last)s) both cover "
          "%(first)s → %(last)s.") % {
            "a": a.pk, "a_first": a.first_day.isoformat(), "a_last": a.last_day.isoformat(),
            "b": b.pk, "b_first": b.first_day.isoformat(), "b_last": b.last_day.isoformat(),
            "first": max(a.first_day, b.first_day).isoformat(), "last": min(a.last_day, b.last_day).isoformat(),
        }
        for a, b in (sorted(pair, key=lambda run: (run.first_day, run.last_day, run.pk)) for pair in error.pairs)
    ]


# --------------------------------------------------------------------------- history


def history_rows(runs: list[Run]) -> dict[str, Any]:
    """The listed runs with their totals, all in the same units so that they read down a column."""
    energy = energy_unit(max((r.energy_kwh_value for r in runs), default=0.0))
    carbon = carbon_unit(max((r.carbon_gco2e_value for r in runs), default=0.0))
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "rows": [
            {
                "run": run,
                "energy": estimate(run.energy_kwh, energy, with_unit=False),
                "carbon": estimate(run.carbon_gco2e, carbon, with_unit=False),
                "inferences": integer(run.inferences),
            }
            for run in runs
        ],
    }


def _run_caption(run: Run) -> str:
    label = f" {run.label[:28]}…" if len(run.label) > 29 else (f" {run.label}" if run.label else "")
    return f"#{run.pk}{label} · {run.first_day.isoformat()} → {run.last_day.isoformat()}"


def history_charts(runs: list[Run]) -> dict[str, dict[str, Any]]:
    """Energy and carbon of the listed runs, in the order of their periods, with ranges."""
    ordered = sorted(runs, key=lambda r: (r.first_day, r.last_day, r.pk))
    energy = energy_unit(max((r.energy_kwh_value for r in ordered), default=0.0))
    carbon = carbon_unit(max((r.carbon_gco2e_value for r in ordered), default=0.0))

    def chart(unit: Unit, field: str, colour: str) -> dict[str, Any]:
        return {
            "kind": "range",
            "unit": unit.symbol,
            "labels": [_run_caption(r) for r in ordered],
            "short_labels": [f"#{r.pk}" for r in ordered],
            "value_label": _("Central value"),
            "range_label": _("Range (low–high)"),
            "values": [round(getattr(r, f"{field}_value") * unit.factor, 9) for r in ordered],
            "ranges": [[round(getattr(r, f"{field}_low") * unit.factor, 9),
                        round(getattr(r, f"{field}_high") * unit.factor, 9)] for r in ordered],
            "colours": [colour] * len(ordered),
        }

    return {"energy": chart(energy, "energy_kwh", PALETTE[0]), "carbon": chart(carbon, "carbon_gco2e", "#8C6D1F")}


# --------------------------------------------------------------------------- comparison


def _difference(diff: dict, unit: Unit) -> dict[str, str]:
    return {"absolute": signed(diff["absolute"] * unit.factor), "percent": percent(diff["percent"])}


def comparison(a: Run, b: Run, data: dict) -> dict[str, Any]:
    """selectors.compare_runs formatted, plus the plain-language reasons for the difference."""
    totals = data["totals"]
    energy = energy_unit(max(totals["energy_kwh"]["a"]["value"], totals["energy_kwh"]["b"]["value"]))
    carbon = carbon_unit(max(totals["carbon_gco2e"]["a"]["value"], totals["carbon_gco2e"]["b"]["value"]))

    def side_by_side(entry: dict, unit: Unit) -> dict:
        return {
            "a": estimate(entry["a"], unit, with_unit=False),
            "b": estimate(entry["b"], unit, with_unit=False),
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
    chart = {
        "kind": "grouped",
        "unit": energy.symbol,
        "labels": [p["profile"] for p in data["profiles"]],
        "datasets": [
            {"label": _("Run #%(id)s") % {"id": a.pk},
             "data": [round(p["energy_kwh"]["a"]["value"] * energy.factor, 9) for p in data["profiles"]],
             "colour": PALETTE[0]},
            {"label": _("Run #%(id)s") % {"id": b.pk},
             "data": [round(p["energy_kwh"]["b"]["value"] * energy.factor, 9) for p in data["profiles"]],
             "colour": PALETTE[1]},
        ],
    }
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "totals": {
            "inferences": {"a": integer(totals["inferences"]["a"]), "b": integer(totals["inferences"]["b"])},
            "energy": side_by_side(totals["energy_kwh"], energy),
            "carbon": side_by_side(totals["carbon_gco2e"], carbon),
        },
        "profiles": profiles,
        "regions": {"a": region_a, "b": region_b},
        "changes": changes_rows(explanation["methodology_changes"]),
        "explanation": explanation,
        "reasons": reasons(a, b, explanation, region_a, region_b, same_results=_same_results(totals)),
        "chart": chart,
    }


def _same_results(totals: dict) -> bool:
    return all(totals[name]["a"] == totals[name]["b"] for name in ("energy_kwh", "carbon_gco2e"))


def reasons(a: Run, b: Run, explanation: dict, region_a: dict, region_b: dict, *, same_results: bool = False
            ) -> list[str]:
    """Why two runs differ, in plain words, most fundamental cause first."""
    found = []
    if not explanation["input"]["same"]:
        found.append(_("The analytics differ (their SHA-256 hashes are not the same): the counted usage is not "
                       "the same."))
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
        if explanation["input"]["same"] and explanation["same_methodology"]:
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
