"""The data of the pages' charts (static/ draws them): one builder per kind of chart.

Values are converted to the chart's display unit and rounded to 9 decimals (enough for any
display unit, short in the page)."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from django.utils.translation import gettext as _

from .numbers import Unit

# Colours of the usage profiles in every chart (colour-blind friendly, Okabe-Ito based).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F7F7F", "#332288",
           "#117733"]
# The colour of carbon in single-series charts (energy takes the palette's first colour).
CARBON_COLOUR = "#8C6D1F"
# Colours of the tornado chart: the hypothesis at its low value, at its high value (Okabe-Ito).
TORNADO_COLOURS = {"low": "#0072B2", "high": "#D55E00"}


def scaled(value: float, unit: Unit) -> float:
    """A stored figure (kWh, gCO2e, L) in the chart's display unit."""
    return round(value * unit.factor, 9)


def profile_colours(codes: Iterable[str]) -> dict[str, str]:
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def range_chart(unit: Unit, labels: list[str], estimates: Sequence[dict[str, float]], colours: list[str], *,
                horizontal: bool | None = None, short_labels: list[str] | None = None) -> dict[str, Any]:
    """A bar per label at its central value with its low–high range as a whisker.

    `estimates` are {"value", "low", "high"} in the stored unit; `horizontal` (when given) says which way
    the bars run, `short_labels` are the captions where room is short."""
    chart: dict[str, Any] = {"kind": "range"}
    if horizontal is not None:
        chart["horizontal"] = horizontal
    chart.update({"unit": unit.symbol, "labels": labels})
    if short_labels is not None:
        chart["short_labels"] = short_labels
    chart.update({
        "value_label": _("Central value"),
        "range_label": _("Range (low–high)"),
        "values": [scaled(e["value"], unit) for e in estimates],
        "ranges": [[scaled(e["low"], unit), scaled(e["high"], unit)] for e in estimates],
        "colours": colours,
    })
    return chart


def series_chart(kind: str, unit: Unit, labels: list[str], datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """A stacked or grouped bar chart: `datasets` are {"label", "data" (stored unit), "colour"}."""
    return {
        "kind": kind,
        "unit": unit.symbol,
        "labels": labels,
        "datasets": [{"label": d["label"], "data": [scaled(v, unit) for v in d["data"]], "colour": d["colour"]}
                     for d in datasets],
    }
