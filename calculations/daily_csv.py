"""A run's daily cells as CSV (GET /api/runs/{id}/daily.csv): one row per day and usage profile."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from .models import Run
from .selectors import DAILY_FIELDS, daily_rows

# The stored columns, with "day" as "date" and "_value" dropped: energy_kwh, energy_kwh_low, ...
# explicit_cached_input_tokens is "cached_input_tokens" (0 when none was reported), as in the JSON documents.
DAILY_CSV_HEADER = ["date", *(name.removesuffix("_value").removeprefix("explicit_") for name in DAILY_FIELDS[1:])]
_CACHED_AT = DAILY_FIELDS.index("explicit_cached_input_tokens") - 2  # among the numbers after day and profile
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def daily_csv_rows(run: Run) -> Iterator[list]:
    yield DAILY_CSV_HEADER
    for day, profile, *numbers in daily_rows(run):
        numbers[_CACHED_AT] = numbers[_CACHED_AT] or 0
        # Full precision (repr), and an empty cell where a figure is not assessed.
        yield [
            day.isoformat(),
            neutralise_formula(profile),
            *("" if n is None else repr(n) if isinstance(n, float) else n for n in numbers),
        ]


class _Echo:
    """A file whose write() returns the line csv.writer formats, so lines can be streamed one by one."""

    def write(self, value: str) -> str:
        return value


def daily_csv_lines(run: Run) -> Iterator[str]:
    """daily_csv_rows as CSV text, a line at a time (for a streamed response)."""
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in daily_csv_rows(run))
