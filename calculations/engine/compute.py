"""The formulas of methodology.md sections 2 and 3.

For each (day, profile) cell:

    busy_s    = tokens_in / prefill_tokens_per_s + tokens_out / decode_tokens_per_s   [replica-seconds]
    power_w   = gpu_count * gpu_power_w + host_power_w                                [W]
    energy_it = power_w * busy_s / efficiency / 3_600_000                             [kWh]
    energy    = energy_it * pue                                                       [kWh]
    carbon    = energy * carbon_intensity                                             [gCO2e]

and, where the version has the section 6 parameters (else "not assessed", None):

    replica_s    = busy_s / efficiency                                                [s]
    embodied_g   = embodied_kgco2e * 1000 * replica_s / (lifetime_years * 365.25 * 86400)  [gCO2e]
    carbon_total = carbon + embodied_g                                                [gCO2e]
    water_l      = energy_it * (wue + pue * water_intensity)                          [L]

The low and high bounds take every parameter at the extreme that lowers or raises
the result; the formula is monotone in each, so the bounds are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .analytics import Cell
from .gc_pause import collector_paused
from .parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile

JOULES_PER_KWH = 3_600_000
SECONDS_PER_YEAR = 365.25 * 86400
BOUNDS = ("value", "low", "high")
# Parameters that lower energy when they go up take their opposite extreme.
_OPPOSITE = {"value": "value", "low": "high", "high": "low"}


@dataclass(frozen=True, slots=True)
class Estimate:
    """A result with its range: `low <= value <= high`."""

    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


@dataclass(slots=True)
class CellResult:
    day: date
    profile: str
    inferences: int
    input_tokens: float  # central value: explicit count, or inferences * profile average
    output_tokens: float
    explicit_input_tokens: int | None
    explicit_output_tokens: int | None
    energy_kwh: Estimate
    carbon_gco2e: Estimate
    embodied_gco2e: Estimate | None = None
    carbon_total_gco2e: Estimate | None = None
    water_l: Estimate | None = None


@dataclass(slots=True)
class Subtotal:
    """A sum of cells: per profile (with its model), per day, or for the whole run."""

    inferences: int
    input_tokens: float
    output_tokens: float
    energy_kwh: Estimate
    carbon_gco2e: Estimate
    embodied_gco2e: Estimate | None = None
    carbon_total_gco2e: Estimate | None = None
    water_l: Estimate | None = None
    profile: str | None = None
    model: str | None = None
    day: date | None = None


@dataclass
class RunResult:
    region: Region
    cells: list[CellResult]  # sorted by (day, profile)
    profiles: list[Subtotal]  # sorted by profile code
    totals: Subtotal


@dataclass(frozen=True, slots=True)
class _BoundConstants:
    """A profile's parameters taken at one bound, ready for the per-cell loop."""

    input_tokens: float
    output_tokens: float
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    power_w: float
    efficiency: float
    pue: float
    carbon_intensity: float
    embodied_g_per_replica_s: float | None  # None: not assessed in this version
    water_l_per_kwh_it: float | None


def _constants(profile: UsageProfile, model: ModelProfile, region: Region, bound: str) -> _BoundConstants:
    opposite = _OPPOSITE[bound]
    embodied = None
    if model.embodied_kgco2e is not None:
        embodied = model.embodied_kgco2e.at(bound) * 1000 / (model.lifetime_years.at(opposite) * SECONDS_PER_YEAR)
    water = None
    if region.wue is not None:
        water = region.wue.at(bound) + region.pue.at(bound) * region.water_intensity.at(bound)
    return _BoundConstants(
        input_tokens=profile.input_tokens.at(bound),
        output_tokens=profile.output_tokens.at(bound),
        prefill_tokens_per_s=model.prefill_tokens_per_s.at(opposite),
        decode_tokens_per_s=model.decode_tokens_per_s.at(opposite),
        power_w=model.gpu_count.at(bound) * model.gpu_power_w.at(bound) + model.host_power_w.at(bound),
        efficiency=model.efficiency.at(opposite),
        pue=region.pue.at(bound),
        carbon_intensity=region.carbon_intensity.at(bound),
        embodied_g_per_replica_s=embodied,
        water_l_per_kwh_it=water,
    )


def cell_impacts(
    constants: _BoundConstants, inferences: int, input_tokens: int | None, output_tokens: int | None
) -> tuple[float, float, float | None, float | None]:
    """One cell at one bound: (energy kWh, carbon gCO2e, embodied gCO2e, water L).

    Explicit tokens have no range; embodied and water are None where not assessed.
    """
    tokens_in = input_tokens if input_tokens is not None else inferences * constants.input_tokens
    tokens_out = output_tokens if output_tokens is not None else inferences * constants.output_tokens
    busy_s = tokens_in / constants.prefill_tokens_per_s + tokens_out / constants.decode_tokens_per_s
    replica_s = busy_s / constants.efficiency
    energy_it = constants.power_w * replica_s / JOULES_PER_KWH
    energy = energy_it * constants.pue
    embodied = None if constants.embodied_g_per_replica_s is None else constants.embodied_g_per_replica_s * replica_s
    water = None if constants.water_l_per_kwh_it is None else energy_it * constants.water_l_per_kwh_it
    return energy, energy * constants.carbon_intensity, embodied, water


def _plain(number: float) -> float | int:
    """Token counts are whole numbers as soon as they can be: 1500 not 1500.0."""
    return int(number) if float(number).is_integer() else number


def _sum_estimates(estimates: list[Estimate | None]) -> Estimate | None:
    """Sum of estimates; not assessed (None) as soon as one part is not."""
    if any(e is None for e in estimates):
        return None
    return Estimate(
        math.fsum(e.value for e in estimates),
        math.fsum(e.low for e in estimates),
        math.fsum(e.high for e in estimates),
    )


def subtotal(cells: list[CellResult], **labels) -> Subtotal:
    return Subtotal(
        inferences=sum(c.inferences for c in cells),
        input_tokens=_plain(math.fsum(c.input_tokens for c in cells)),
        output_tokens=_plain(math.fsum(c.output_tokens for c in cells)),
        energy_kwh=_sum_estimates([c.energy_kwh for c in cells]),
        carbon_gco2e=_sum_estimates([c.carbon_gco2e for c in cells]),
        embodied_gco2e=_sum_estimates([c.embodied_gco2e for c in cells]),
        carbon_total_gco2e=_sum_estimates([c.carbon_total_gco2e for c in cells]),
        water_l=_sum_estimates([c.water_l for c in cells]),
        **labels,
    )


def compute(cells: Iterable[Cell], parameters: ParameterSet, region: str | None = None) -> RunResult:
    """Energy and carbon of every cell, per profile and for the run, under `parameters` in `region`."""
    with collector_paused():  # six acyclic objects per cell: no need for the cyclic collector to walk them
        return _compute(cells, parameters, region)


def _compute(cells: Iterable[Cell], parameters: ParameterSet, region: str | None) -> RunResult:
    region_params = parameters.region(region)
    constants_by_profile: dict[str, tuple[_BoundConstants, _BoundConstants, _BoundConstants]] = {}
    for code, profile in parameters.profiles.items():
        model = parameters.models[profile.model]
        constants_by_profile[code] = tuple(_constants(profile, model, region_params, b) for b in BOUNDS)

    results: list[CellResult] = []
    for cell in cells:
        central, low, high = constants_by_profile[cell.profile]
        n, explicit_in, explicit_out = cell.inferences, cell.input_tokens, cell.output_tokens
        energy_v, carbon_v, embodied_v, water_v = cell_impacts(central, n, explicit_in, explicit_out)
        energy_l, carbon_l, embodied_l, water_l = cell_impacts(low, n, explicit_in, explicit_out)
        energy_h, carbon_h, embodied_h, water_h = cell_impacts(high, n, explicit_in, explicit_out)
        embodied = None if embodied_v is None else Estimate(embodied_v, embodied_l, embodied_h)
        results.append(
            CellResult(
                day=cell.day,
                profile=cell.profile,
                inferences=n,
                input_tokens=_plain(explicit_in if explicit_in is not None else n * central.input_tokens),
                output_tokens=_plain(explicit_out if explicit_out is not None else n * central.output_tokens),
                explicit_input_tokens=explicit_in,
                explicit_output_tokens=explicit_out,
                energy_kwh=Estimate(energy_v, energy_l, energy_h),
                carbon_gco2e=Estimate(carbon_v, carbon_l, carbon_h),
                embodied_gco2e=embodied,
                carbon_total_gco2e=None if embodied is None else Estimate(
                    carbon_v + embodied_v, carbon_l + embodied_l, carbon_h + embodied_h
                ),
                water_l=None if water_v is None else Estimate(water_v, water_l, water_h),
            )
        )
    results.sort(key=lambda c: (c.day, c.profile))

    by_profile: dict[str, list[CellResult]] = {}
    for result in results:
        by_profile.setdefault(result.profile, []).append(result)
    profiles = [
        subtotal(by_profile[code], profile=code, model=parameters.profiles[code].model) for code in sorted(by_profile)
    ]
    return RunResult(region=region_params, cells=results, profiles=profiles, totals=subtotal(results))


def per_inference(total: Estimate, inferences: int, scale: float = 1.0) -> Estimate | None:
    """A derived ratio (Wh or g per inference); undefined, not zero, when there is no inference."""
    if inferences == 0:
        return None
    return Estimate(scale * total.value / inferences, scale * total.low / inferences, scale * total.high / inferences)
