"""Number forms shared by the engine's documents."""

from __future__ import annotations


def whole_number(number: float | int) -> float | int:
    """A count or parameter as a whole number as soon as it is one: 1500, not 1500.0 (token counts, exact
    parameters); any other number unchanged."""
    return int(number) if float(number).is_integer() else number
