"""The history page: the listed runs' totals in one unit per column, and their charts."""

from __future__ import annotations

from typing import Any

from calculations.models import Run

from .charts import CARBON_COLOUR, PALETTE, range_chart
from .numbers import Unit, carbon_unit, energy_unit, estimate, inference_count

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
                "inferences": inference_count(run.inferences, run.inferences_reported),
            }
            for run in runs
        ],
    }


def _run_caption(run: Run) -> str:
    label = f" {run.label[:28]}…" if len(run.label) > 29 else (f" {run.label}" if run.label else "")
    return f"#{run.pk}{label} · {run.first_day.isoformat()} → {run.last_day.isoformat()}"


def history_charts(runs: list[Run]) -> dict[str, dict[str, Any]]:
    """Energy and carbon of each listed run with its range, a bar per run in the order of the table."""
    ordered = list(runs)
    energy = energy_unit(max((r.energy_kwh_value for r in ordered), default=0.0))
    carbon = carbon_unit(max((r.carbon_gco2e_value for r in ordered), default=0.0))

    def chart(unit: Unit, field: str, colour: str) -> dict[str, Any]:
        return range_chart(unit, [_run_caption(r) for r in ordered], [getattr(r, field) for r in ordered],
                           [colour] * len(ordered), short_labels=[f"#{r.pk}" for r in ordered])

    return {"energy": chart(energy, "energy_kwh", PALETTE[0]), "carbon": chart(carbon, "carbon_gco2e", CARBON_COLOUR)}
