"""The run's Monte Carlo as the pages show it (methodology.md section 11): the 90 % interval as the
headline range, the worst-case bounds beside it, what drives the variance, the histogram of the
total carbon. Everything is read from the run's stored figures: nothing is recomputed here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from calculations.models import Run

from .charts import CARBON_COLOUR, series_chart
from .labels import SECTION_LABELS
from .numbers import Unit, estimate, number
from .sensitivity import hypothesis_label

DRIVERS_SHOWN = 10


def interval_estimate(values: dict[str, float] | None, interval: dict[str, float] | None, unit: Unit | None, *,
                      computed: bool, with_unit: bool = True) -> dict[str, str] | None:
    """estimate() whose range is the 90 % interval (P5–P95) with the worst case kept apart.

    {"value", "range" (P5–P95), "worst_case" (low–high), "computed": True, ...}; for a run whose Monte
    Carlo was not computed, "range" is the worst case and "computed" False. None stays None (not assessed).
    """
    if values is None or unit is None:
        return None
    shown = estimate(values, unit, with_unit=with_unit)
    shown["worst_case"] = shown["range"]
    shown["computed"] = computed and interval is not None
    if shown["computed"]:
        shown["range"] = f"{number(interval['p5'] * unit.factor)}–{number(interval['p95'] * unit.factor)}"
        shown["p50"] = number(interval["p50"] * unit.factor)
        shown["mean"] = number(interval["mean"] * unit.factor)
    return shown


def run_interval(run_like, name: str, unit: Unit | None, *, with_unit: bool = True) -> dict[str, str] | None:
    """interval_estimate() of a stored run's or profile row's estimate `name`."""
    run = run_like if isinstance(run_like, Run) else run_like.run
    return interval_estimate(getattr(run_like, name), run_like.interval(name), unit,
                             computed=run.uncertainty is not None, with_unit=with_unit)


def facts(run: Run) -> dict[str, Any]:
    """Draws and seed of the run's Monte Carlo, for the audit trail; computed False for an older run."""
    if run.uncertainty is None:
        return {"computed": False}
    return {"computed": True, "draws": run.uncertainty["draws"], "seed": run.uncertainty["seed"]}


def drivers(run: Run, canonical: dict, limit: int = DRIVERS_SHOWN) -> list[dict[str, str]]:
    """The hypotheses' first-order shares of the variance of energy and carbon, largest carbon share first."""
    if run.uncertainty is None:
        return []
    rows = []
    for driver in run.uncertainty["drivers"][:limit]:
        entry, parameter = hypothesis_label(driver["section"], driver["code"], driver["parameter"], canonical,
                                            run.methodology_version)
        rows.append({
            "label": f"{entry} · {parameter}",
            "section": SECTION_LABELS.get(driver["section"], driver["section"]),
            "energy_share": f"{number(100 * driver['energy_kwh'], 2)} %",
            "carbon_share": f"{number(100 * driver['carbon_gco2e'], 2)} %",
        })
    return rows


def histogram_chart(run: Run, carbon: Unit) -> dict[str, Any] | None:
    """The stored histogram of the run's total carbon: one bar per bin, captioned with its bounds."""
    if run.uncertainty is None or not run.uncertainty.get("histogram"):
        return None
    histogram = run.uncertainty["histogram"]
    edges = histogram["edges"]
    labels = [f"{number(a * carbon.factor)}–{number(b * carbon.factor)} {carbon.symbol}"
              for a, b in zip(edges, edges[1:])]
    return series_chart("stacked", Unit(_("draws"), 1.0), labels, [
        {"label": _("Draws"), "data": histogram["counts"], "colour": CARBON_COLOUR},
    ])
