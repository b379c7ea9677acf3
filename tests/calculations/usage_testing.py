"""Factory of the sensitivity's input: cells reduced per usage profile, as
`calculations.selectors.run_usage_by_profile` reduces a stored run."""

from __future__ import annotations

from collections.abc import Iterable

from calculations.engine.analytics import Cell
from calculations.engine.sensitivity import ProfileUsage


def usage_by_profile(cells: Iterable[Cell]) -> dict[str, ProfileUsage]:
    usage: dict[str, ProfileUsage] = {}
    for cell in cells:
        u = usage.setdefault(cell.profile, ProfileUsage())
        if cell.input_tokens is None:
            u.inferences_estimated_input += cell.inferences
        else:
            u.explicit_input_tokens += cell.input_tokens
        if cell.output_tokens is None:
            u.inferences_estimated_output += cell.inferences
        else:
            u.explicit_output_tokens += cell.output_tokens
    return usage
