"""The canonical form of a parameter set and its SHA-256.

Two identical methodologies must hash the same whatever their origin (files,
database rows, an export re-imported), so the form fixes key order, number
formatting (every number as a float, shortest round-trip repr) and alias order.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .parameters import (
    MODEL_EXTENSION_PARAMS,
    MODEL_PARAMS,
    PROFILE_PARAMS,
    REGION_EXTENSION_PARAMS,
    REGION_PARAMS,
    Equivalent,
    ModelProfile,
    Param,
    ParameterSet,
    Region,
    UsageProfile,
)


def _param(param: Param) -> dict[str, float]:
    return {"value": float(param.value), "low": float(param.low), "high": float(param.high)}


def _params(entry, names: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, dict[str, float]]:
    """Required parameters, then optional ones only when set, so adding an optional
    parameter to the engine does not change the hash of versions that do not use it."""
    params = {n: _param(getattr(entry, n)) for n in names}
    params.update({n: _param(getattr(entry, n)) for n in optional if getattr(entry, n) is not None})
    return params


def canonical_dict(parameter_set: ParameterSet) -> dict[str, Any]:
    canonical = {
        "default_region": parameter_set.default_region,
        "regions": {
            code: {"name": r.name, "source": r.source, **_params(r, REGION_PARAMS, REGION_EXTENSION_PARAMS)}
            for code, r in parameter_set.regions.items()
        },
        "models": {
            code: {"name": m.name, "source": m.source, **_params(m, MODEL_PARAMS, MODEL_EXTENSION_PARAMS),
                   # only when declared: versions published before procurement existed keep their hash
                   **({"procurement": m.procurement} if m.procurement else {})}
            for code, m in parameter_set.models.items()
        },
        "profiles": {
            code: {
                "name": p.name,
                "source": p.source,
                "model": p.model,
                "aliases": sorted(p.aliases),
                **_params(p, PROFILE_PARAMS),
            }
            for code, p in parameter_set.profiles.items()
        },
    }
    if parameter_set.equivalents:  # absent rather than empty: older sets keep their hash
        canonical["equivalents"] = {
            code: {"name": e.name, "source": e.source, "metric": e.metric, "unit": e.unit, "amount": _param(e.amount)}
            for code, e in parameter_set.equivalents.items()
        }
    return canonical


def canonical_json(parameter_set: ParameterSet) -> str:
    return json.dumps(
        canonical_dict(parameter_set), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def parameter_set_sha256(parameter_set: ParameterSet) -> str:
    return hashlib.sha256(canonical_json(parameter_set).encode("utf-8")).hexdigest()


def parameter_set_from_canonical(snapshot: dict[str, Any], version: int | None = None) -> ParameterSet:
    """Rebuild a parameter set from its canonical dict (a published version's snapshot)."""

    def params(entry: dict, names: tuple[str, ...]) -> dict[str, Param]:
        return {n: Param(entry[n]["value"], entry[n]["low"], entry[n]["high"]) for n in names if n in entry}

    parameter_set = ParameterSet(
        default_region=snapshot["default_region"],
        regions={
            code: Region(code=code, name=e["name"], source=e["source"], **params(e, REGION_PARAMS + REGION_EXTENSION_PARAMS))
            for code, e in snapshot["regions"].items()
        },
        models={
            code: ModelProfile(code=code, name=e["name"], source=e["source"], procurement=e.get("procurement", ""),
                               **params(e, MODEL_PARAMS + MODEL_EXTENSION_PARAMS))
            for code, e in snapshot["models"].items()
        },
        profiles={
            code: UsageProfile(
                code=code,
                name=e["name"],
                source=e["source"],
                model=e["model"],
                aliases=tuple(e["aliases"]),
                **params(e, PROFILE_PARAMS),
            )
            for code, e in snapshot["profiles"].items()
        },
        version=version,
        equivalents={
            code: Equivalent(code=code, name=e["name"], source=e["source"], metric=e["metric"], unit=e["unit"],
                             amount=Param(e["amount"]["value"], e["amount"]["low"], e["amount"]["high"]))
            for code, e in snapshot.get("equivalents", {}).items()
        },
    )
    object.__setattr__(parameter_set, "sha256", parameter_set_sha256(parameter_set))
    return parameter_set
