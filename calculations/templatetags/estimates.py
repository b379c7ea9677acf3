"""{% estimate e %}: a formatted estimate (presentation.numbers.estimate) as the pages show it,
"412 (190–980)", or "not assessed" when the methodology version does not assess it (None, never 0).

    {% estimate e %}                  412 <span class="range">(190–980)</span>
    {% estimate e unit=True %}        412 <span class="unit">kWh</span> <span class="range">(190–980)</span>
    {% estimate e layout="kpi" %}     412 <span class="kpi__unit">kWh</span> <span class="kpi__range">(190–980)</span>
    {% estimate e layout="kpi_pair" %} <span class="kpi__pair-value">412 <span class="kpi__unit">kWh</span></span> <span class="kpi__range">(190–980)</span>
    {% estimate e layout="count" %}   <strong>≈ 24.7 showers</strong> <span class="range">(11–52)</span>
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
        return format_html(_LAYOUTS[layout], value["value"], value["range"])
    return format_html(_LAYOUTS[layout], value["value"], value["unit"], value["range"])
