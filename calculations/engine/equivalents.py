"""Equivalents that people grasp: a total divided by a sourced conversion factor."""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import BOUNDS, bound_for
from .compute import Estimate
from .parameters import ParameterSet


@dataclass(frozen=True, slots=True)
class EquivalentResult:
    code: str
    name: str
    unit: str
    metric: str
    count: Estimate  # how many `unit`s the total is worth, with its range

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "unit": self.unit, "metric": self.metric,
                "count": self.count.as_dict()}


def equivalents(totals: dict[str, Estimate | None], parameters: ParameterSet) -> list[EquivalentResult]:
    """Each equivalent of the version applied to the run's totals (metric -> Estimate).

    The low count divides the low total by the high factor, and the high count the high total
    by the low factor, so the range keeps both uncertainties. A metric not assessed gives none.
    """
    results = []
    for code, equivalent in sorted(parameters.equivalents.items()):
        total = totals.get(equivalent.metric)
        if total is None:
            continue
        count = Estimate(*(getattr(total, bound) / equivalent.amount.at(bound_for("amount", bound)) for bound in BOUNDS))
        results.append(EquivalentResult(
            code=code, name=equivalent.name, unit=equivalent.unit, metric=equivalent.metric, count=count,
        ))
    return results
