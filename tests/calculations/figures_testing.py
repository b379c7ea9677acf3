"""Reading the figures a page shows back into numbers, to check them against the engine's document.

A figure is shown as "412 kWh (190–980)": three significant digits (whole numbers in full), the unit, and
the low–high range. These helpers parse that text with their own rules (not the presentation module's) and
compare each number with the engine's value converted by the unit's factor, to the precision shown.
"""

from __future__ import annotations

import math
import re
from html import unescape

import pytest

# How many of the engine's units (kWh, gCO2e, L) one displayed unit is: written here from the SI prefixes.
IN_ENGINE_UNITS = {
    "Wh": 1e-3, "kWh": 1.0, "MWh": 1e3, "GWh": 1e6,
    "gCO2e": 1.0, "kgCO2e": 1e3, "tCO2e": 1e6,
    "mL": 1e-3, "L": 1.0, "m³": 1e3,
}
NUMBER = r"−?[\d,]+(?:\.\d+)?"
FIGURE = re.compile(rf"({NUMBER})\s*(?P<unit>[A-Za-z³O2e]+)?\s*\(({NUMBER})–({NUMBER})\)"
                    rf"(?:\s*worst case\s*(?P<worst_low>{NUMBER})–(?P<worst_high>{NUMBER}))?")


def strip_tags(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def element_text(html: str, element_id: str) -> str:
    """The text of the element with this id (its tag must not nest inside itself)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return strip_tags(match.group(2))


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of every cell of every row of the table with this id, header rows included."""
    table = re.search(rf'<table[^>]*\bid="{re.escape(table_id)}"[^>]*>(.*?)</table>', html, re.S)
    assert table, f"no table #{table_id}"
    return [[strip_tags(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)]


def as_number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def assert_shown(text: str, expected: float, unit: str) -> None:
    """`text` is `expected` (in the engine's unit) written in `unit`, to the three significant digits shown."""
    shown = as_number(text) * IN_ENGINE_UNITS[unit]
    scale = 10 ** (math.floor(math.log10(abs(expected))) - 2) if expected else 0
    assert shown == pytest.approx(expected, abs=0.5 * scale * 1.0001), f"{text} {unit} is not {expected}"


def parse_figure(text: str) -> tuple[str, str | None, str, str, tuple[str, str] | None]:
    """("412", "kWh", "190", "980", ("23.9", "4,587")) from "412 kWh (190–980) worst case 23.9–4,587": the
    range in brackets is the 90 % interval when a worst case follows it, else the worst case itself; the
    unit is None when not written."""
    match = FIGURE.search(text)
    assert match, f"no figure in {text!r}"
    worst = (match.group("worst_low"), match.group("worst_high")) if match.group("worst_low") else None
    return match.group(1), match.group("unit"), match.group(3), match.group(4), worst


def assert_figure(text: str, estimate: dict[str, float], unit: str | None = None) -> None:
    """`text` shows the engine's `estimate` ({"value", "low", "high"}, and "p5", "p95" when the Monte Carlo
    ran): central value, unit, then the 90 % interval P5–P95 and the worst case low–high, each in that
    order (or low–high alone). `unit` is the unit the figure must be in when the text does not name one."""
    central, written_unit, first, second, worst = parse_figure(text)
    unit = written_unit or unit
    assert unit in IN_ENGINE_UNITS, f"no unit for {text!r}"
    assert estimate["low"] < estimate["value"] < estimate["high"], "a degenerate range cannot show its order"
    assert_shown(central, estimate["value"], unit)
    if worst is not None:
        assert estimate["p5"] < estimate["p95"], "a degenerate interval cannot show its order"
        assert_shown(first, estimate["p5"], unit)
        assert_shown(second, estimate["p95"], unit)
        first, second = worst
    assert_shown(first, estimate["low"], unit)
    assert_shown(second, estimate["high"], unit)


def unit_in_heading(heading: str) -> str:
    """"Energy (kWh)" -> "kWh"."""
    match = re.search(r"\(([^()]+)\)\s*$", heading)
    assert match, heading
    return match.group(1)
