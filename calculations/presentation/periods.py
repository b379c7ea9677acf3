"""The period view: totals per month or quarter across runs that follow one another."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from calculations import selectors
from calculations.models import BOUNDS, ESTIMATE_NAMES, Run

from .charts import CARBON_COLOUR, PALETTE, range_chart
from .inventory import scope_rows
from .methodology import region_info
from .numbers import Unit, carbon_unit, energy_unit, integer, optional_estimate, water_unit

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
        return range_chart(unit, [period_label(r["period"], short=True) for r in rows], [r[field] for r in rows],
                           [colour] * len(rows), horizontal=False)

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
        # The runs' carbon per scope category, in the unit of the table's total row.
        "scopes": scope_rows(data["scopes"], carbon),
        "rows": table,
        "total": total,
        "charts": {"energy": chart("energy_kwh", energy, PALETTE[0]),
                   "carbon": chart(carbon_field, carbon, CARBON_COLOUR)},
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

