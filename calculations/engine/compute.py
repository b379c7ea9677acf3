"""The formulas of methodology.md sections 2 and 3.

For each (day, profile) cell:

    busy_s    = tokens_in / prefill_tokens_per_s + tokens_out / decode_tokens_per_s   [replica-seconds]
    power_w   = gpu_count * gpu_power_w + host_power_w                                [W]
    energy_it = power_w * busy_s / efficiency / 3_600_000                             [kWh]
    energy    = energy_it * pue                                                       [kWh]
    carbon    = energy * carbon_intensity                                             [gCO2e]

The low and high bounds take every parameter at the extreme that lowers or raises
the result; the formula is monotone in each, so the bounds are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .analytics import Cell
from .parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile

JOULES_PER_KWH = 3_600_000
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


@dataclass(slots=True)
class Subtotal:
    """A sum of cells: per profile (with its model), per day, or for the whole run."""

    inferences: int
    input_tokens: float
    output_tokens: float
    energy_kwh: Estimate
    carbon_gco2e: Estimate
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


def _constants(profile: UsageProfile, model: ModelProfile, region: Region, bound: str) -> _BoundConstants:
    opposite = _OPPOSITE[bound]
    return _BoundConstants(
        input_tokens=profile.input_tokens.at(bound),
        output_tokens=profile.output_tokens.at(bound),
        prefill_tokens_per_s=model.prefill_tokens_per_s.at(opposite),
        decode_tokens_per_s=model.decode_tokens_per_s.at(opposite),
        power_w=model.gpu_count.at(bound) * model.gpu_power_w.at(bound) + model.host_power_w.at(bound),
        efficiency=model.efficiency.at(opposite),
        pue=region.pue.at(bound),
        carbon_intensity=region.carbon_intensity.at(bound),
    )


def energy_and_carbon(
    constants: _BoundConstants, inferences: int, input_tokens: int | None, output_tokens: int | None
) -> tuple[float, float]:
    """One cell at one bound: (energy kWh, carbon gCO2e). Explicit tokens have no range."""
    tokens_in = input_tokens if input_tokens is not None else inferences * constants.input_tokens
    tokens_out = output_tokens if output_tokens is not None else inferences * constants.output_tokens
    busy_s = tokens_in / constants.prefill_tokens_per_s + tokens_out / constants.decode_tokens_per_s
    energy_it = constants.power_w * busy_s / constants.efficiency / JOULES_PER_KWH
    energy = energy_it * constants.pue
    return energy, energy * constants.carbon_intensity


def _plain(number: float) -> float | int:
    """Token counts are whole numbers as soon as they can be: 1500 not 1500.0."""
    return int(number) if float(number).is_integer() else number


def _sum_estimates(estimates: list[Estimate]) -> Estimate:
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
        **labels,
    )


def compute(cells: Iterable[Cell], parameters: ParameterSet, region: str | None = None) -> RunResult:
    """Energy and carbon of every cell, per profile and for the run, under `parameters` in `region`."""
    region_params = parameters.region(region)
    constants_by_profile: dict[str, tuple[_BoundConstants, _BoundConstants, _BoundConstants]] = {}
    for code, profile in parameters.profiles.items():
        model = parameters.models[profile.model]
        constants_by_profile[code] = tuple(_constants(profile, model, region_params, b) for b in BOUNDS)

    results: list[CellResult] = []
    for cell in cells:
        central, low, high = constants_by_profile[cell.profile]
        n, explicit_in, explicit_out = cell.inferences, cell.input_tokens, cell.output_tokens
        energy_value, carbon_value = energy_and_carbon(central, n, explicit_in, explicit_out)
        energy_low, carbon_low = energy_and_carbon(low, n, explicit_in, explicit_out)
        energy_high, carbon_high = energy_and_carbon(high, n, explicit_in, explicit_out)
        results.append(
            CellResult(
                day=cell.day,
                profile=cell.profile,
                inferences=n,
                input_tokens=_plain(explicit_in if explicit_in is not None else n * central.input_tokens),
                output_tokens=_plain(explicit_out if explicit_out is not None else n * central.output_tokens),
                explicit_input_tokens=explicit_in,
                explicit_output_tokens=explicit_out,
                energy_kwh=Estimate(energy_value, energy_low, energy_high),
                carbon_gco2e=Estimate(carbon_value, carbon_low, carbon_high),
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
