"""Business operations on runs: compute an upload, save it whole, re-evaluate it."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from calculations.engine.analytics import Analytics, CellColumns, ProfileMapping
from calculations.engine.compute import RunResult, compute
from calculations.engine.counts_hash import counts_sha256
from calculations.engine.numbers import whole_number
from calculations.engine.parameters import ParameterSet, range_columns
from calculations.engine.parser import parse_analytics
from calculations.engine.result import InputSummary, mapping_dict, result_document
from calculations.engine.uncertainty import Uncertainty, simulate
from audit import canonical, ledger
from methodology.models import MethodologyVersion
from methodology.selectors import get_published_version, parameter_set_for

from .bulk import Same, insert_columns, insert_rows
from .models import DEFAULT_PROJECT, ESTIMATE_COLUMNS, ESTIMATE_NAMES, DailyResult, ProfileResult, Project, Run, RunSource
from .sealing import run_content_sha256
from .versioning import engine_version


class InvalidOption(ValueError):
    """An option (region, version, profile) that does not exist; `field` names it."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass
class Evaluation:
    """A computation ready to be shown or saved."""

    version: MethodologyVersion
    parameters: ParameterSet
    summary: InputSummary
    result: RunResult
    uncertainty: Uncertainty | None = None

    def document(self) -> dict[str, Any]:
        return result_document(self.result, self.summary, self.parameters, self.uncertainty)


def evaluation_of(version: MethodologyVersion, parameters: ParameterSet, summary: InputSummary, cells,
              region: str) -> Evaluation:
    """The computation of `cells` and its Monte Carlo (settings.UNCERTAINTY_DRAWS draws)."""
    result = compute(cells, parameters, region)
    uncertainty = simulate(cells, parameters, result, draws=settings.UNCERTAINTY_DRAWS)
    return Evaluation(version, parameters, summary, result, uncertainty)


def resolve_methodology(version_number: int | None, region: str | None) -> tuple[MethodologyVersion, ParameterSet, str]:
    """The published version (latest when None), its parameters and the region code to use."""
    from methodology.selectors import VersionNotFound

    try:
        version = get_published_version(version_number)
    except VersionNotFound as error:
        raise InvalidOption("version", str(error)) from None
    parameters = parameter_set_for(version)
    region = region or parameters.default_region
    if region not in parameters.regions:
        raise InvalidOption(
            "region", gettext("Unknown region %(region)s in methodology v%(number)s; known: %(known)s.") % {
                "region": repr(region), "number": version.number, "known": ", ".join(sorted(parameters.regions))}
        )
    return version, parameters, region


def evaluate_upload(
    data: bytes,
    *,
    version_number: int | None = None,
    region: str | None = None,
    profile: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
    unknown_models: str | None = None,
) -> Evaluation:
    """Parse and compute an upload in memory. Raises AnalyticsError or InvalidOption; keeps nothing.

    `unknown_models="generic"` maps models no alias matches to the version's usage profile `generic`;
    a version without it refuses the option (InvalidOption on field unknown_models)."""
    version, parameters, region = resolve_methodology(version_number, region)
    if unknown_models and "generic" not in parameters.profiles:
        raise InvalidOption("unknown_models", gettext(
            "The option unknown_models=generic maps unknown models to the usage profile generic, which "
            "methodology v%(number)s does not have; usage profiles: %(known)s.") % {
                "number": version.number, "known": ", ".join(sorted(parameters.profiles))})
    analytics: Analytics = parse_analytics(
        data, parameters, filename=filename, content_type=content_type, profile=profile or None,
        max_unpacked_bytes=settings.ANALYTICS_MAX_UPLOAD_BYTES, unknown_models=unknown_models or None,
    )
    return evaluation_of(version, parameters, InputSummary.of(analytics), analytics.cells, region)




PROFILE_COLUMNS = ("run_id", "profile", "model", "inferences", "input_tokens", "output_tokens", "cached_input_tokens",
                   *ESTIMATE_COLUMNS)
DAILY_COLUMNS = (
    "run_id", "day", "profile", "inferences", "input_tokens", "output_tokens",
    "explicit_input_tokens", "explicit_output_tokens", "explicit_cached_input_tokens", *ESTIMATE_COLUMNS,
)
_NOT_ASSESSED = (None, None, None)


def _estimate_values(result) -> tuple:
    """value/low/high of each of ESTIMATE_NAMES, flat, in ESTIMATE_COLUMNS order (the per-cell hot path)."""
    energy, carbon, market, embodied, total, water = (
        result.energy_kwh, result.carbon_gco2e, result.carbon_market_gco2e, result.embodied_gco2e,
        result.carbon_total_gco2e, result.water_l
    )
    return (
        energy.value, energy.low, energy.high,
        carbon.value, carbon.low, carbon.high,
        *(_NOT_ASSESSED if market is None else (market.value, market.low, market.high)),
        *(_NOT_ASSESSED if embodied is None else (embodied.value, embodied.low, embodied.high)),
        *(_NOT_ASSESSED if total is None else (total.value, total.low, total.high)),
        *(_NOT_ASSESSED if water is None else (water.value, water.low, water.high)),
    )


def default_project() -> Project:
    """The project of runs saved before projects existed, and of uploads that name none."""
    project, _ = Project.objects.get_or_create(code=DEFAULT_PROJECT, defaults={"name": "Default project"})
    return project


def resolve_project(code: str | None) -> Project:
    """The project coded `code` (the default project when empty); InvalidOption naming the known ones."""
    if not code:
        return default_project()
    project = Project.objects.filter(code=code).first()
    if project is None:
        known = ", ".join(Project.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise InvalidOption("project", gettext("Unknown project %(project)s; known: %(known)s.") % {
            "project": repr(code), "known": known})
    return project


PROJECT_CODE_MAX = Project._meta.get_field("code").max_length


def create_project(name: str, code: str = "") -> Project:
    """A new project named `name`, coded `code` (when empty: the name made a slug, "Docs portal" ->
    "docs-portal"). Raises InvalidOption naming the field: a name another project has (letter case aside), a
    code taken, or a name that gives no code when none is given."""
    name = " ".join(name.split())
    code = code or slugify(name)[:PROJECT_CODE_MAX].strip("-_")
    if not code:
        raise InvalidOption("code", gettext("This name gives no code: give one (letters, digits, - and _)."))
    same_name = Project.objects.filter(name__iexact=name).first()
    if same_name is not None:
        raise InvalidOption("name", gettext("A project named “%(name)s” already exists (code %(code)s).") % {
            "name": same_name.name, "code": same_name.code})
    taken = InvalidOption("code", gettext("The code %(code)s is already taken by another project: choose another.")
                          % {"code": code})
    if Project.objects.filter(code=code).exists():
        raise taken
    try:
        with transaction.atomic():
            return Project.objects.create(code=code, name=name)
    except IntegrityError:  # created by someone else since the check
        raise taken from None


@transaction.atomic
def save_run(
    evaluation: Evaluation,
    *,
    user,
    source: str,
    label: str = "",
    profile_option: str = "",
    derived_from: Run | None = None,
    project: Project | None = None,
) -> Run:
    """Store the run and all its results in one transaction, whole or not at all, and seal it in the
    ledger last (docs/audit-trail.md). Without `project`, the run goes to the default project."""
    summary, result = evaluation.summary, evaluation.result
    totals = result.totals
    run = Run.objects.create(
        user=user,
        source=source,
        label=label,
        project=project or default_project(),
        methodology_version=evaluation.version,
        methodology_sha256=evaluation.parameters.sha256,
        region=result.region.code,
        profile_option=profile_option or "",
        engine_version=engine_version(),
        input_sha256=summary.sha256,
        input_bytes=summary.size_bytes,
        input_format=summary.format,
        counts_sha256=counts_sha256(*result.cells.cells.all_columns()),
        first_day=summary.first_day,
        last_day=summary.last_day,
        days=summary.days,
        inferences=totals.inferences,
        input_tokens=totals.input_tokens,
        output_tokens=totals.output_tokens,
        cached_input_tokens=totals.cached_input_tokens,
        mappings=[mapping_dict(m) for m in summary.mappings],
        inferences_reported=summary.inferences_reported,
        generic_models=list(summary.generic_models),
        derived_from=derived_from,
        uncertainty=evaluation.uncertainty.as_dict() if evaluation.uncertainty is not None else None,
        **range_columns(totals, ESTIMATE_NAMES),
    )
    insert_results(run.pk, result)
    content = run_content_sha256(run, result.cells.cells, result.profiles)
    ledger.append(canonical.RUN, run.pk, content)  # last: the chain's lock is held only until commit
    return run


def insert_results(run_id: int, result: RunResult) -> None:
    """The run's per-profile and daily rows, in the caller's transaction."""
    # One statement each whatever the number of days and profiles (calculations/bulk.py):
    # COPY on PostgreSQL, executemany elsewhere, inside this transaction.
    insert_rows(ProfileResult, PROFILE_COLUMNS, (
        (run_id, p.profile, p.model, p.inferences, p.input_tokens, p.output_tokens, p.cached_input_tokens,
         *_estimate_values(p))
        for p in result.profiles
    ))
    insert_columns(DailyResult, DAILY_COLUMNS, daily_columns(run_id, result), len(result.cells),
                   nan_is_null=ESTIMATE_COLUMNS)


def daily_columns(run_id: int, result: RunResult) -> list:
    """The run's daily rows as columns in DAILY_COLUMNS order (calculations.bulk.insert_columns): the
    engine's own lists and arrays, with no tuple or float object made a cell (on PostgreSQL)."""
    daily = result.cells
    cells = daily.cells
    return [Same(run_id), cells.days, cells.profiles, cells.inferences, daily.input_tokens, daily.output_tokens,
            cells.input_tokens, cells.output_tokens, cells.cached_input_tokens, *daily.estimate_column_views()]


def daily_rows(run_id: int, result: RunResult):
    """The run's daily rows in DAILY_COLUMNS order, sorted by (day, profile), without a model instance a row
    (the rows daily_columns() writes, as audit.verification compares them with the stored ones)."""
    daily = result.cells
    return map(tuple.__add__, zip(
        repeat(run_id), daily.cells.days, daily.cells.profiles, daily.cells.inferences, daily.input_tokens,
        daily.output_tokens, daily.cells.input_tokens, daily.cells.output_tokens, daily.cells.cached_input_tokens,
    ), daily.estimate_rows())


def stored_cells(run: Run) -> CellColumns:
    """The run's per-(day, profile) counts, as the engine takes them: sorted by (day, profile).

    Sorted here rather than by the database, whose collation may order profile codes otherwise.
    """
    names = ["day", "profile", "inferences", "explicit_input_tokens", "explicit_output_tokens"]
    if any(f.name == "explicit_cached_input_tokens" for f in run.daily_results.model._meta.fields):
        names.append("explicit_cached_input_tokens")  # historical models before calculations 0006 have none
    rows = sorted(run.daily_results.values_list(*names))
    return CellColumns(*map(list, zip(*rows))) if rows else CellColumns([], [], [], [], [])


def reevaluate_run(run: Run, *, user, version_number: int | None = None, region: str | None = None,
                   label: str = "", project: Project | None = None) -> Run:
    """Recompute a run's stored counts under another version and/or region, saved as a new run (in the
    original's project unless `project` files it elsewhere: the original keeps its own).

    The formulas are linear in the counts and tokens, so no re-upload is needed; under the
    same version and region the numbers are identical to the original's.
    """
    version_number = version_number if version_number is not None else run.methodology_version.number
    version, parameters, region = resolve_methodology(version_number, region or run.region)
    cells = stored_cells(run)
    unknown = sorted({c.profile for c in cells} - set(parameters.profiles))
    if unknown:
        raise InvalidOption(
            "version",
            gettext("Methodology v%(number)s has no usage profile %(profiles)s; the run cannot be re-evaluated "
                    "under it.") % {"number": version.number, "profiles": ", ".join(unknown)},
        )
    summary = InputSummary(
        sha256=run.input_sha256,
        size_bytes=run.input_bytes,
        format=run.input_format,
        first_day=run.first_day,
        last_day=run.last_day,
        days=run.days,
        mappings=[ProfileMapping(**mapping) for mapping in run.mappings],
        inferences_reported=run.inferences_reported,
        generic_models=list(run.generic_models),
    )
    evaluation = evaluation_of(version, parameters, summary, cells, region)
    return save_run(
        evaluation,
        user=user,
        source=RunSource.REEVALUATION,
        label=label or run.label,
        profile_option=run.profile_option,
        derived_from=run,
        project=project or run.project,
    )


@dataclass(frozen=True)
class Check:
    field: str
    stored: Any
    recomputed: Any

    @property
    def matches(self) -> bool:
        return self.stored == self.recomputed


def verify_run(run: Run, data: bytes, *, filename: str | None = None) -> list[Check]:
    """Recompute `data` under the run's version and region; compare the hash and every total."""
    evaluation = evaluate_upload(
        data, version_number=run.methodology_version.number, region=run.region,
        profile=run.profile_option or None, filename=filename,
        unknown_models="generic" if run.generic_models else None,
    )
    summary, totals = evaluation.summary, evaluation.result.totals
    checks = [
        Check("input.sha256", run.input_sha256, summary.sha256),
        Check("input.bytes", run.input_bytes, summary.size_bytes),
        Check("input.first_day", run.first_day, summary.first_day),
        Check("input.last_day", run.last_day, summary.last_day),
        Check("methodology.sha256", run.methodology_sha256, evaluation.parameters.sha256),
        Check("totals.inferences", run.inferences, totals.inferences),
        # Token counts in one form on both sides: whole numbers as in every document (the run stores floats).
        Check("totals.input_tokens", whole_number(run.input_tokens), whole_number(totals.input_tokens)),
        Check("totals.output_tokens", whole_number(run.output_tokens), whole_number(totals.output_tokens)),
    ]
    for name in ("energy_kwh", "carbon_gco2e"):
        for bound in ("value", "low", "high"):
            checks.append(Check(f"totals.{name}.{bound}", getattr(run, f"{name}_{bound}"),
                                getattr(getattr(totals, name), bound)))
    stored_profiles = {p.profile: p for p in run.profile_results.all()}
    for profile in evaluation.result.profiles:
        stored = stored_profiles.pop(profile.profile, None)
        for name in ("energy_kwh", "carbon_gco2e"):
            checks.append(Check(f"profiles.{profile.profile}.{name}.value",
                                getattr(stored, f"{name}_value", None), getattr(profile, name).value))
    for missing in stored_profiles:
        checks.append(Check(f"profiles.{missing}", "present", None))
    return checks + _interval_checks(run, evaluation)


def _interval_checks(run: Run, evaluation: Evaluation) -> list[Check]:
    """The stored 90 % intervals against the same Monte Carlo of the upload (the run's draws and seed):
    bit-identical when nothing changed. Nothing to check for a run saved before the Monte Carlo."""
    stored = run.uncertainty
    if stored is None:
        return []
    redone = evaluation.uncertainty
    if redone is None or (redone.draws, redone.seed) != (stored["draws"], stored["seed"]):
        redone = simulate(evaluation.result.cells.cells, evaluation.parameters, evaluation.result,
                          draws=stored["draws"], seed=stored["seed"])
    return [
        Check(f"totals.{name}.{key}", stored["totals"][name][key], getattr(redone.totals[name], key))
        for name in ("energy_kwh", "carbon_gco2e") for key in ("p5", "p50", "p95", "mean")
    ]
