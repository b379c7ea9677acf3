"""Human-readable renderings of the result document (the CLI's text table).

Figures are shown in the units the pages use (presentation.numbers): one unit per column, picked from
the total (kWh up to 10 MWh, then MWh; g below 1 kg, then kgCO2e and tCO2e)."""

from __future__ import annotations

from calculations.presentation.numbers import Unit, carbon_unit, energy_unit


def format_range(estimate: dict, unit: Unit, digits: int = 3) -> str:
    """"412 kWh (90 %: 300–700; worst case 190–980)": a document's estimate (kWh, gCO2e) in the display
    `unit`, its 90 % interval first; "412 kWh (worst case 190–980; 90 % not computed)" for a run saved
    before the Monte Carlo."""
    def fmt(number: float) -> str:
        number *= unit.factor
        return f"{number:,.{digits}g}" if abs(number) < 1000 else f"{number:,.0f}"

    worst = f"worst case {fmt(estimate['low'])}–{fmt(estimate['high'])}"
    if estimate.get("p5") is None:
        return f"{fmt(estimate['value'])} {unit.symbol} ({worst}; 90 % not computed)"
    return f"{fmt(estimate['value'])} {unit.symbol} (90 %: {fmt(estimate['p5'])}–{fmt(estimate['p95'])}; {worst})"


def source_groups(count: int) -> str:
    return f"{count} source group" if count == 1 else f"{count} source groups"


def format_table(document: dict) -> str:
    methodology, source, totals = document["methodology"], document["input"], document["totals"]
    version = f"v{methodology['version']}" if methodology["version"] is not None else "files"
    energy, carbon = energy_unit(totals["energy_kwh"]["value"]), carbon_unit(totals["carbon_gco2e"]["value"])
    lines = [
        f"Methodology {version} (sha256 {methodology['sha256'][:12]}…), region {methodology['region']}",
        f"Input {source['format']}, {source['bytes']:,} bytes, sha256 {source['sha256'][:12]}…, "
        f"{source['first_day']} to {source['last_day']} ({source['days']} days)",
        "",
    ]
    rows = document["profiles"] + [{"profile": "TOTAL", "model": "", **totals}]
    # Columns as wide as their longest name and a gap (v2's profile codes run past 16 characters).
    profile_width = max(16, *(len(row["profile"]) + 2 for row in rows))
    model_width = max(20, *(len(row["model"]) + 2 for row in rows))
    lines.append(f"{'profile':<{profile_width}}{'model':<{model_width}}{'inferences':>14}  "
                 f"{f'energy {energy.symbol} (90 % P5–P95; worst case)':<58}"
                 f"carbon {carbon.symbol}, location-based (90 % P5–P95; worst case)")
    for row in rows:
        lines.append(
            f"{row['profile']:<{profile_width}}{row['model']:<{model_width}}{_inferences(row['inferences']):>14}  "
            f"{format_range(row['energy_kwh'], energy):<58}{format_range(row['carbon_gco2e'], carbon)}"
        )
    market = totals.get("carbon_market_gco2e")
    lines.append(f"Carbon, market-based: {format_range(market, carbon)}" if market is not None else
                 "Carbon, market-based: not assessed (no market-based factor for this region)")
    monte_carlo = document.get("uncertainty")
    if monte_carlo:
        lines.append(f"90 % interval: Monte Carlo of {monte_carlo['draws']} draws, PCG64, seed {monte_carlo['seed']}")
    for mapping in source.get("mappings", []):
        lines.append(f"{mapping['profile']} ← {mapping['rule']} {mapping['matched']} "
                     f"({source_groups(mapping['source_groups'])})")
    if source.get("generic_models"):
        lines.append("Unknown models counted as the generic usage profile (--unknown-models generic): "
                     + ", ".join(source["generic_models"]))
    if source.get("inferences_reported") is False:
        lines.append("Inferences not reported: the usage report counts tokens, not requests "
                     "(no per-inference figure).")
    return "\n".join(lines)


def _inferences(count: int | None) -> str:
    return "not reported" if count is None else f"{count:,}"
