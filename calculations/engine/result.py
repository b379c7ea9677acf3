"""The result document: one JSON shape for the CLI, the library and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .analytics import Analytics, ProfileMapping
from .compute import RunResult
from .parameters import ParameterSet
from .uncertainty import Uncertainty, document_section, with_intervals


@dataclass(frozen=True)
class InputSummary:
    """What is kept of an upload: never its content."""

    sha256: str
    size_bytes: int
    format: str
    first_day: date | None
    last_day: date | None
    days: int
    mappings: list[ProfileMapping] = field(default_factory=list)
    inferences_reported: bool = True  # False: the report counts no requests (analytics-format.md 6.3)
    generic_models: list[str] = field(default_factory=list)  # mapped to `generic` by the unknown_models option

    @classmethod
    def of(cls, analytics: Analytics) -> "InputSummary":
        return cls(
            sha256=analytics.sha256,
            size_bytes=analytics.size_bytes,
            format=analytics.format,
            first_day=analytics.first_day,
            last_day=analytics.last_day,
            days=analytics.days,
            mappings=list(analytics.mappings),
            inferences_reported=analytics.inferences_reported,
            generic_models=list(analytics.generic_models),
        )


def _optional(estimate) -> dict[str, float] | None:
    """Methodology.md section 8 figures: null means "not assessed" by this methodology version, never zero."""
    return None if estimate is None else estimate.as_dict()


def _counts(subtotal, inferences_reported: bool = True) -> dict[str, Any]:
    """Counts and estimates of a subtotal or cell; inferences null when the report counts none ("not reported")."""
    return {
        "inferences": subtotal.inferences if inferences_reported else None,
        "input_tokens": subtotal.input_tokens,
        "cached_input_tokens": subtotal.cached_input_tokens,
        "output_tokens": subtotal.output_tokens,
        "energy_kwh": subtotal.energy_kwh.as_dict(),
        "carbon_gco2e": subtotal.carbon_gco2e.as_dict(),
        # Market-based (GHG Protocol Scope 2 Guidance); null where the region has no market factor.
        "carbon_market_gco2e": _optional(subtotal.carbon_market_gco2e),
        "embodied_gco2e": _optional(subtotal.embodied_gco2e),
        "carbon_total_gco2e": _optional(subtotal.carbon_total_gco2e),
        "water_l": _optional(subtotal.water_l),
    }


def mapping_dict(mapping: ProfileMapping) -> dict[str, Any]:
    return {
        "profile": mapping.profile,
        "rule": mapping.rule,
        "matched": mapping.matched,
        "source_groups": mapping.source_groups,
    }


def result_document(result: RunResult, summary: InputSummary, parameters: ParameterSet,
                    uncertainty: Uncertainty | None = None) -> dict[str, Any]:
    """The document of methodology: version, hash, region; input; totals; profiles; daily cells.

    With `uncertainty` (the run's Monte Carlo), totals and profiles carry p5/p50/p95/mean beside
    value/low/high, and "uncertainty" holds the draws, seed, drivers and histogram; without it,
    those are null ("not computed"). Daily cells keep value/low/high only (methodology.md section 11).
    """
    stored = uncertainty.as_dict() if uncertainty is not None else None
    profiles = stored["profiles"] if stored is not None else {}
    reported = summary.inferences_reported
    return {
        "methodology": {"version": parameters.version, "sha256": parameters.sha256, "region": result.region.code},
        "input": {
            "sha256": summary.sha256,
            "bytes": summary.size_bytes,
            "format": summary.format,
            "first_day": summary.first_day.isoformat() if summary.first_day else None,
            "last_day": summary.last_day.isoformat() if summary.last_day else None,
            "days": summary.days,
            "mappings": [mapping_dict(m) for m in summary.mappings],
            "inferences_reported": summary.inferences_reported,
            "generic_models": list(summary.generic_models),
        },
        "totals": with_intervals(_counts(result.totals, reported), stored and stored["totals"]),
        "profiles": [{"profile": p.profile, "model": p.model,
                      **with_intervals(_counts(p, reported), profiles.get(p.profile) if stored else None)}
                     for p in result.profiles],
        "uncertainty": document_section(stored),
        "daily": [{"date": c.day.isoformat(), "profile": c.profile, **_counts(c, reported)} for c in result.cells],
    }
