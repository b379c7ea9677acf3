"""The inventory of a reporting period (docs/reporting.md): per project, the runs covering it without double
counting, totals by GHG Protocol scope category, location- and market-based, with the 90 % interval, per
project and per month, and everything needed to trace each figure (runs, hashes, hypotheses).

A selector: it reads stored runs and their daily results, and computes nothing the engine does not (the
Monte Carlo of engine/inventory.py over the runs' stored counts, the sums of engine/scope.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from itertools import combinations
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from calculations.engine import inventory as combined
from calculations.engine.canonical import canonical_dict
from calculations.engine.catalogue import hypothesis
from calculations.engine.scope import CATEGORIES, ProfileCarbon, scope_totals
from calculations.engine.sensitivity import ProfileUsage
from calculations.engine.uncertainty import SEED
from methodology.selectors import parameter_set_for

from .models import BOUNDS, DailyResult, ProfileResult, Project, Run
from .selectors import OverlappingRuns, procurement_of, runs_for_listing, scopes_of
from .services import InvalidOption

QUANTITIES = combined.QUANTITIES  # energy_kwh, carbon_gco2e, carbon_market_gco2e
_COLUMNS = tuple(f"{name}_{bound}" for name in (*QUANTITIES, "embodied_gco2e") for bound in BOUNDS)


class RunsNotInPeriod(ValueError):
    """Runs chosen explicitly that do not cover any day of the period (or do not exist)."""

    def __init__(self, ids: list[int]):
        self.ids = ids
        super().__init__(gettext("Runs %(ids)s do not cover any day of the period.") % {
            "ids": ", ".join(map(str, ids))})


def fiscal_year(year: int, start_month: int | None = None) -> tuple[date, date]:
    """The reporting year `year` starting on the first of settings.INVENTORY_YEAR_START_MONTH (1: the calendar
    year; 4: April `year` to March `year + 1`)."""
    month = start_month or settings.INVENTORY_YEAR_START_MONTH
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 1 else date(year + 1, month, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _overlaps(runs: list[Run], profiles: dict[int, set[str]]) -> list[tuple[Run, Run]]:
    """Pairs of runs that would count a (day, usage profile) twice: their days overlap and they share a
    profile. Two runs of one product over the same days from two providers' reports (OpenAI's models, then
    Anthropic's) count different usage and are both kept."""
    ordered = sorted(runs, key=lambda r: (r.first_day, r.last_day, r.pk))
    return [(a, b) for a, b in combinations(ordered, 2)
            if b.first_day <= a.last_day and a.first_day <= b.last_day and profiles[a.pk] & profiles[b.pk]]


def _profiles_of(runs: list[Run]) -> dict[int, set[str]]:
    profiles: dict[int, set[str]] = defaultdict(set)
    for run_id, profile in ProfileResult.objects.filter(run__in=runs).values_list("run_id", "profile"):
        profiles[run_id].add(profile)
    return profiles


def inventory_runs(start: date, end: date, *, project: str | None = None, runs: list[int] | None = None) -> list[Run]:
    """The runs an inventory consolidates: those covering a day of [start, end] (of `project`), or exactly the
    runs chosen (`runs`: the explicit choice that resolves overlaps). Refuses overlaps within a project
    (OverlappingRuns, the runs named), an unknown project (InvalidOption) and chosen runs outside the period."""
    selected = runs_for_listing().filter(first_day__lte=end, last_day__gte=start)
    if project:
        if not Project.objects.filter(code=project).exists():
            known = ", ".join(Project.objects.order_by("code").values_list("code", flat=True))
            raise InvalidOption("project", gettext("Unknown project %(project)s; known: %(known)s.") % {
                "project": repr(project), "known": known})
        selected = selected.filter(project__code=project)
    if runs is not None:
        selected = selected.filter(pk__in=runs)
    chosen = list(selected.order_by("first_day", "pk"))
    if runs is not None:
        missing = sorted(set(runs) - {run.pk for run in chosen})
        if missing:
            raise RunsNotInPeriod(missing)
    by_project: dict[int, list[Run]] = defaultdict(list)
    for run in chosen:
        by_project[run.project_id].append(run)
    profiles = _profiles_of(chosen)
    pairs = [pair for project_runs in by_project.values() for pair in _overlaps(project_runs, profiles)]
    if pairs:
        raise OverlappingRuns(pairs)
    return chosen


def _sum(terms: dict[str, list]) -> dict[str, float] | None:
    """value/low/high sums; None (not assessed) when one term is."""
    if any(value is None for value in terms["value"]):
        return None
    return {bound: math.fsum(terms[bound]) for bound in BOUNDS}


def _terms() -> dict[str, dict[str, list]]:
    return {name: {bound: [] for bound in BOUNDS} for name in (*QUANTITIES, "embodied_gco2e")}


def _collect(terms: dict, numbers) -> None:
    for index, column in enumerate(_COLUMNS):
        name, bound = column.rsplit("_", 1)
        terms[name][bound].append(numbers[index])


class _Aggregates:
    """The period's daily results of the chosen runs, summed per project and month and per run and profile,
    with each run's usage per profile, in all and per month (for the Monte Carlo)."""

    def __init__(self, run_by_id: dict[int, Run], start: date, end: date):
        self.months: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(_terms))
        self.inferences: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.per_profile: dict[tuple[int, str], dict] = defaultdict(_terms)
        self.usage: dict[int, dict[str, ProfileUsage]] = defaultdict(dict)
        self.month_usage: dict[tuple[int, str], dict[str, ProfileUsage]] = defaultdict(dict)
        self.covered: dict[str, set] = defaultdict(set)
        days = DailyResult.objects.filter(run__in=list(run_by_id), day__range=(start, end)).values_list(
            "run_id", "day", "profile", "inferences", "explicit_input_tokens", "explicit_output_tokens",
            "explicit_cached_input_tokens", *_COLUMNS)
        for run_id, day, profile, count, tokens_in, tokens_out, cached, *numbers in days.iterator(chunk_size=5000):
            code = run_by_id[run_id].project.code
            month = f"{day.year}-{day.month:02d}"
            _collect(self.months[code][month], numbers)
            _collect(self.per_profile[(run_id, profile)], numbers)
            self.inferences[code][month] += count
            self.covered[code].add(day)
            for usage in (self.usage[run_id], self.month_usage[(run_id, month)]):
                self._count(usage.setdefault(profile, ProfileUsage()), count, tokens_in, tokens_out, cached)

    @staticmethod
    def _count(usage: ProfileUsage, count: int, tokens_in, tokens_out, cached) -> None:
        if tokens_in is None:
            usage.inferences_estimated_input += count
        else:  # cached input tokens are a part of explicit input tokens (engine/uncertainty.profile_usage)
            usage.explicit_input_tokens += tokens_in
            usage.explicit_cached_input_tokens += cached or 0
        if tokens_out is None:
            usage.inferences_estimated_output += count
        else:
            usage.explicit_output_tokens += tokens_out


def _group(aggregates: _Aggregates, keys: list[tuple[int, str]], run_by_id: dict, parameters: dict) -> dict:
    """Totals and scope categories of the (run, profile) sums `keys`."""
    totals_terms = _terms()
    for key in keys:
        for name, bounds in aggregates.per_profile[key].items():
            for bound, values in bounds.items():
                totals_terms[name][bound].extend(values)
    carbon = [ProfileCarbon(procurement_of(parameters[run_by_id[run_id].methodology_version_id], profile),
                            *(_sum(aggregates.per_profile[(run_id, profile)][name])
                              for name in ("carbon_gco2e", "carbon_market_gco2e", "embodied_gco2e")))
              for run_id, profile in keys]
    return {"totals": {name: _sum(totals_terms[name]) for name in QUANTITIES}, "scopes": scope_totals(carbon)}


def _with_interval(estimate: dict | None, draws) -> dict | None:
    """An assessed estimate with P5/P50/P95/mean from its summed draws, clipped into its worst-case bounds."""
    if estimate is not None:
        estimate.update(combined.interval(draws, estimate["low"], estimate["high"]) or {})
    return estimate


def _month_key(project: str, month: str) -> str:
    """The key a project's month's draws are summed under ("@" is in no project code: codes are slugs)."""
    return f"{project}@{month}"


def _segments(aggregates: _Aggregates, run_by_id: dict, parameters: dict) -> list[combined.Segment]:
    """The Monte Carlo's segments: each run's usage within the period (summed per project and for all), and
    each run's usage per month (summed per project and month)."""
    def segment(run_id: int, keys: tuple[str, ...], usage: dict, scopes: bool) -> combined.Segment:
        run = run_by_id[run_id]
        return combined.Segment(keys, parameters[run.methodology_version_id], run.region, usage, scopes)

    return [
        *(segment(run_id, (run_by_id[run_id].project.code, "*"), aggregates.usage[run_id], True)
          for run_id in sorted(aggregates.usage)),
        *(segment(run_id, (_month_key(run_by_id[run_id].project.code, month),), usage, False)
          for (run_id, month), usage in sorted(aggregates.month_usage.items())),
    ]


def _with_intervals(figures: dict, arrays: dict) -> dict:
    """`figures` with P5/P50/P95/mean beside each assessed estimate, from the summed draws `arrays`."""
    for name in QUANTITIES:
        _with_interval(figures["totals"][name], arrays.get(name))
    for category, entry in figures["scopes"].items():
        for kind in ("location", "market"):
            _with_interval(entry[f"{kind}_based_gco2e"], arrays.get(f"scope:{category}:{kind}"))
    figures["scopes"] = {category: figures["scopes"][category] for category in CATEGORIES
                         if category in figures["scopes"]}
    return figures


def inventory(start: date, end: date, *, project: str | None = None, runs: list[int] | None = None,
              draws: int | None = None) -> dict[str, Any]:
    """The inventory document of GET /api/inventory (docs/reporting.md gives its keys)."""
    chosen = inventory_runs(start, end, project=project, runs=runs)
    draws = draws or settings.UNCERTAINTY_DRAWS
    projects = {run.project.code: run.project for run in chosen}
    run_by_id = {run.pk: run for run in chosen}
    parameters = {run.methodology_version_id: parameter_set_for(run.methodology_version) for run in chosen}
    aggregates = _Aggregates(run_by_id, start, end)
    draws_by_key = combined.combined_draws(_segments(aggregates, run_by_id, parameters), draws=draws, seed=SEED)
    project_entries = []
    for code in sorted(projects):
        keys = [key for key in aggregates.per_profile if run_by_id[key[0]].project.code == code]
        months = aggregates.months[code]
        project_entries.append({
            "project": code,
            "name": projects[code].name,
            "runs": [run.pk for run in chosen if run.project.code == code],
            "days_covered": len(aggregates.covered[code]),
            **_with_intervals(_group(aggregates, keys, run_by_id, parameters), draws_by_key.get(code, {})),
            "months": [{"month": month, "inferences": aggregates.inferences[code][month],
                        **{name: _with_interval(_sum(months[month][name]),
                                                draws_by_key.get(_month_key(code, month), {}).get(name))
                           for name in QUANTITIES}} for month in sorted(months)],
        })
    overall = _with_intervals(_group(aggregates, list(aggregates.per_profile), run_by_id, parameters),
                              draws_by_key.get("*", {}))
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": (end - start).days + 1,
        "project": project or None,
        "uncertainty": {"draws": draws, "seed": SEED, "rule": "shared-hypothesis-streams"},
        **overall,
        "projects": project_entries,
        "runs": [run_entry(run) for run in chosen],
        "hypotheses": hypotheses_used(chosen, parameters, aggregates.per_profile),
    }


def run_scopes(run: Run, profile_results: list) -> dict[str, dict]:
    """A run's carbon per scope category (engine/scope.py) from its stored per-profile results."""
    return scopes_of([(run, p) for p in profile_results])


def run_entry(run: Run) -> dict[str, Any]:
    """What traces a run: ids, period, hashes, versions."""
    return {
        "id": run.pk, "project": run.project.code, "label": run.label,
        "first_day": run.first_day.isoformat(), "last_day": run.last_day.isoformat(),
        "region": run.region, "methodology_version": run.methodology_version.number,
        "methodology_sha256": run.methodology_sha256, "input_sha256": run.input_sha256,
        "counts_sha256": run.counts_sha256, "engine_version": run.engine_version,
        "derived_from": run.derived_from_id, "monte_carlo": run.uncertainty is not None,
    }


def hypotheses_used(runs: list[Run], parameters: dict, per_profile: dict) -> list[dict[str, Any]]:
    """Every hypothesis the inventory's figures rest on: per version, the regions, model profiles and usage
    profiles its runs use, each parameter with its value, range, unit and source."""
    used: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for run in runs:
        used[run.methodology_version_id]["regions"].add(run.region)
    for run_id, profile in per_profile:
        run = next(r for r in runs if r.pk == run_id)
        parameter_set = parameters[run.methodology_version_id]
        used[run.methodology_version_id]["profiles"].add(profile)
        used[run.methodology_version_id]["models"].add(parameter_set.profiles[profile].model)
    rows = []
    numbers = {run.methodology_version_id: run.methodology_version.number for run in runs}
    for version_id in sorted(used, key=numbers.get):
        snapshot = canonical_dict(parameters[version_id])
        for section in ("regions", "models", "profiles"):
            for code in sorted(used[version_id][section]):
                entry = snapshot[section][code]
                for name, value in entry.items():
                    if isinstance(value, dict) and set(value) == set(BOUNDS):
                        rows.append({"version": numbers[version_id], "section": section, "code": code,
                                     "parameter": name, **value, "unit": hypothesis(name).unit,
                                     "source": entry["source"]})
                if section == "models":
                    rows.append({"version": numbers[version_id], "section": section, "code": code,
                                 "parameter": "procurement", "value": entry.get("procurement", "not declared"),
                                 "low": None, "high": None, "unit": "", "source": entry["source"]})
    return rows
