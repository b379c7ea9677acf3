"""GHG Protocol scope categories of a run's carbon, from how each model profile's inference is procured
(docs/methodology.md section 13).

A model profile declares `procurement`:

- `own_datacentre`: the organisation runs the servers. Their electricity is Scope 2 (location- and
  market-based); the manufacturing of the hardware (embodied carbon) is Scope 3 category 2, capital goods.
- `cloud` (rented GPUs) or `api_service` (a model provider's API): a purchased service, Scope 3
  category 1, electricity and embodied carbon together.
- not declared (`""`, versions published before the key existed): its carbon is reported apart, as
  "not declared", never guessed into a scope.

Plain arithmetic on per-profile figures (value/low/high): the worst-case bounds of a sum are the sums of
the bounds, as for every other total (methodology.md section 6). Plain Python: no Django import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OWN_DATACENTRE, CLOUD, API_SERVICE = "own_datacentre", "cloud", "api_service"
PROCUREMENTS = (OWN_DATACENTRE, CLOUD, API_SERVICE)
NOT_DECLARED = ""

SCOPE_2 = "scope_2"
SCOPE_3_CAT_1 = "scope_3_cat_1"  # purchased goods and services
SCOPE_3_CAT_2 = "scope_3_cat_2"  # capital goods
UNDECLARED = "not_declared"
CATEGORIES = (SCOPE_2, SCOPE_3_CAT_1, SCOPE_3_CAT_2, UNDECLARED)

BOUNDS = ("value", "low", "high")
# The parts of a profile's carbon: electricity location-based, electricity market-based, embodied.
PARTS = ("electricity_location_gco2e", "electricity_market_gco2e", "embodied_gco2e")


def categories_of(procurement: str) -> dict[str, str]:
    """Where each part of a profile's carbon goes: {"electricity": category, "embodied": category}."""
    if procurement == OWN_DATACENTRE:
        return {"electricity": SCOPE_2, "embodied": SCOPE_3_CAT_2}
    if procurement in (CLOUD, API_SERVICE):
        return {"electricity": SCOPE_3_CAT_1, "embodied": SCOPE_3_CAT_1}
    return {"electricity": UNDECLARED, "embodied": UNDECLARED}


@dataclass(frozen=True, slots=True)
class ProfileCarbon:
    """One profile's carbon parts, each {"value", "low", "high"} or None (not assessed)."""

    procurement: str
    carbon_gco2e: Mapping[str, float]
    carbon_market_gco2e: Mapping[str, float] | None
    embodied_gco2e: Mapping[str, float] | None


class _Sum:
    """A running sum of value/low/high; not assessed (None) as soon as one term is."""

    def __init__(self) -> None:
        self.terms: dict[str, list[float]] = {bound: [] for bound in BOUNDS}
        self.assessed = True
        self.used = False

    def add(self, figure: Mapping[str, float] | None) -> None:
        self.used = True
        if figure is None:
            self.assessed = False
            return
        for bound in BOUNDS:
            self.terms[bound].append(figure[bound])

    def result(self) -> dict[str, float] | None:
        if not self.used or not self.assessed:
            return None
        return {bound: math.fsum(self.terms[bound]) for bound in BOUNDS}


def _plus(a: dict[str, float] | None, b: dict[str, float] | None) -> dict[str, float] | None:
    if a is None or b is None:
        return a if b is None else b
    return {bound: a[bound] + b[bound] for bound in BOUNDS}


def scope_totals(profiles: Iterable[ProfileCarbon]) -> dict[str, dict]:
    """Per scope category that receives carbon, in CATEGORIES order:

    - `electricity_location_gco2e`, `electricity_market_gco2e`, `embodied_gco2e`: the parts that fall in
      it, each value/low/high, or None where a part falls in it but is not assessed (market-based without a
      market factor, embodied without section 8 figures), or where no part of that kind falls in it;
    - `location_based_gco2e`: location-based electricity plus embodied where assessed;
      `market_based_gco2e`: market-based electricity plus embodied where assessed (None when the
      market-based electricity is not assessed). Scope 3 category 2 holds embodied carbon only, the same
      in both.
    """
    sums: dict[str, dict[str, _Sum]] = {}
    for profile in profiles:
        where = categories_of(profile.procurement)
        electricity = sums.setdefault(where["electricity"], {part: _Sum() for part in PARTS})
        electricity["electricity_location_gco2e"].add(profile.carbon_gco2e)
        electricity["electricity_market_gco2e"].add(profile.carbon_market_gco2e)
        sums.setdefault(where["embodied"], {part: _Sum() for part in PARTS})["embodied_gco2e"].add(
            profile.embodied_gco2e)
    totals = {}
    for category in CATEGORIES:
        if category not in sums:
            continue
        parts = {part: sums[category][part].result() for part in PARTS}
        electricity_used = sums[category]["electricity_location_gco2e"].used
        location = _plus(parts["electricity_location_gco2e"], parts["embodied_gco2e"])
        if electricity_used and parts["electricity_market_gco2e"] is None:
            market = None  # the electricity's market-based figure is not assessed
        else:
            market = _plus(parts["electricity_market_gco2e"], parts["embodied_gco2e"])
        totals[category] = {**parts, "location_based_gco2e": location, "market_based_gco2e": market}
    return totals
