"""Base year against current year: the Shapley bridge of two inventories (docs/reporting.md, "Restating a base
year"; docs/methodology.md section 12, "Inventories"), and the restatement of a period's runs.

Segments: on each side, the runs of one project in one region under one version, their usage within the
period summed per profile. Pairing (decision): a (project, region) with one segment on each side is paired
whatever the versions (the version change is then attributed to its factor groups); otherwise segments are
paired by (project, region, version), and a segment left without a counterpart is paired with the same
version and region and no usage, so its whole total is `usage`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction

from calculations.engine import bridge as shapley
from calculations.engine.sensitivity import ProfileUsage
from methodology.selectors import parameter_set_for

from .inventory import inventory_runs
from .models import Run
from .selectors import runs_usage_by_profile
from .services import reevaluate_run


def _segments(runs: list[Run], start: date, end: date) -> dict[tuple, shapley.Segment]:
    """(project, region, version number) -> the segment of those runs' usage within the period."""
    usage = runs_usage_by_profile(runs, start, end)
    sums: dict[tuple, dict[str, ProfileUsage]] = defaultdict(dict)
    versions = {}
    for run in runs:
        key = (run.project.code, run.region, run.methodology_version.number)
        versions[key] = run.methodology_version
        for code, u in usage.get(run.pk, {}).items():
            total = sums[key].setdefault(code, ProfileUsage())
            total.inferences_estimated_input += u.inferences_estimated_input
            total.explicit_input_tokens += u.explicit_input_tokens
            total.inferences_estimated_output += u.inferences_estimated_output
            total.explicit_output_tokens += u.explicit_output_tokens
            total.explicit_cached_input_tokens += u.explicit_cached_input_tokens
    return {key: shapley.Segment(parameter_set_for(versions[key]), key[1], sums[key]) for key in versions}


def _pairs(base: dict[tuple, shapley.Segment], current: dict[tuple, shapley.Segment]):
    by_place: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for key in base:
        by_place[key[:2]][0].append(key)
    for key in current:
        by_place[key[:2]][1].append(key)
    for place in sorted(by_place):
        keys_a, keys_b = by_place[place]
        if len(keys_a) == 1 and len(keys_b) == 1:
            yield base[keys_a[0]], current[keys_b[0]]
            continue
        for key in sorted(set(keys_a) | set(keys_b)):
            a, b = base.get(key), current.get(key)
            yield (a or shapley.Segment(b.parameters, b.region, {}), b or shapley.Segment(a.parameters, a.region, {}))


def inventory_bridge(base: tuple[date, date], current: tuple[date, date], *, project: str | None = None,
                     base_runs: list[int] | None = None, runs: list[int] | None = None) -> dict[str, Any]:
    """The bridge from the base period's inventory to the current one's: energy, location-based carbon and
    market-based carbon (factors null unless every pair assesses it), each factor group's part, summing to the
    change. Raises what inventory_runs raises, and
    bridge.MissingProfile when a paired segment's profile is not in the other side's version."""
    runs_a = inventory_runs(*base, project=project, runs=base_runs)
    runs_b = inventory_runs(*current, project=project, runs=runs)
    pairs = list(_pairs(_segments(runs_a, *base), _segments(runs_b, *current)))
    combined = shapley.combine([shapley.bridge(a, b) for a, b in pairs])
    return {
        "base": {"start": base[0].isoformat(), "end": base[1].isoformat(), "runs": [r.pk for r in runs_a]},
        "current": {"start": current[0].isoformat(), "end": current[1].isoformat(), "runs": [r.pk for r in runs_b]},
        "project": project or None,
        "bridge": combined.as_dict(),
    }


@transaction.atomic
def restate_runs(runs: list[Run], *, version_number: int, user) -> list[tuple[Run, Run]]:
    """Each run re-evaluated under `version_number` in its region and project, in one transaction: the
    originals are kept, each new run is linked to its original (derived_from). Raises InvalidOption (a profile
    the version does not have) and then restates nothing."""
    return [(run, reevaluate_run(run, user=user, version_number=version_number, project=run.project))
            for run in runs]
