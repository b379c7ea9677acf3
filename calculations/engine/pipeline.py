"""Parse and compute in one call, for callers that hold a parameter set (CLI, library)."""

from __future__ import annotations

from typing import Any

from .compute import compute
from .parameters import ParameterSet
from .parser import parse_analytics
from .result import InputSummary, result_document
from .uncertainty import DEFAULT_DRAWS, simulate


class UnknownRegion(ValueError):
    pass


def evaluate(
    data: bytes,
    parameters: ParameterSet,
    *,
    region: str | None = None,
    profile: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
    draws: int = DEFAULT_DRAWS,
    unknown_models: str | None = None,
) -> dict[str, Any]:
    """The result document of `data` under `parameters`. Raises AnalyticsError (also for an unknown_models
    option the version cannot honour) or UnknownRegion."""
    if region is not None and region not in parameters.regions:
        raise UnknownRegion(f"Unknown region {region!r}; known: {', '.join(sorted(parameters.regions))}.")
    analytics = parse_analytics(data, parameters, filename=filename, content_type=content_type, profile=profile,
                                unknown_models=unknown_models)
    result = compute(analytics.cells, parameters, region)
    uncertainty = simulate(analytics.cells, parameters, result, draws=draws)
    return result_document(result, InputSummary.of(analytics), parameters, uncertainty)
