"""Downloads of a run: the daily CSV."""

from __future__ import annotations

from collections.abc import Iterator

from .models import Run
from .selectors import daily_rows

DAILY_CSV_HEADER = [
    "date", "profile", "inferences", "input_tokens", "output_tokens",
    "energy_kwh", "energy_kwh_low", "energy_kwh_high",
    "carbon_gco2e", "carbon_gco2e_low", "carbon_gco2e_high",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def daily_csv_rows(run: Run) -> Iterator[list]:
    yield DAILY_CSV_HEADER
    for day, profile, *numbers in daily_rows(run):
        yield [day.isoformat(), neutralise_formula(profile), *(repr(n) if isinstance(n, float) else n for n in numbers)]
