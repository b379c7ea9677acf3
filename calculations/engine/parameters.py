"""Methodology parameters: every number has a central value and a range."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import HYPOTHESES, names


@dataclass(frozen=True, slots=True)
class Param:
    """A hypothesis: central `value` with `low <= value <= high`."""

    value: float
    low: float
    high: float

    @classmethod
    def exact(cls, value: float) -> "Param":
        return cls(value, value, value)

    def is_exact(self) -> bool:
        return self.low == self.value == self.high

    def at(self, bound: str) -> float:
        """`bound` is "value", "low" or "high"."""
        return getattr(self, bound)


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    pue: Param
    carbon_intensity: Param  # gCO2e/kWh
    source: str = ""
    # Methodology.md section 8 (optional: a version without them gives no water figure, "not assessed")
    wue: Param | None = None  # L/kWh of IT energy, on site
    water_intensity: Param | None = None  # L/kWh generated in the region's grid
    # Optional on its own: the market-based factor (residual mix or supplier's), gCO2e/kWh
    carbon_intensity_market: Param | None = None
    # The name in French: a translation, not part of the methodology (nor of its hash, nor of equality).
    name_fr: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class ModelProfile:
    code: str
    name: str
    gpu_count: Param
    gpu_power_w: Param
    host_power_w: Param
    prefill_tokens_per_s: Param
    decode_tokens_per_s: Param
    efficiency: Param
    source: str = ""
    # Methodology.md section 8 (optional: a version without them gives no embodied figure, "not assessed")
    embodied_kgco2e: Param | None = None  # manufacturing footprint of one replica's hardware
    lifetime_years: Param | None = None
    # Methodology.md section 3 (optional on its own: without it a cached input token costs a full prefill token)
    cached_input_fraction: Param | None = None
    # How its inference is procured (engine/scope.py): own_datacentre, cloud or api_service; "" not declared
    # (versions published before the key existed keep their hash: the canonical form holds it only when declared).
    procurement: str = ""
    name_fr: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class UsageProfile:
    code: str
    name: str
    model: str
    input_tokens: Param
    output_tokens: Param
    aliases: tuple[str, ...] = ()
    source: str = ""
    name_fr: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Equivalent:
    """A conversion factor that makes a total tangible: `amount` of `metric` per one `unit`.

    For example 0.015 kWh (0.012-0.019) of energy_kwh per "smartphone charge".
    """

    code: str
    name: str
    metric: str  # one of EQUIVALENT_METRICS
    unit: str
    amount: Param
    source: str = ""
    name_fr: str = field(default="", compare=False)
    unit_fr: str = field(default="", compare=False)


# Totals an equivalent may convert.
EQUIVALENT_METRICS = ("energy_kwh", "carbon_gco2e", "carbon_total_gco2e", "water_l")


# Parameter names per kind, in the order they appear in config files and in the canonical form:
# the parameter catalogue's (catalogue.py), which also holds their units, labels and rules.
REGION_PARAMS = names("regions", optional=False)
MODEL_PARAMS = names("models", optional=False)
PROFILE_PARAMS = names("profiles", optional=False)
# Optional parameters: those of methodology.md section 8 (decision 12), which come all or none, and
# those given on their own (catalogue.optional_alone: carbon_intensity_market, cached_input_fraction).
REGION_EXTENSION_PARAMS = names("regions", optional=True)
MODEL_EXTENSION_PARAMS = names("models", optional=True)

# Units of the parameters of regions, model profiles and usage profiles (an equivalent's amount
# is in its own unit).
PARAM_UNITS = {h.name: h.unit for h in HYPOTHESES if h.section != "equivalents"}


@dataclass(frozen=True)
class ParameterSet:
    """A whole methodology: what a version holds."""

    default_region: str
    regions: dict[str, Region]
    models: dict[str, ModelProfile]
    profiles: dict[str, UsageProfile]
    version: int | None = None  # None when read from files, not the database
    sha256: str = ""
    equivalents: dict[str, Equivalent] = field(default_factory=dict)
    _alias_index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def region(self, code: str | None) -> Region:
        return self.regions[code or self.default_region]

    def alias_index(self) -> dict[str, str]:
        """alias -> usage profile code."""
        if not self._alias_index:
            for profile in self.profiles.values():
                for alias in profile.aliases:
                    self._alias_index[alias] = profile.code
        return self._alias_index


def range_columns(entry, names: tuple[str, ...]) -> dict[str, float | None]:
    """`{name}_value`, `{name}_low`, `{name}_high` of each named range (a Param or a result's Estimate)
    of `entry`, as flat columns; None in all three where the range is absent ("not assessed")."""
    columns: dict[str, float | None] = {}
    for name in names:
        estimate = getattr(entry, name)
        for bound in ("value", "low", "high"):
            columns[f"{name}_{bound}"] = None if estimate is None else getattr(estimate, bound)
    return columns

