"""The formulas of docs/methodology.md, one small function per quantity, with its unit in its name.

Every caller computes through these functions: `compute` (per cell, three bounds), `sensitivity`
(per profile, one parameter moved at a time), the Monte Carlo (numpy arrays of draws) and the
Shapley bridge (per-profile aggregates). So each function is plain arithmetic on its arguments
(`+ - * /`, no `math.*`): it gives the same numbers on floats and, element by element, on numpy
arrays of any shape that broadcast together.

The order of the floating-point operations is part of the formula: stored results and the
golden documents were computed in this order, and changing it changes the last bits. In
particular the efficiency divides the busy time first (`charged_replica_seconds`), and the
IT energy multiplies the power by that charged time; methodology.md writes the same product
as `power_w × busy_s / efficiency / 3 600 000`, which is equal in exact arithmetic.
"""

from __future__ import annotations

JOULES_PER_KWH = 3_600_000
SECONDS_PER_YEAR = 365.25 * 86400
GRAMS_PER_KG = 1000
WH_PER_KWH = 1000


def estimated_tokens(inferences, tokens_per_inference):
    """Tokens of a cell without an explicit count [tokens]: inferences x the usage profile's
    typical size (methodology.md section 3, step 1)."""
    return inferences * tokens_per_inference


def prefill_tokens(input_tokens, cached_input_tokens, cached_input_fraction):
    """Prefill work of the input tokens [prefill-token equivalents]: the uncached tokens in full and
    the cached ones at `cached_input_fraction` of a prefill token (methodology.md section 3, step 2).
    `input_tokens` counts every input token, cached included; a version without the fraction
    counts cached tokens as ordinary input (fraction 1: the result is `input_tokens`)."""
    return (input_tokens - cached_input_tokens) + cached_input_fraction * cached_input_tokens


def busy_replica_seconds(input_tokens, output_tokens, prefill_tokens_per_s, decode_tokens_per_s):
    """Share of one replica's time the tokens used [replica-seconds]: tokens / aggregate
    throughput, prefill and decode apart (methodology.md section 3, step 2)."""
    return input_tokens / prefill_tokens_per_s + output_tokens / decode_tokens_per_s


def power_w(gpu_count, gpu_power_w, host_power_w):
    """Draw of one replica while it serves [W]: its GPUs and its share of the host
    (methodology.md section 3, step 3)."""
    return gpu_count * gpu_power_w + host_power_w


def charged_replica_seconds(busy_replica_seconds, efficiency):
    """Replica time charged to the requests, idle time included [s]: `replica_s` of
    methodology.md section 8, the `/ efficiency` of section 3, step 4."""
    return busy_replica_seconds / efficiency


def energy_it_kwh(power_w, charged_replica_seconds):
    """IT energy [kWh]: power x charged time, in joules, over 3 600 000 J/kWh
    (methodology.md section 3, step 4)."""
    return power_w * charged_replica_seconds / JOULES_PER_KWH


def energy_kwh(energy_it_kwh, pue):
    """Facility energy [kWh]: IT energy x the datacenter's PUE (methodology.md section 3, step 5)."""
    return energy_it_kwh * pue


def carbon_gco2e(energy_kwh, carbon_intensity):
    """Electricity carbon [gCO2e]: facility energy x the grid's location-based life-cycle
    intensity in gCO2e/kWh (methodology.md section 3, step 6)."""
    return energy_kwh * carbon_intensity


def carbon_market_gco2e(energy_kwh, carbon_intensity_market):
    """Electricity carbon, market-based [gCO2e]: facility energy x the region's market-based factor in
    gCO2e/kWh, a residual mix or a supplier's factor (GHG Protocol Scope 2 Guidance; methodology.md
    section 3, step 6). `carbon_gco2e` stays the location-based figure."""
    return energy_kwh * carbon_intensity_market


def embodied_gco2e_per_replica_second(embodied_kgco2e, lifetime_years):
    """Manufacturing footprint of a replica's hardware spread over its lifetime [gCO2e per
    replica-second] (methodology.md section 8: `embodied_kgco2e × 1000 / (lifetime_years × 365.25 × 86 400)`)."""
    return embodied_kgco2e * GRAMS_PER_KG / (lifetime_years * SECONDS_PER_YEAR)


def embodied_gco2e(embodied_gco2e_per_replica_second, charged_replica_seconds):
    """Embodied carbon of the charged replica time [gCO2e] (methodology.md section 8, `embodied_g`)."""
    return embodied_gco2e_per_replica_second * charged_replica_seconds


def carbon_total_gco2e(carbon_gco2e, embodied_gco2e):
    """Electricity and embodied carbon [gCO2e] (methodology.md section 8, `carbon_total`)."""
    return carbon_gco2e + embodied_gco2e


def water_l_per_kwh_it(wue, pue, water_intensity):
    """Water per kWh of IT energy [L/kWh]: on site (WUE) plus the grid's water for the facility
    energy that kWh entails (methodology.md section 8: `wue + pue × water_intensity`)."""
    return wue + pue * water_intensity


def water_l(energy_it_kwh, water_l_per_kwh_it):
    """Water consumed [L] (methodology.md section 8, `water_l`)."""
    return energy_it_kwh * water_l_per_kwh_it


def wh_per_inference(energy_kwh, inferences):
    """Energy per inference [Wh] (methodology.md section 3, "Ratios shown to users"). Undefined
    when there is no inference: callers show nothing then (section 9, decision 1)."""
    return WH_PER_KWH * energy_kwh / inferences


def gco2e_per_inference(carbon_gco2e, inferences):
    """Carbon per inference [gCO2e] (methodology.md section 3, "Ratios shown to users"); undefined
    when there is no inference, as `wh_per_inference`."""
    return carbon_gco2e / inferences
