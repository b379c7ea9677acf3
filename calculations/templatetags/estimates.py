"""{% estimate e %}: a formatted estimate (presentation.numbers.estimate) as the pages show it,
"412 (190–980)", or "not assessed" when the methodology version does not assess it (None, never 0).

    {% estimate e %}                  412 <span class="range">(190–980)</span>
    {% estimate e unit=True %}        412 <span class="unit">kWh</span> <span class="range">(190–980)</span>
    {% estimate e layout="kpi" %}     412 <span class="kpi__unit">kWh</span> <span class="kpi__range">(190–980)</span>
    {% estimate e layout="kpi_pair" %} <span class="kpi__pair-value">412 <span class="kpi__unit">kWh</span></span> <span class="kpi__range">(190–980)</span>
    {% estimate e layout="count" %}   <strong>≈ 24.7 showers</strong> <span class="range">(11–52)</span>

An estimate with a Monte Carlo (presentation.uncertainty.interval_estimate) shows its 90 % interval
as the range and the worst case after it, secondary; a run saved before the Monte Carlo shows the
worst case as its range and says the interval was not computed (never a made-up interval):

    412 <span class="range">(300–700)</span> <span class="range range--worst">worst case 190–980</span>
    412 <span class="range">(190–980)</span> <span class="not-computed">worst case; P5–P95 interval not computed</span>
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

_LAYOUTS = {
    "table": '{} <span class="range">({})</span>',
    "table_unit": '{} <span class="unit">{}</span> <span class="range">({})</span>',
    "kpi": '{} <span class="kpi__unit">{}</span> <span class="kpi__range">({})</span>',
    "kpi_pair": '<span class="kpi__pair-value">{} <span class="kpi__unit">{}</span></span> <span class="kpi__range">({})</span>',
    "count": '<strong>≈ {} {}</strong> <span class="range">({})</span>',
}


@register.simple_tag
def estimate(value: dict[str, str] | None, *, unit: bool = False, layout: str = "table") -> SafeString:
    """The estimate's central value and range, escaped; "not assessed" for None."""
    if value is None:
        return format_html('<span class="not-assessed">{}</span>', _("not assessed"))
    if layout == "table" and unit:
        layout = "table_unit"
    if layout == "table":
        shown = format_html(_LAYOUTS[layout], value["value"], value["range"])
    else:
        shown = format_html(_LAYOUTS[layout], value["value"], value["unit"], value["range"])
    return shown + _worst_case(value) if "worst_case" in value else shown


def _worst_case(value: dict) -> SafeString:
    """The secondary part of an estimate with a Monte Carlo: its worst-case bounds, or "not computed"."""
    if value["computed"]:
        return format_html(' <span class="range range--worst">{} {}</span>', _("worst case"), value["worst_case"])
    return format_html(' <span class="not-computed">{}</span>', _("worst case; P5–P95 interval not computed"))
