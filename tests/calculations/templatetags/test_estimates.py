"""{% estimate %}: one markup for "value (low–high)" and "not assessed" in every page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

SHOWN = {"value": "412", "range": "190–980", "unit": "kWh"}


def render(source: str, value) -> str:
    return Template("{% load estimates %}" + source).render(Context({"e": value}))


def test_a_table_cell_shows_the_value_and_its_range():
    assert render("{% estimate e %}", SHOWN) == '412 <span class="range">(190–980)</span>'


def test_with_unit_the_unit_sits_between_value_and_range():
    assert render("{% estimate e unit=True %}", SHOWN) == \
        '412 <span class="unit">kWh</span> <span class="range">(190–980)</span>'


def test_a_kpi_has_its_own_classes():
    assert render('{% estimate e layout="kpi" %}', SHOWN) == \
        '412 <span class="kpi__unit">kWh</span> <span class="kpi__range">(190–980)</span>'


def test_a_count_reads_approximately():
    assert render('{% estimate e layout="count" %}', {**SHOWN, "unit": "showers"}) == \
        '<strong>≈ 412 showers</strong> <span class="range">(190–980)</span>'


@pytest.mark.parametrize(("language", "words"), [("en", "not assessed"), ("fr", "non évalué")])
def test_none_is_not_assessed_never_zero(language, words):
    with translation.override(language):
        assert render("{% estimate e %}", None) == f'<span class="not-assessed">{words}</span>'


def test_the_figures_are_escaped():
    assert "&lt;b&gt;" in render("{% estimate e %}", {**SHOWN, "value": "<b>"})
