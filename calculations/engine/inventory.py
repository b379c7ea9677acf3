"""The 90 % interval of an inventory: several runs' Monte Carlo combined (docs/reporting.md, "Intervals").

Rule: every hypothesis keeps the stream it has in a single run (engine/uncertainty.py: the project's seed
and the hypothesis' key), so two runs that use the same hypothesis (the same model's throughput, the same
PUE) draw the same uniform numbers: in each draw the hypothesis errs the same way in every month and every
run, as a systematic error does. Hypotheses with different keys stay independent. Draw i of the inventory
is the sum of draw i of each run's profiles (restricted to the inventory's days); its percentiles are taken
on those sums, clipped into the summed worst-case bounds. One run alone gives its own interval.

Runs under different versions use each version's values, drawn from the same uniform numbers where the
hypothesis' key is the same. Plain Python and numpy: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .parameters import ParameterSet
from .scope import UNDECLARED, categories_of
from .sensitivity import ProfileUsage
from .uncertainty import DEFAULT_DRAWS, SEED, new_sampler, percentiles, profile_draws

# The inventory's quantities: energy, and carbon location- and market-based, in total and per scope category.
QUANTITIES = ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e")


@dataclass(frozen=True)
class Segment:
    """One run's share of an inventory (or of one month of it): its version, region and per-profile usage."""

    keys: tuple[str, ...]  # the sums its draws are added to (a project, all projects, a project's month)
    parameters: ParameterSet
    region: str
    usage: Mapping[str, ProfileUsage]
    scopes: bool = True  # also sum the draws per scope category (the months do without)


@dataclass
class _Sums:
    arrays: dict[str, np.ndarray | None] = field(default_factory=dict)

    def add(self, name: str, draws: np.ndarray | None) -> None:
        if name in self.arrays and self.arrays[name] is None:
            return
        if draws is None:
            self.arrays[name] = None  # a part not assessed leaves the sum not assessed
        elif name not in self.arrays:
            self.arrays[name] = np.array(draws, dtype=float)
        else:
            self.arrays[name] += draws


def _scope_parts(figures: dict, procurement: str) -> dict[str, dict[str, np.ndarray | None]]:
    """Draws of a profile's location- and market-based carbon per scope category, as engine/scope.py sums
    them: embodied carbon joins the electricity where both fall in one category (where assessed), else it is
    its own category's figure (None: not assessed)."""
    where = categories_of(procurement)
    location, market, embodied = figures["carbon_gco2e"], figures["carbon_market_gco2e"], figures["embodied_gco2e"]
    if where["electricity"] == where["embodied"]:
        extra = embodied if embodied is not None else 0.0
        return {where["electricity"]: {"location": location + extra,
                                        "market": None if market is None else market + extra}}
    return {where["electricity"]: {"location": location, "market": market},
            where["embodied"]: {"location": embodied, "market": embodied}}


def combined_draws(segments: Iterable[Segment], *, draws: int = DEFAULT_DRAWS, seed: int = SEED
                   ) -> dict[str, dict[str, np.ndarray | None]]:
    """Per key of the segments: draws of QUANTITIES (and, for segments with `scopes`, of
    `scope:<category>:location|market`), summed draw by draw. One sampler per version: a hypothesis is
    drawn once and its draws are shared by every segment (run, month) that uses it."""
    samplers: dict[str, object] = {}
    sums: dict[str, _Sums] = {}
    for segment in segments:
        sampler = samplers.setdefault(segment.parameters.sha256 or str(id(segment.parameters)),
                                      new_sampler(draws, seed))
        for code in sorted(segment.usage):
            figures = profile_draws(segment.usage[code], code, segment.parameters, segment.region, sampler)
            parts = {}
            if segment.scopes:
                procurement = segment.parameters.models[segment.parameters.profiles[code].model].procurement
                parts = {f"scope:{category}:{kind}": values
                         for category, kinds in _scope_parts(figures, procurement).items()
                         for kind, values in kinds.items()}
            for key in segment.keys:
                target = sums.setdefault(key, _Sums())
                for name, values in (*((name, figures[name]) for name in QUANTITIES), *parts.items()):
                    target.add(name, values)
    return {key: s.arrays for key, s in sums.items()}


def interval(values: np.ndarray | None, low: float, high: float) -> dict[str, float] | None:
    """P5/P50/P95/mean of summed draws, clipped into the summed worst-case bounds [low, high]."""
    if values is None:
        return None
    values = np.array(values)
    mean = float(values.mean())
    p5, p50, p95 = percentiles(values)
    return {key: min(max(x, low), high) for key, x in (("p5", p5), ("p50", p50), ("p95", p95), ("mean", mean))}


__all__ = ["QUANTITIES", "Segment", "UNDECLARED", "combined_draws", "interval"]
