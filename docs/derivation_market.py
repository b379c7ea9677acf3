"""The market-based factor of methodology version 2's regions: the arithmetic of docs/derivation.md section 1.3.

Read by docs/derivation.py (which writes it into config/config.yaml and docs/derivation.md); the figures and
where they were read are in docs/derivation_inputs.py (MARKET_AIB, AIB_EDITIONS, MARKET_NOT_ASSESSED).
Standard library only.
"""

from __future__ import annotations

import textwrap

import derivation_inputs as inp

LATEST, PREVIOUS = 2024, 2023  # the AIB editions read in two copies (data years)


def _fmt(number: float) -> str:
    return f"{number:g}"


def market_factor(code: str) -> dict | None:
    """The region's residual-mix factor {value, low, high} in gCO2/kWh, or None ("not assessed").

    value: the latest edition read in two copies; low and high: value minus and plus its change from the
    previous edition (the methodology owner's assumption: the next edition moves as far, either way)."""
    if code not in inp.MARKET_AIB:
        return None
    _country, years = inp.MARKET_AIB[code]
    value, change = years[LATEST], abs(years[LATEST] - years[PREVIOUS])
    return {"value": float(value), "low": round(value - change, 2), "high": round(value + change, 2)}


def market_source(code: str) -> str:
    """The sentence of the region's `source` on its market-based factor."""
    factor = market_factor(code)
    if factor is None:
        return "Market-based factor not assessed (docs/derivation.md section 1.3)."
    country, years = inp.MARKET_AIB[code]
    return (
        f"Market-based factor (residual mix), direct CO2 at the power plant only, not life cycle: "
        f"{inp.AIB_EDITIONS[LATEST]}, {country} {_fmt(years[LATEST])}; {inp.AIB_EDITIONS[PREVIOUS]}, "
        f"{country} {_fmt(years[PREVIOUS])} (each read in two copies, docs/derivation.md section 1.3). "
        f"Central {_fmt(factor['value'])} (the {LATEST} edition); low {_fmt(factor['low'])} and high "
        f"{_fmt(factor['high'])}: the central value minus and plus its change from the {PREVIOUS} edition, an "
        f"assumption (the next edition moves as far, either way)."
    )


def market_md() -> list[str]:
    """docs/derivation.md section 1.3."""
    lines = [
        "### 1.3 Market-based factor (residual mix, direct CO2)",
        "",
        "`carbon_intensity_market` is the factor of electricity bought without a certificate or a supplier's",
        "own figure: the residual mix, the GHG Protocol Scope 2 Guidance's default for the market-based method",
        "(in the EU/EEA, AIB's European Residual Mixes). The regions below carry AIB's figure; the others show",
        "\"not assessed\" (never 0). A team with its provider's market-based factor, or its own certificates,",
        "gives it in a new version.",
        "",
        "**Where it was read.** AIB's PDFs could not be read here. Each figure is in two independent copies",
        "that agree: themisiqco/themisiq (`lib/ghg/factors/aib-2023.ts`, each value cited to its cell",
        "\"Residual Mixes!Q<row>\" and \"PDF Table 2\"; `lib/ghg/engine.ts` `RESIDUAL_EU` for 2024, two decimals)",
        "and Mrzv-pv/hosmos (`src/data/emission-factors.ts`, `GRID_FACTORS` `residualMix`, cut to the unit, or",
        "to one decimal below 100). Italy's and Belgium's 2024 figures are also in national factor registers",
        "(441.20, 131.73). Germany's 493 gCO2/kWh met in other code is in neither edition (2023: 719.9, 2024:",
        "724.56); the 725 of version 2's note is the 2024 figure, rounded.",
        "",
        "**Boundary.** AIB counts direct CO2 at the power plant only (its FAQ on the residual mix: \"Only direct",
        "emissions are considered. No LCA calculations are performed, and biogenic carbon emissions are not",
        "included either\"): no upstream fuel chain, no plant construction, no CH4 or N2O. The location-based",
        "factor (1.1) is life cycle. The two are not on one system boundary, so the gap between a region's",
        "location- and market-based carbon mixes the effect of the certificates with that of the boundary,",
        "and the market-based figure understates a life-cycle residual mix by the upstream share of its fuels.",
        "No life-cycle uplift is applied: the copies of the location-based series read here (Ember and",
        "Electricity Maps via CO2.js, EcoLogits) give life-cycle figures only, so no direct-to-life-cycle ratio",
        "per country is cited, and one from elsewhere would be a further boundary choice.",
        "",
        f"**Value, low, high.** Value: the {LATEST} edition (data year {LATEST}), the latest read in two copies.",
        "The residual mix of a reporting year is published in May-June of the next year, and it moves from",
        "edition to edition with the trade in guarantees of origin, so low and high are the value minus and",
        f"plus its change from the {PREVIOUS} edition: the methodology owner's assumption that the next edition",
        f"moves as far, either way (the {PREVIOUS} figure is one end). A symmetric range keeps the central value",
        "inside the Monte Carlo's interval, as section 1.1's median does: with the two editions as low and high",
        "(the value at one end), the central market-based carbon of 29 of the 310 (region, profile) typical",
        "cases fell outside its 90 % interval, by up to 12 %; with this range, none (a test checks it).",
        "",
        f"| region | AIB | value | low | high | {PREVIOUS} edition | {LATEST} edition |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, (country, years) in inp.MARKET_AIB.items():
        f = market_factor(code)
        lines.append(f"| `{code}` | {country} | {_fmt(f['value'])} | {_fmt(f['low'])} | {_fmt(f['high'])} | "
                     f"{_fmt(years[PREVIOUS])} | {_fmt(years[LATEST])} |")
    return lines + _editions_md() + _not_assessed_md()


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width=104, subsequent_indent=indent, break_on_hyphens=False)


def _editions_md() -> list[str]:
    one_copy = inp.AIB_2025_ONE_COPY
    outside = [country for code, (country, _years) in inp.MARKET_AIB.items()
               if not market_factor(code)["low"] <= one_copy[country] <= market_factor(code)["high"]]
    editions = "; ".join(f"{year}: {text}" for year, text in sorted(inp.AIB_EDITIONS.items()))
    later = ", ".join(f"{country} {_fmt(value)}" for country, value in one_copy.items())
    return [""] + _wrapped(
        f"Editions: {editions}. AIB's 2025 edition (data year 2025, Version 1.0, 2026-05-26) was read in one "
        f"copy only (themisiq `lib/ghg/factors/aib-2025.ts`; Italy's figure also in an Italian register): "
        f"{later}. Not used until a second copy or the PDF confirms it; {len(outside)} of these fall outside "
        f"the ranges above ({', '.join(outside)}): for them the edition-to-edition assumption is narrow."
    ) + [""] + _wrapped(
        "AIB's pages note that the country and energy-source emission factors forming the base of the "
        "residual-mix calculation may not be sold, distributed or processed as part of a derivative tool. This "
        "version uses only the published residual-mix results, each cited to AIB; whether that note also "
        "covers them is for the methodology owner to confirm with AIB."
    )


def _not_assessed_md() -> list[str]:
    names = {"us": "US regions", "others": "Others"}
    lines = ["", "Not assessed:", ""]
    for code, why in inp.MARKET_NOT_ASSESSED.items():
        lines += _wrapped(f"- {names.get(code, f'`{code}`')}: {why}.", indent="  ")
    return lines + [""]
