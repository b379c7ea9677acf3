"""The run page: headline figures, per profile and per month, charts, equivalents and the audit trail.

Nothing here computes energy or carbon: it reads the stored run (through the selectors) and its
methodology snapshot, picks display units, and sums stored daily rows by month (math.fsum, like
the engine)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from calculations import selectors
from calculations.inventory import run_scopes
from calculations.models import BOUNDS, ESTIMATE_NAMES, Run
from methodology.selectors import version_canonical
from methodology.translations import localized_name

from .charts import profile_colours, range_chart, series_chart
from .labels import MAPPING_RULES, METRIC_LABELS, SOURCE_LABELS
from .methodology import region_info
from .numbers import (
    Unit, carbon_unit, energy_unit, estimate, fsum_estimates, inference_count, integer, per_inference,
    percent_share, water_unit,
)
from .sensitivity import sensitivity
from .inventory import scope_rows
from .uncertainty import drivers, facts, histogram_chart, run_interval

def mapping_text(mapping: dict) -> str:
    """"chatbot ← type chatbot (2 source groups)"."""
    groups = mapping.get("source_groups", 0)
    rule = MAPPING_RULES.get(mapping.get("rule"), mapping.get("rule", ""))
    return ngettext(
        "%(profile)s ← %(rule)s %(matched)s (%(count)d source group)",
        "%(profile)s ← %(rule)s %(matched)s (%(count)d source groups)",
        groups,
    ) % {"profile": mapping.get("profile", ""), "rule": rule, "matched": mapping.get("matched", ""), "count": groups}



def _month(day: date) -> date:
    return day.replace(day=1)


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
    daily_chart = series_chart("stacked", energy, [d.isoformat() for d in days], [
        {"label": code, "data": [cells.get(d, 0.0) for d in days], "colour": colours[code]}
        for code, cells in per_day.items()
    ])
    monthly = []
    for month, sums in sorted(months.items()):
        monthly.append({
            "month": month,
            "inferences": inference_count(sum(sums["inferences"]), run.inferences_reported),
            "energy": estimate(fsum_estimates(sums["energy_kwh"]), energy, with_unit=False),
            "carbon": estimate(fsum_estimates(sums["carbon_gco2e"]), carbon, with_unit=False),
            "embodied": _assessed_sum(sums["embodied_gco2e"], carbon),
            "carbon_total": _assessed_sum(sums["carbon_total_gco2e"], carbon),
            "water": _assessed_sum(sums["water_l"], water),
        })
    return daily_chart, monthly


def _assessed_sum(items: list[tuple], unit: Unit) -> dict[str, str] | None:
    """The sum of optional estimates, or None (not assessed) as soon as one of them is."""
    if not items or any(item[0] is None for item in items):
        return None
    return estimate(fsum_estimates(items), unit, with_unit=False)



def profile_rows(run: Run, profile_results: list, canonical: dict, energy: Unit, carbon: Unit,
                  water: Unit | None = None) -> list[dict[str, Any]]:
    colours = profile_colours(p.profile for p in profile_results)
    rows = []
    for p in profile_results:
        row = {
            "code": p.profile,
            "name": localized_name(run.methodology_version, "profiles", p.profile,
                                   canonical["profiles"].get(p.profile, {}).get("name", "")),
            "model": p.model,
            "colour": colours[p.profile],
            "inferences": inference_count(p.inferences, run.inferences_reported),
            "input_tokens": integer(p.input_tokens),
            "cached_input_tokens": integer(p.cached_input_tokens) if p.cached_input_tokens else None,
            "output_tokens": integer(p.output_tokens),
            "energy": run_interval(p, "energy_kwh", energy, with_unit=False),
            "carbon": run_interval(p, "carbon_gco2e", carbon, with_unit=False),
            "share": percent_share(p.energy_kwh_value, run.energy_kwh_value),
            "per_inference": per_inference(p, p.inferences if run.inferences_reported else 0),
        }
        if water is not None:
            row.update({
                "embodied": run_interval(p, "embodied_gco2e", carbon, with_unit=False),
                "carbon_total": run_interval(p, "carbon_total_gco2e", carbon, with_unit=False),
                "water": run_interval(p, "water_l", water, with_unit=False),
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
    profile_chart = range_chart(energy, codes, [p.energy_kwh for p in profile_results],
                                [colours[c] for c in codes])
    what_moves = sensitivity(run, canonical, energy, carbon)
    return {
        "energy_unit": energy.symbol,
        "carbon_unit": carbon.symbol,
        "headline": {"energy": run_interval(run, "energy_kwh", energy),
                     "carbon": run_interval(run, "carbon_gco2e", carbon),
                     # None: the run's region has no market-based factor ("not assessed", never 0)
                     "carbon_market": run_interval(run, "carbon_market_gco2e", carbon)},
        "beyond_electricity": beyond_electricity(run),
        "inferences": inference_count(run.inferences, run.inferences_reported),
        "inferences_reported": run.inferences_reported,
        "generic_models": run.generic_models,
        "input_tokens": integer(run.input_tokens),
        "cached_input_tokens": integer(run.cached_input_tokens) if run.cached_input_tokens else None,
        "output_tokens": integer(run.output_tokens),
        "per_inference": per_inference(run, run.inferences if run.inferences_reported else 0),
        "profiles": profile_rows(run, profile_results, canonical, energy, carbon),
        "scopes": scope_rows(run_scopes(run, profile_results), carbon),
        "monthly": monthly,
        "charts": {"daily": daily_chart, "profiles": profile_chart, "tornado": what_moves["chart"],
                   "histogram": histogram_chart(run, carbon_unit(_total_carbon(run)))},
        "audit": audit(run),
        "equivalents": everyday_equivalents(run),
        "sensitivity": what_moves,
        "drivers": what_moves["rows"][:6],
        "uncertainty": {**facts(run), "drivers": drivers(run, canonical)},
    }


def _total_carbon(run: Run) -> float:
    """The central total carbon the histogram shows: electricity and embodied where assessed."""
    return run.carbon_total_gco2e_value if run.carbon_total_gco2e_value is not None else run.carbon_gco2e_value


def everyday_equivalents(run: Run) -> list[dict[str, Any]]:
    """The run's totals in the sourced equivalents of its methodology version (car km, charges, …)."""
    version = run.methodology_version
    rows = []
    for e in selectors.run_equivalents(run):
        name = localized_name(version, "equivalents", e.code, e.name)
        unit = localized_name(version, "equivalents", e.code, e.unit, "unit")
        rows.append({"code": e.code, "name": name, "metric": e.metric,
                     "metric_label": METRIC_LABELS.get(e.metric, e.metric),
                     "count": estimate(e.count.as_dict(), Unit(unit, 1.0)),
                     "caption": "" if names_the_unit(name, unit) else name})
    return rows


def names_the_unit(name: str, unit: str) -> bool:
    """Whether an equivalent's name only repeats its unit ("Shower" for "showers"): the count's unit then
    says it all, and the name is not shown after it ("24.7 showers", not "24.7 showers … Shower")."""
    name, unit = name.strip().lower(), unit.strip().lower()
    return name in (unit, unit.removesuffix("s"), unit.removesuffix("es"))


def beyond_electricity(run: Run) -> dict[str, Any]:
    """Embodied carbon, usage + embodied carbon and water (methodology.md section 8); each None when the
    run's methodology version does not assess it ("not assessed", never 0)."""
    return {
        name: run_interval(run, field, pick(value) if value is not None else None)
        for name, field, value, pick in (
            ("embodied", "embodied_gco2e", run.embodied_gco2e_value, carbon_unit),
            ("carbon_total", "carbon_total_gco2e", run.carbon_total_gco2e_value, carbon_unit),
            ("water", "water_l", run.water_l_value, water_unit),
        )
    }



def audit(run: Run) -> dict[str, Any]:
    version = run.methodology_version
    return {
        "project": run.project,
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
        "uncertainty": facts(run),
    }

