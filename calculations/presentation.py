"""What the pages show: numbers formatted for the active language, tables and chart data.

Nothing here computes energy or carbon: it reads stored runs (through the selectors)
and methodology snapshots, picks display units, sums stored daily rows by month
(math.fsum, like the engine) and shapes the data the templates and charts need.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from methodology.selectors import version_canonical

from . import selectors
from .models import Run

# Colours of the usage profiles in every chart (colour-blind friendly, Okabe-Ito based).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F7F7F", "#332288",
           "#117733"]

PARAM_LABELS = {
    "pue": gettext_lazy("PUE"),
    "carbon_intensity": gettext_lazy("Carbon intensity"),
    "gpu_count": gettext_lazy("GPU count"),
    "gpu_power_w": gettext_lazy("GPU power"),
    "host_power_w": gettext_lazy("Host power"),
    "prefill_tokens_per_s": gettext_lazy("Prefill throughput"),
    "decode_tokens_per_s": gettext_lazy("Decode throughput"),
    "efficiency": gettext_lazy("Efficiency η"),
    "input_tokens": gettext_lazy("Input tokens per inference"),
    "output_tokens": gettext_lazy("Output tokens per inference"),
    "wue": gettext_lazy("Water usage effectiveness (WUE)"),
    "water_intensity": gettext_lazy("Water intensity of electricity"),
    "embodied_kgco2e": gettext_lazy("Embodied carbon of the hardware"),
    "lifetime_years": gettext_lazy("Hardware lifetime"),
    "name": gettext_lazy("Name"),
    "source": gettext_lazy("Source"),
    "model": gettext_lazy("Model profile"),
    "aliases": gettext_lazy("Aliases"),
    "amount": gettext_lazy("Amount"),
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
        "carbon_intensity": param_text(entry["carbon_intensity"], "gCO2e/kWh"),
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


def daily_and_monthly(run: Run, profiles: list[str], energy: Unit, carbon: Unit) -> tuple[dict, list[dict]]:
    """One pass over the stored daily rows: the stacked daily chart and the monthly table."""
    day_at, profile_at, inferences_at = _COLUMN["day"], _COLUMN["profile"], _COLUMN["inferences"]
    energy_at = [_COLUMN[f"energy_kwh_{bound}"] for bound in ("value", "low", "high")]
    carbon_at = [_COLUMN[f"carbon_gco2e_{bound}"] for bound in ("value", "low", "high")]
    days: list[date] = []
    per_day: dict[str, dict[date, float]] = {p: {} for p in profiles}
    months: dict[date, dict[str, list]] = defaultdict(lambda: {"inferences": [], "energy": [], "carbon": []})
    for row in selectors.daily_rows(run):
        day = row[day_at]
        if not days or days[-1] != day:
            days.append(day)
        energy_values = tuple(row[i] for i in energy_at)
        per_day.setdefault(row[profile_at], {})[day] = energy_values[0]
        month = months[_month(day)]
        month["inferences"].append(row[inferences_at])
        month["energy"].append(energy_values)
        month["carbon"].append(tuple(row[i] for i in carbon_at))
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
            "energy": estimate(_fsum_estimates(sums["energy"]), energy, with_unit=False),
            "carbon": estimate(_fsum_estimates(sums["carbon"]), carbon, with_unit=False),
        })
    return daily_chart, monthly


def run_detail(run: Run) -> dict[str, Any]:
    """Everything the run page shows, formatted."""
    energy = energy_unit(run.energy_kwh_value)
    carbon = carbon_unit(run.carbon_gco2e_value)
    canonical = version_canonical(run.methodology_version)
    profile_results = list(run.profile_results.all())
    codes = [p.profile for p in profile_results]
    colours = profile_colours(codes)
    total_energy = run.energy_kwh_value
    profiles = [
        {
            "code": p.profile,
            "name": canonical["profiles"].get(p.profile, {}).get("name", ""),
            "model": p.model,
            "colour": colours[p.profile],
            "inferences": integer(p.inferences),
            "input_tokens": integer(p.input_tokens),
            "output_tokens": integer(p.output_tokens),
            "energy": estimate(p.energy_kwh, energy, with_unit=False),
            "carbon": estimate(p.carbon_gco2e, carbon, with_unit=False),
            "share": percent_share(p.energy_kwh_value, total_energy),
            "per_inference": per_inference(p, p.inferences),
        }
        for p in profile_results
    ]
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
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "headline": {"energy": estimate(run.energy_kwh, energy), "carbon": estimate(run.carbon_gco2e, carbon)},
        "beyond_electricity": beyond_electricity(run),
        "inferences": integer(run.inferences),
        "input_tokens": integer(run.input_tokens),
        "output_tokens": integer(run.output_tokens),
        "per_inference": per_inference(run, run.inferences),
        "profiles": profiles,
        "monthly": monthly,
        "charts": {"daily": daily_chart, "profiles": profile_chart},
        "audit": audit(run),
        "equivalents": everyday_equivalents(run),
        "drivers": drivers(run, energy, carbon),
    }


def everyday_equivalents(run: Run) -> list[dict[str, Any]]:
    """The run's totals in the sourced equivalents of its methodology version (car km, charges, …)."""
    return [
        {"code": e.code, "name": e.name, "metric": e.metric,
         "count": estimate(e.count.as_dict(), Unit(e.unit, 1.0))}
        for e in selectors.run_equivalents(run)
    ]


def drivers(run: Run, energy: Unit, carbon: Unit, limit: int = 6) -> list[dict[str, Any]]:
    """The hypotheses that move this run's result most: each alone from its low to its high value."""
    rows = []
    for swing in selectors.run_sensitivity(run)[:limit]:
        energies = sorted((swing.energy_kwh_at_low, swing.energy_kwh_at_high))
        carbons = sorted((swing.carbon_gco2e_at_low, swing.carbon_gco2e_at_high))
        rows.append({
            "parameter": PARAM_LABELS.get(swing.parameter, swing.parameter),
            "name": swing.parameter,
            "section": SECTION_LABELS.get(swing.section, swing.section),
            "code": swing.code,
            "energy": f"{number(energies[0] * energy.factor)}–{number(energies[1] * energy.factor)}",
            "carbon": f"{number(carbons[0] * carbon.factor)}–{number(carbons[1] * carbon.factor)}",
            "raises": swing.energy_kwh_at_high >= swing.energy_kwh_at_low,
        })
    return rows


def beyond_electricity(run: Run) -> dict[str, Any] | None:
    """Embodied carbon, usage + embodied carbon and water (methodology.md section 6), or None when the
    run's methodology version does not assess them."""
    embodied, total, water = run.embodied_gco2e, run.carbon_total_gco2e, run.water_l
    if embodied is None and water is None:
        return None
    return {
        "embodied": estimate(embodied, carbon_unit(embodied["value"])) if embodied else None,
        "carbon_total": estimate(total, carbon_unit(total["value"])) if total else None,
        "water": estimate(water, water_unit(water["value"])) if water else None,
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
