"""Queries on runs shared by the pages, the API and the CLI."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from calculations.engine import bridge
from calculations.engine.diff import Change
from calculations.engine.compute import Estimate
from calculations.engine.equivalents import EquivalentResult, equivalents
from calculations.engine.numbers import whole_number
from calculations.engine.scope import ProfileCarbon, scope_totals
from calculations.engine.sensitivity import ProfileUsage, Swing, swings
from calculations.engine.uncertainty import document_section, with_intervals
from methodology.selectors import parameter_set_for, version_diff

from .models import BOUNDS, ESTIMATE_COLUMNS, ESTIMATE_NAMES, DailyResult, ProfileResult, Run


def runs_for_listing() -> QuerySet[Run]:
    return Run.objects.select_related("methodology_version", "user", "derived_from", "project")


def filter_runs(runs: QuerySet[Run], *, region=None, version=None, label=None, period_start=None, period_end=None,
                user=None, project=None) -> QuerySet[Run]:
    """Filters of the history page and GET /api/runs. A period keeps runs that overlap it."""
    if region:
        runs = runs.filter(region=region)
    if version:
        runs = runs.filter(methodology_version__number=version)
    if label:
        runs = runs.filter(label__icontains=label)
    if period_start:
        runs = runs.filter(last_day__gte=period_start)
    if period_end:
        runs = runs.filter(first_day__lte=period_end)
    if user:
        runs = runs.filter(user__username=user)
    if project:
        runs = runs.filter(project__code=project)
    return runs


def _counts(row, inferences_reported: bool = True) -> dict[str, Any]:
    return {
        "inferences": row.inferences if inferences_reported else None,
        "input_tokens": whole_number(row.input_tokens),
        "cached_input_tokens": row.cached_input_tokens,
        "output_tokens": whole_number(row.output_tokens),
        "energy_kwh": row.energy_kwh,
        "carbon_gco2e": row.carbon_gco2e,
        "carbon_market_gco2e": row.carbon_market_gco2e,
        "embodied_gco2e": row.embodied_gco2e,
        "carbon_total_gco2e": row.carbon_total_gco2e,
        "water_l": row.water_l,
    }


DAILY_FIELDS = (
    "day", "profile", "inferences", "input_tokens", "explicit_cached_input_tokens", "output_tokens",
    *ESTIMATE_COLUMNS,
)


def daily_rows(run: Run):
    """Tuples of DAILY_FIELDS: day, profile, counts, then value/low/high of each estimate, in order."""
    return run.daily_results.order_by("day", "profile").values_list(*DAILY_FIELDS).iterator(chunk_size=5000)


def _estimates(numbers) -> dict[str, dict[str, float] | None]:
    """value/low/high triples of ESTIMATE_NAMES from a flat row; None where not assessed."""
    estimates = {}
    for index, name in enumerate(ESTIMATE_NAMES):
        value, low, high = numbers[3 * index: 3 * index + 3]
        estimates[name] = None if value is None else {"value": value, "low": low, "high": high}
    return estimates


def run_document(run: Run, *, include_daily: bool = True) -> dict[str, Any]:
    """The stored run as the result document (the same shape as the CLI's), plus its audit record.

    The percentiles come from the run's stored Monte Carlo, never recomputed; null: not computed."""
    stored = run.uncertainty
    document = {
        "methodology": {
            "version": run.methodology_version.number,
            "sha256": run.methodology_sha256,
            "region": run.region,
        },
        "input": {
            "sha256": run.input_sha256,
            "bytes": run.input_bytes,
            "format": run.input_format,
            "first_day": run.first_day.isoformat(),
            "last_day": run.last_day.isoformat(),
            "days": run.days,
            "mappings": run.mappings,
            "inferences_reported": run.inferences_reported,
            "generic_models": run.generic_models,
        },
        "totals": with_intervals(_counts(run, run.inferences_reported), stored and stored["totals"]),
        "profiles": [{"profile": p.profile, "model": p.model,
                      **with_intervals(_counts(p, run.inferences_reported),
                                       stored["profiles"].get(p.profile) if stored else None)}
                     for p in run.profile_results.all()],
        "uncertainty": document_section(stored),
    }
    if include_daily:
        document["daily"] = [
            {
                "date": day.isoformat(),
                "profile": profile,
                "inferences": inferences if run.inferences_reported else None,
                "input_tokens": whole_number(tokens_in),
                "cached_input_tokens": cached or 0,
                "output_tokens": whole_number(tokens_out),
                **_estimates(numbers),
            }
            for day, profile, inferences, tokens_in, cached, tokens_out, *numbers in daily_rows(run)
        ]
    return document


def _difference(a: float, b: float) -> dict[str, float | None]:
    """b relative to a: absolute and percent (None when a is zero)."""
    return {"absolute": b - a, "percent": (100.0 * (b - a) / a) if a else None}


def _estimate_difference(a: dict, b: dict) -> dict:
    return {"a": a, "b": b, "difference": _difference(a["value"], b["value"])}


def _optional_difference(a: Run, b: Run, name: str) -> dict:
    """An estimate a run may not assess (market-based carbon): each side null where not assessed, and the
    difference null unless both are."""
    sides = {side: _with_interval(run, name) if getattr(run, name) is not None else None
             for side, run in (("a", a), ("b", b))}
    if sides["a"] is None or sides["b"] is None:
        return {**sides, "difference": None}
    return _estimate_difference(sides["a"], sides["b"])


def _with_interval(row, name: str) -> dict[str, float | None]:
    """A stored estimate with its stored P5/P50/P95/mean (null: not computed)."""
    return with_intervals({name: getattr(row, name)}, {name: row.interval(name)})[name]


def compare_runs(a: Run, b: Run) -> dict[str, Any]:
    """Totals and per-profile values of two runs (each with its 90 % interval when computed), their
    differences, and what explains them."""
    profiles_a = {p.profile: p for p in a.profile_results.all()}
    profiles_b = {p.profile: p for p in b.profile_results.all()}
    zero = {"value": 0.0, "low": 0.0, "high": 0.0, "p5": 0.0, "p50": 0.0, "p95": 0.0, "mean": 0.0}
    profiles = []
    for code in sorted(set(profiles_a) | set(profiles_b)):
        pa, pb = profiles_a.get(code), profiles_b.get(code)
        profiles.append({
            "profile": code,
            "inferences": {"a": pa.inferences if pa else 0, "b": pb.inferences if pb else 0},
            "energy_kwh": _estimate_difference(_with_interval(pa, "energy_kwh") if pa else zero,
                                               _with_interval(pb, "energy_kwh") if pb else zero),
            "carbon_gco2e": _estimate_difference(_with_interval(pa, "carbon_gco2e") if pa else zero,
                                                 _with_interval(pb, "carbon_gco2e") if pb else zero),
        })
    changes: list[Change] = []
    if a.methodology_version_id != b.methodology_version_id:
        changes = version_diff(a.methodology_version, b.methodology_version)
    return {
        "a": {"id": a.pk, "label": a.label, "version": a.methodology_version.number, "region": a.region},
        "b": {"id": b.pk, "label": b.label, "version": b.methodology_version.number, "region": b.region},
        "totals": {
            "inferences": {"a": a.inferences, "b": b.inferences},
            "energy_kwh": _estimate_difference(_with_interval(a, "energy_kwh"), _with_interval(b, "energy_kwh")),
            "carbon_gco2e": _estimate_difference(_with_interval(a, "carbon_gco2e"), _with_interval(b, "carbon_gco2e")),
            "carbon_market_gco2e": _optional_difference(a, b, "carbon_market_gco2e"),
        },
        "profiles": profiles,
        "bridge": run_bridge(a, b),
        "explanation": {
            "same_methodology": a.methodology_version_id == b.methodology_version_id,
            "methodology_changes": [c.as_dict() for c in changes],
            "region": {"a": a.region, "b": b.region, "same": a.region == b.region},
            "input": {
                "a": a.input_sha256, "b": b.input_sha256, "same": a.input_sha256 == b.input_sha256,
            },
            # What was counted, whatever the file's format (calculations/engine/counts_hash.py).
            "counts": {
                "a": a.counts_sha256, "b": b.counts_sha256, "same": a.counts_sha256 == b.counts_sha256,
            },
            "period": {
                "a": [a.first_day.isoformat(), a.last_day.isoformat()],
                "b": [b.first_day.isoformat(), b.last_day.isoformat()],
                "same": (a.first_day, a.last_day) == (b.first_day, b.last_day),
            },
        },
    }


def run_usage_by_profile(run: Run) -> dict[str, ProfileUsage]:
    """The run's stored counts reduced per profile (one aggregate query), for the sensitivity swings."""
    return runs_usage_by_profile([run]).get(run.pk, {})


def runs_usage_by_profile(runs: list[Run], start=None, end=None) -> dict[int, dict[str, ProfileUsage]]:
    """Per run id, its stored counts reduced per profile (only its days within [start, end] when given): one
    aggregate query for all the runs."""
    estimated = Q(explicit_input_tokens__isnull=True)
    estimated_out = Q(explicit_output_tokens__isnull=True)
    days = DailyResult.objects.filter(run__in=[run.pk for run in runs])
    if start is not None:
        days = days.filter(day__range=(start, end))
    rows = days.values("run", "profile").annotate(
        inferences_estimated_input=Coalesce(Sum("inferences", filter=estimated), 0),
        explicit_input_tokens=Coalesce(Sum("explicit_input_tokens"), 0),
        inferences_estimated_output=Coalesce(Sum("inferences", filter=estimated_out), 0),
        explicit_output_tokens=Coalesce(Sum("explicit_output_tokens"), 0),
        explicit_cached_input_tokens=Coalesce(Sum("explicit_cached_input_tokens"), 0),
    ).order_by("run", "profile")
    usage: dict[int, dict[str, ProfileUsage]] = {}
    for row in rows:
        run_id, profile = row.pop("run"), row.pop("profile")
        usage.setdefault(run_id, {})[profile] = ProfileUsage(**row)
    return usage


def run_bridge(a: Run, b: Run) -> dict[str, Any]:
    """The Shapley bridge from run A to run B (docs/methodology.md section 12), or why it is refused.
    Each run is one segment: its stored usage per profile (one query for both), its version and region."""
    usage = runs_usage_by_profile([a, b])
    segment_a, segment_b = (bridge.Segment(parameter_set_for(run.methodology_version), run.region, usage.get(run.pk, {}))
                            for run in (a, b))
    try:
        return bridge.bridge(segment_a, segment_b).as_dict()
    except bridge.MissingProfile as refused:
        side_run, other = (a, b) if refused.side == "A" else (b, a)
        return {"error": {"code": "profile_not_in_version", "message": (
            f"Usage profile {refused.profile!r} of run {side_run.pk} does not exist in methodology "
            f"v{other.methodology_version.number} of run {other.pk}: the change cannot be attributed to factors."),
            "profile": refused.profile, "run": side_run.pk, "other_run": other.pk,
            "other_version": other.methodology_version.number}}


def run_sensitivity(run: Run) -> list[Swing]:
    """Which hypothesis moves this run's result most: one swing per parameter, largest first."""
    parameters = parameter_set_for(run.methodology_version)
    return swings(run_usage_by_profile(run), parameters, run.region)


def procurement_of(parameter_set, profile: str) -> str:
    """How the inference of a usage profile's model is procured, as its version declares it ("": not declared)."""
    return parameter_set.models[parameter_set.profiles[profile].model].procurement


def scopes_of(results: list[tuple[Run, ProfileResult]]) -> dict[str, dict]:
    """Carbon per GHG Protocol scope category (engine/scope.py) of stored per-profile results, each read
    with its run's version's procurement: worst-case bounds, no interval (a run's Monte Carlo is not kept per
    category; the inventory of the period gives it)."""
    parameter_sets = {run.methodology_version_id: parameter_set_for(run.methodology_version) for run, _p in results}
    return scope_totals(ProfileCarbon(procurement_of(parameter_sets[run.methodology_version_id], p.profile),
                                      p.carbon_gco2e, p.carbon_market_gco2e, p.embodied_gco2e) for run, p in results)


def runs_scopes(runs: list[Run]) -> dict[str, dict]:
    """scopes_of the runs' whole periods (one query for their per-profile results)."""
    run_by_id = {run.pk: run for run in runs}
    results = ProfileResult.objects.filter(run__in=list(run_by_id)).order_by("run_id", "profile")
    return scopes_of([(run_by_id[p.run_id], p) for p in results])


class OverlappingRuns(ValueError):
    """The selected runs count some days twice; `pairs` names them."""

    def __init__(self, pairs: list[tuple[Run, Run]]):
        self.pairs = pairs
        super().__init__("; ".join(
            f"runs {a.pk} and {b.pk} both cover {max(a.first_day, b.first_day)} to {min(a.last_day, b.last_day)}"
            for a, b in pairs
        ))


def _period_key(day, granularity: str) -> str:
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def period_totals(runs: list[Run], granularity: str = "month") -> dict[str, Any]:
    """Totals per month or quarter across runs covering consecutive periods (e.g. twelve monthly uploads).

    Runs whose periods overlap would count days twice, so they are refused (OverlappingRuns).
    """
    ordered = sorted(runs, key=lambda run: (run.first_day, run.last_day))
    overlaps = [(a, b) for a, b in zip(ordered, ordered[1:]) if b.first_day <= a.last_day]
    if overlaps:
        raise OverlappingRuns(overlaps)
    sums: dict[str, dict[str, list[float]]] = {}
    inferences: dict[str, int] = {}
    fields = ("day", "inferences", *ESTIMATE_COLUMNS)
    rows = DailyResult.objects.filter(run__in=ordered).values_list(*fields).iterator(chunk_size=5000)
    for day, count, *numbers in rows:
        key = _period_key(day, granularity)
        inferences[key] = inferences.get(key, 0) + count
        period = sums.setdefault(key, {})
        for index, name in enumerate(ESTIMATE_NAMES):
            for offset, bound in enumerate(BOUNDS):
                period.setdefault(f"{name}.{bound}", []).append(numbers[3 * index + offset])
    periods = []
    for key in sorted(sums):
        row = {"period": key, "inferences": inferences[key]}
        for name in ESTIMATE_NAMES:
            values = {bound: sums[key][f"{name}.{bound}"] for bound in BOUNDS}
            # Not assessed for the period as soon as one day of it is not.
            row[name] = None if any(v is None for v in values["value"]) else {
                bound: math.fsum(values[bound]) for bound in BOUNDS
            }
        periods.append(row)
    return {
        "granularity": granularity,
        "runs": [{"id": run.pk, "label": run.label, "first_day": run.first_day.isoformat(),
                  "last_day": run.last_day.isoformat(), "version": run.methodology_version.number,
                  "region": run.region} for run in ordered],
        "versions": sorted({run.methodology_version.number for run in ordered}),
        "regions": sorted({run.region for run in ordered}),
        "periods": periods,
        # Carbon per scope category of the runs' whole periods (worst-case bounds, as a run's).
        "scopes": runs_scopes(ordered),
    }


def run_equivalents(run: Run) -> list[EquivalentResult]:
    """The run's totals in the equivalents of its methodology version (car km, charges, showers…)."""
    totals = {}
    for name in ("energy_kwh", "carbon_gco2e", "carbon_total_gco2e", "water_l"):
        estimate = getattr(run, name)
        totals[name] = None if estimate is None else Estimate(**estimate)
    return equivalents(totals, parameter_set_for(run.methodology_version))
