"""Human-readable renderings of the result document (CLI table)."""

from __future__ import annotations


def format_range(estimate: dict, unit: str, digits: int = 3) -> str:
    def fmt(number: float) -> str:
        return f"{number:,.{digits}g}" if abs(number) < 1000 else f"{number:,.0f}"

    return f"{fmt(estimate['value'])} {unit} ({fmt(estimate['low'])}–{fmt(estimate['high'])})"


def format_table(document: dict) -> str:
    methodology, source, totals = document["methodology"], document["input"], document["totals"]
    version = f"v{methodology['version']}" if methodology["version"] is not None else "files"
    lines = [
        f"Methodology {version} (sha256 {methodology['sha256'][:12]}…), region {methodology['region']}",
        f"Input {source['format']}, {source['bytes']:,} bytes, sha256 {source['sha256'][:12]}…, "
        f"{source['first_day']} to {source['last_day']} ({source['days']} days)",
        "",
        f"{'profile':<16}{'model':<20}{'inferences':>14}  {'energy kWh (low–high)':<34}{'carbon gCO2e (low–high)'}",
    ]
    for row in document["profiles"] + [{"profile": "TOTAL", "model": "", **totals}]:
        lines.append(
            f"{row['profile']:<16}{row['model']:<20}{row['inferences']:>14,}  "
            f"{format_range(row['energy_kwh'], 'kWh'):<34}{format_range(row['carbon_gco2e'], 'g')}"
        )
    for mapping in source.get("mappings", []):
        lines.append(f"{mapping['profile']} ← {mapping['rule']} {mapping['matched']} ({mapping['source_groups']} source groups)")
    return "\n".join(lines)
