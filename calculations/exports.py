"""Downloads of a run: the daily CSV."""

from __future__ import annotations

from collections.abc import Iterator

from .models import Run
from .selectors import DAILY_FIELDS, daily_rows

# The stored columns, with "day" as "date" and "_value" dropped: energy_kwh, energy_kwh_low, ...
DAILY_CSV_HEADER = ["date", *(name.removesuffix("_value") for name in DAILY_FIELDS[1:])]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def daily_csv_rows(run: Run) -> Iterator[list]:
    yield DAILY_CSV_HEADER
    for day, profile, *numbers in daily_rows(run):
        # Full precision (repr), and an empty cell where a figure is not assessed.
        yield [
            day.isoformat(),
            neutralise_formula(profile),
            *("" if n is None else repr(n) if isinstance(n, float) else n for n in numbers),
        ]
