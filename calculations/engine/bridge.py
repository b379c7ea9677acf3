"""The exact bridge between two results: the change in energy and in carbon attributed to factor
groups by Shapley decomposition (docs/methodology.md section 12).

A side is one or more *segments*: usage reduced per profile (`ProfileUsage`, the four sums the
formulas need), under one methodology version and one region. A run is one segment. f(S) is the
central total with the groups in S taken from side B and the others from side A, computed through
`formulas` on the per-profile sums: 2^6 = 64 evaluations of a few multiplications per profile.

φ_g = Σ_{S ⊆ G∖{g}} |S|! (|G|−|S|−1)! / |G|! × (f(S ∪ {g}) − f(S)) is computed in exact rational
arithmetic (`Fraction`) from the 64 float totals, then each φ_g is rounded once to a float: the
exact factors sum to f(G) − f(∅) with no error at all, a group that cannot change the quantity
gives exactly 0, and swapping the sides negates every factor exactly. Only the final rounding of
each factor separates `math.fsum(factors)` from `b − a` (at most half an ulp a factor).

Market-based carbon (`carbon_market_gco2e`) is bridged like location-based carbon, the `carbon_intensity`
group then carrying the region's market-based factor, when both sides assess it (both regions have the
factor). Otherwise its `a` and `b` are each side's total where that side assesses it, else None, and its
factors are None (not assessed), never 0.

Inventories (several runs a side): a Shapley value is additive over games, so the bridge of two
sides made of paired segments is the sum, factor by factor, of the segments' bridges (`combine`).
Runs of one side that share a version and a region are one segment (their usage summed per profile).
Pairing segments is the caller's decision (docs/methodology.md section 12).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from . import formulas
from .parameters import ParameterSet
from .sensitivity import ProfileUsage, input_prefill_tokens

GROUPS = ("usage", "token_sizes", "hardware", "efficiency", "pue", "carbon_intensity")
QUANTITIES = ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e")
# Model-profile parameters of the energy formula in the `hardware` group (efficiency is its own group).
# The cached-input fraction (1 when a version has none) is a model parameter too; the cached tokens
# themselves are usage.
HARDWARE_PARAMS = ("gpu_count", "gpu_power_w", "host_power_w", "prefill_tokens_per_s", "decode_tokens_per_s",
                   "cached_input_fraction")


class MissingProfile(ValueError):
    """A usage profile of one side that the other side's methodology version does not have."""

    def __init__(self, profile: str, side: str, other_version: int | None):
        self.profile, self.side, self.other_version = profile, side, other_version
        version = f"v{other_version}" if other_version is not None else "the other side's version"
        super().__init__(f"Usage profile {profile!r} of side {side} does not exist in methodology {version}, "
                         f"so its usage cannot be valued under the other side's hypotheses.")


@dataclass(frozen=True)
class Segment:
    """Usage per profile under one version and region (a run, or runs sharing both)."""

    parameters: ParameterSet
    region: str
    usage: dict[str, ProfileUsage]


@dataclass(frozen=True)
class QuantityBridge:
    a: float | None  # f(∅): side A's central total from its per-profile sums (None: A does not assess it)
    b: float | None  # f(G)
    factors: dict[str, float] | None  # GROUPS -> φ_g, rounded once from its exact value; None: not assessed

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "factors": None if self.factors is None else dict(self.factors)}


@dataclass(frozen=True)
class Bridge:
    energy_kwh: QuantityBridge
    carbon_gco2e: QuantityBridge
    carbon_market_gco2e: QuantityBridge  # factors None unless both sides assess market-based carbon

    def as_dict(self) -> dict:
        return {name: getattr(self, name).as_dict() for name in QUANTITIES}


def _usage_of(segment: Segment, code: str) -> ProfileUsage:
    return segment.usage.get(code) or ProfileUsage()


def _profile_totals(code: str, chosen: dict[str, Segment]) -> tuple[float, float, float | None]:
    """(energy kWh, carbon gCO2e, market-based carbon gCO2e or None) of one profile, each group's values read
    from its chosen side."""
    usage = _usage_of(chosen["usage"], code)
    sizes = chosen["token_sizes"].parameters.profiles[code]
    hardware = chosen["hardware"].parameters
    model = hardware.models[hardware.profiles[code].model]
    efficiency_set = chosen["efficiency"].parameters
    efficiency = efficiency_set.models[efficiency_set.profiles[code].model].efficiency.value
    pue = chosen["pue"].parameters.regions[chosen["pue"].region].pue.value
    region = chosen["carbon_intensity"]
    area = region.parameters.regions[region.region]

    fraction = 1.0 if model.cached_input_fraction is None else model.cached_input_fraction.value
    tokens_in = input_prefill_tokens(usage, sizes.input_tokens.value, fraction)
    tokens_out = (formulas.estimated_tokens(usage.inferences_estimated_output, sizes.output_tokens.value)
                  + usage.explicit_output_tokens)
    busy_s = formulas.busy_replica_seconds(tokens_in, tokens_out, model.prefill_tokens_per_s.value,
                                           model.decode_tokens_per_s.value)
    power = formulas.power_w(model.gpu_count.value, model.gpu_power_w.value, model.host_power_w.value)
    energy = formulas.energy_kwh(formulas.energy_it_kwh(power, formulas.charged_replica_seconds(busy_s, efficiency)),
                                 pue)
    market = area.carbon_intensity_market
    return (energy, formulas.carbon_gco2e(energy, area.carbon_intensity.value),
            None if market is None else formulas.carbon_market_gco2e(energy, market.value))


def _check_profiles(a: Segment, b: Segment) -> list[str]:
    """Codes of the profiles used on either side; raises MissingProfile when one side's version lacks one."""
    for side, mine, other in (("A", a, b), ("B", b, a)):
        for code in sorted(mine.usage):
            if code not in other.parameters.profiles:
                raise MissingProfile(code, side, other.parameters.version)
    return sorted(set(a.usage) | set(b.usage))


def _assesses_market(segment: Segment) -> bool:
    return segment.parameters.regions[segment.region].carbon_intensity_market is not None


def central_totals(codes: list[str], chosen: dict[str, Segment]) -> tuple[float, float, float | None]:
    """f for one choice of side per group: (energy kWh, carbon gCO2e, market-based carbon gCO2e), summed over
    profiles with fsum; market-based carbon is None when the side chosen for carbon_intensity has no factor."""
    energies, carbons, markets = zip(*(_profile_totals(code, chosen) for code in codes)) if codes else ((), (), ())
    market = math.fsum(markets) if _assesses_market(chosen["carbon_intensity"]) else None
    return math.fsum(energies), math.fsum(carbons), market


def _shapley(values: dict[frozenset, float]) -> dict[str, Fraction]:
    """φ_g of every group, exactly, from f(S) for every subset S of GROUPS."""
    n = len(GROUPS)
    exact = {subset: Fraction(value) for subset, value in values.items()}
    weights = [Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n)) for k in range(n)]
    factors = {}
    for group in GROUPS:
        others = [g for g in GROUPS if g != group]
        factors[group] = sum((weights[k] * (exact[frozenset(s) | {group}] - exact[frozenset(s)])
                              for k in range(n) for s in combinations(others, k)), Fraction(0))
    return factors


def _subset_totals(a: Segment, b: Segment) -> dict[str, dict[frozenset, float | None]]:
    """f(S) of each quantity for the 64 subsets S of GROUPS (None: market-based carbon not assessed by the
    side S takes carbon_intensity from). Raises MissingProfile."""
    codes = _check_profiles(a, b)
    values: dict[str, dict[frozenset, float]] = {name: {} for name in QUANTITIES}
    for k in range(len(GROUPS) + 1):
        for subset in map(frozenset, combinations(GROUPS, k)):
            totals = central_totals(codes, {group: b if group in subset else a for group in GROUPS})
            for name, total in zip(QUANTITIES, totals):
                values[name][subset] = total
    return values


def _assessed(values: dict[frozenset, float | None]) -> bool:
    return all(value is not None for value in values.values())


def exact_factors(a: Segment, b: Segment) -> dict[str, dict[str, Fraction] | None]:
    """The unrounded factors of each quantity: they sum exactly to f(G) − f(∅) (None: not assessed)."""
    return {name: _shapley(values) if _assessed(values) else None for name, values in _subset_totals(a, b).items()}


def bridge(a: Segment, b: Segment) -> Bridge:
    """The Shapley bridge from segment A to segment B. Raises MissingProfile."""
    everything = frozenset(GROUPS)
    return Bridge(*(
        QuantityBridge(values[frozenset()], values[everything],
                       {group: float(phi) for group, phi in _shapley(values).items()} if _assessed(values) else None)
        for values in _subset_totals(a, b).values()
    ))


def _fsum_or_none(terms: list[float | None]) -> float | None:
    return None if any(term is None for term in terms) else math.fsum(terms)


def combine(bridges: list[Bridge]) -> Bridge:
    """The bridge of sides made of paired segments: a, b and each factor summed over the pairs (fsum); not
    assessed (None) as soon as one pair's is."""
    def summed(name: str) -> QuantityBridge:
        parts = [getattr(one, name) for one in bridges]
        factors = None if any(p.factors is None for p in parts) else {
            g: math.fsum(p.factors[g] for p in parts) for g in GROUPS}
        return QuantityBridge(_fsum_or_none([p.a for p in parts]), _fsum_or_none([p.b for p in parts]), factors)

    return Bridge(*(summed(name) for name in QUANTITIES))
