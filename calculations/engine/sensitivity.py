"""What drives the result: the swing of energy and carbon when one parameter alone goes
from its low to its high value, the others at their central values (a tornado chart;
docs/methodology.md section 9, decision 14).

The formulas are linear in the counts, so a run reduces to five sums per usage profile
and each swing costs a few multiplications, whatever the number of days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import formulas
from .parameters import MODEL_PARAMS, PROFILE_PARAMS, REGION_PARAMS, ParameterSet


@dataclass(slots=True)
class ProfileUsage:
    """A profile's usage reduced to what the formulas need."""

    inferences_estimated_input: int = 0  # inferences whose input tokens come from the profile average
    explicit_input_tokens: int = 0
    inferences_estimated_output: int = 0
    explicit_output_tokens: int = 0
    explicit_cached_input_tokens: int = 0  # the cached subset of explicit_input_tokens


def input_prefill_tokens(usage: ProfileUsage, input_tokens_per_inference, cached_input_fraction):
    """A profile's input tokens as prefill work: estimated and explicit tokens, the cached ones at
    their fraction (formulas.prefill_tokens); floats or numpy arrays of draws alike."""
    tokens_in = formulas.estimated_tokens(usage.inferences_estimated_input, input_tokens_per_inference)
    if usage.explicit_input_tokens:  # adding 0 changes no figure, but costs a pass over the Monte Carlo's draws
        tokens_in = tokens_in + usage.explicit_input_tokens
    if not usage.explicit_cached_input_tokens:
        return tokens_in
    return formulas.prefill_tokens(tokens_in, usage.explicit_cached_input_tokens, cached_input_fraction)


@dataclass(frozen=True, slots=True)
class Swing:
    section: str  # regions, models or profiles
    code: str
    parameter: str
    energy_kwh_at_low: float  # the parameter at its low value, others central
    energy_kwh_at_high: float
    carbon_gco2e_at_low: float
    carbon_gco2e_at_high: float

    @property
    def energy_swing_kwh(self) -> float:
        return abs(self.energy_kwh_at_high - self.energy_kwh_at_low)

    @property
    def carbon_swing_gco2e(self) -> float:
        return abs(self.carbon_gco2e_at_high - self.carbon_gco2e_at_low)

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "code": self.code,
            "parameter": self.parameter,
            "energy_kwh": {"at_low": self.energy_kwh_at_low, "at_high": self.energy_kwh_at_high,
                           "swing": self.energy_swing_kwh},
            "carbon_gco2e": {"at_low": self.carbon_gco2e_at_low, "at_high": self.carbon_gco2e_at_high,
                             "swing": self.carbon_swing_gco2e},
        }


def _central(entry, names) -> dict[str, float]:
    return {name: getattr(entry, name).value for name in names}


def _totals(usage: dict[str, ProfileUsage], values: dict[tuple[str, str], dict[str, float]], region: str):
    """(energy kWh, carbon gCO2e) with the given central values."""
    r = values[("regions", region)]
    energies = []
    for code, u in usage.items():
        p = values[("profiles", code)]
        m = values[("models", p["model"])]
        tokens_in = input_prefill_tokens(u, p["input_tokens"], m["cached_input_fraction"])
        tokens_out = formulas.estimated_tokens(u.inferences_estimated_output, p["output_tokens"]) + u.explicit_output_tokens
        busy_s = formulas.busy_replica_seconds(tokens_in, tokens_out, m["prefill_tokens_per_s"], m["decode_tokens_per_s"])
        power_w = formulas.power_w(m["gpu_count"], m["gpu_power_w"], m["host_power_w"])
        energy_it = formulas.energy_it_kwh(power_w, formulas.charged_replica_seconds(busy_s, m["efficiency"]))
        energies.append(formulas.energy_kwh(energy_it, r["pue"]))
    energy = math.fsum(energies)
    return energy, formulas.carbon_gco2e(energy, r["carbon_intensity"])


def swings(usage: dict[str, ProfileUsage], parameters: ParameterSet, region: str | None = None) -> list[Swing]:
    """One swing per parameter that touches this usage, largest carbon swing first."""
    region = region or parameters.default_region
    values: dict[tuple[str, str], dict[str, float]] = {("regions", region): _central(parameters.regions[region], REGION_PARAMS)}
    for code in usage:
        profile = parameters.profiles[code]
        values[("profiles", code)] = {**_central(profile, PROFILE_PARAMS), "model": profile.model}
        model = parameters.models[profile.model]
        values[("models", profile.model)] = {
            **_central(model, MODEL_PARAMS),
            "cached_input_fraction": 1.0 if model.cached_input_fraction is None else model.cached_input_fraction.value,
        }
    cached_models = {parameters.profiles[code].model for code, u in usage.items() if u.explicit_cached_input_tokens}

    names = {"regions": REGION_PARAMS, "models": MODEL_PARAMS, "profiles": PROFILE_PARAMS}
    entries = {"regions": parameters.regions, "models": parameters.models, "profiles": parameters.profiles}
    results = []
    for (section, code), central in sorted(values.items()):
        extra = ("cached_input_fraction",) if section == "models" and code in cached_models else ()
        for name in names[section] + extra:
            param = getattr(entries[section][code], name)
            if param is None or param.is_exact():
                continue
            at = {}
            for bound in ("low", "high"):
                changed = dict(values)
                changed[(section, code)] = {**central, name: param.at(bound)}
                at[bound] = _totals(usage, changed, region)
            results.append(Swing(section, code, name, at["low"][0], at["high"][0], at["low"][1], at["high"][1]))
    results.sort(key=lambda s: (-s.carbon_swing_gco2e, -s.energy_swing_kwh, s.section, s.code, s.parameter))
    return results
