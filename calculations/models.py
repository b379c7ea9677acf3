"""Runs: the aggregates of one computation, and what is needed to audit and reproduce it.

The analytics themselves are never stored: only their SHA-256, size, format and
period, and the per-(day, profile) counts the formulas are linear in.
"""

from django.conf import settings
from django.db import models

from calculations.engine.compute import BOUNDS, ESTIMATE_NAMES
from methodology.models import MethodologyVersion

# Every estimate a run stores, each as value/low/high columns, in the engine's order.
ESTIMATE_COLUMNS = tuple(f"{name}_{bound}" for name in ESTIMATE_NAMES for bound in BOUNDS)


DEFAULT_PROJECT = "default"  # the code of the project runs saved before projects existed were filed under


class Project(models.Model):
    """A product or portal whose runs are reported together ("Docs portal", "Internal assistant").

    A run belongs to one project, chosen at upload and fixed thereafter. The project coded DEFAULT_PROJECT,
    created by migration calculations 0007, holds the runs saved before projects existed and those uploaded
    without a choice; the ledger records it as null (docs/audit-trail.md), so their seals hold."""

    code = models.SlugField(max_length=64, unique=True,
                            help_text="Fixed once runs are filed under it: the ledger records it.")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


def default_project_id() -> int:
    """The default project's id (created when missing): the project of a run saved without one."""
    project, _ = Project.objects.get_or_create(code=DEFAULT_PROJECT, defaults={"name": "Default project"})
    return project.pk


class RunSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", "Web"
    CLI = "cli", "CLI"
    REEVALUATION = "reevaluation", "Re-evaluation"


class EstimateFields(models.Model):
    """Energy and carbon, each with its range."""

    energy_kwh_value = models.FloatField()
    energy_kwh_low = models.FloatField()
    energy_kwh_high = models.FloatField()
    carbon_gco2e_value = models.FloatField()
    carbon_gco2e_low = models.FloatField()
    carbon_gco2e_high = models.FloatField()

    class Meta:
        abstract = True

    @property
    def energy_kwh(self) -> dict[str, float]:
        return {"value": self.energy_kwh_value, "low": self.energy_kwh_low, "high": self.energy_kwh_high}

    @property
    def carbon_gco2e(self) -> dict[str, float]:
        return {"value": self.carbon_gco2e_value, "low": self.carbon_gco2e_low, "high": self.carbon_gco2e_high}


class ExtensionFields(models.Model):
    """Market-based electricity carbon (methodology.md section 3), embodied carbon, usage + embodied
    carbon, and water (section 8).

    Null means "not assessed" by the methodology version used (or, for market-based carbon, by its
    region), never zero.
    """

    carbon_market_gco2e_value = models.FloatField(null=True, blank=True)
    carbon_market_gco2e_low = models.FloatField(null=True, blank=True)
    carbon_market_gco2e_high = models.FloatField(null=True, blank=True)

    embodied_gco2e_value = models.FloatField(null=True, blank=True)
    embodied_gco2e_low = models.FloatField(null=True, blank=True)
    embodied_gco2e_high = models.FloatField(null=True, blank=True)
    carbon_total_gco2e_value = models.FloatField(null=True, blank=True)
    carbon_total_gco2e_low = models.FloatField(null=True, blank=True)
    carbon_total_gco2e_high = models.FloatField(null=True, blank=True)
    water_l_value = models.FloatField(null=True, blank=True)
    water_l_low = models.FloatField(null=True, blank=True)
    water_l_high = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True

    def _estimate(self, name: str) -> dict[str, float] | None:
        value = getattr(self, f"{name}_value")
        if value is None:
            return None
        return {"value": value, "low": getattr(self, f"{name}_low"), "high": getattr(self, f"{name}_high")}

    @property
    def carbon_market_gco2e(self) -> dict[str, float] | None:
        return self._estimate("carbon_market_gco2e")

    @property
    def embodied_gco2e(self) -> dict[str, float] | None:
        return self._estimate("embodied_gco2e")

    @property
    def carbon_total_gco2e(self) -> dict[str, float] | None:
        return self._estimate("carbon_total_gco2e")

    @property
    def water_l(self) -> dict[str, float] | None:
        return self._estimate("water_l")


class Run(EstimateFields, ExtensionFields):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="runs")
    source = models.CharField(max_length=16, choices=RunSource.choices)
    label = models.CharField(max_length=200, blank=True)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="runs", default=default_project_id)
    methodology_version = models.ForeignKey(MethodologyVersion, on_delete=models.PROTECT, related_name="runs")
    methodology_sha256 = models.CharField(max_length=64)
    region = models.CharField(max_length=64)
    profile_option = models.CharField(max_length=64, blank=True,
                                      help_text="The `profile` option given for reports without a model.")
    engine_version = models.CharField(max_length=80)
    input_sha256 = models.CharField(max_length=64, db_index=True)
    input_bytes = models.PositiveBigIntegerField()
    input_format = models.CharField(max_length=40)
    counts_sha256 = models.CharField(
        max_length=64, db_index=True,
        help_text="SHA-256 of the stored daily counts in canonical form (engine/counts_hash.py): the same for the "
                  "same usage sent as YAML or CSV, unlike input_sha256.")
    first_day = models.DateField()
    last_day = models.DateField()
    days = models.PositiveIntegerField()
    inferences = models.PositiveBigIntegerField()
    input_tokens = models.FloatField()
    output_tokens = models.FloatField()
    cached_input_tokens = models.PositiveBigIntegerField(
        default=0, help_text="The cached subset of input_tokens (explicit counts only; 0 when none was reported).")
    mappings = models.JSONField(default=list, blank=True,
                                help_text="For real exports: per usage profile, the rule and methodology "
                                          "name that matched and how many source groups were merged.")
    inferences_reported = models.BooleanField(
        default=True, help_text="False when the report counts no requests (Anthropic's usage report): the "
                                "inferences are then 'not reported' and no per-inference figure is shown.")
    generic_models = models.JSONField(
        default=list, blank=True, help_text="Model names of the upload that the unknown_models=generic option "
                                            "mapped to the usage profile 'generic' (sorted).")
    derived_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="reevaluations")
    uncertainty = models.JSONField(
        null=True, blank=True,
        help_text="The Monte Carlo of methodology.md section 11: draws, seed, P5/P50/P95/mean of the totals and "
                  "of each profile, drivers, histogram of the total carbon. Null: saved before it existed, "
                  "not computed until re-evaluated.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["first_day", "last_day"])]

    def __str__(self) -> str:
        return f"Run {self.pk}" + (f" – {self.label}" if self.label else "")

    def interval(self, name: str, profile: str | None = None) -> dict[str, float] | None:
        """The stored P5/P50/P95/mean of estimate `name` (of the run, or of one of its profiles);
        None when the Monte Carlo was not computed (a run saved before it) or the figure is not assessed."""
        if self.uncertainty is None:
            return None
        intervals = self.uncertainty["totals"] if profile is None else self.uncertainty["profiles"].get(profile, {})
        return intervals.get(name)


class ProfileResult(EstimateFields, ExtensionFields):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="profile_results")
    profile = models.CharField(max_length=64)
    model = models.CharField(max_length=64)
    inferences = models.PositiveBigIntegerField()
    input_tokens = models.FloatField()
    output_tokens = models.FloatField()
    cached_input_tokens = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["profile"]
        constraints = [models.UniqueConstraint(fields=["run", "profile"], name="profileresult_unique_per_run")]

    def interval(self, name: str) -> dict[str, float] | None:
        """The stored P5/P50/P95/mean of this profile's estimate `name` (see Run.interval)."""
        return self.run.interval(name, self.profile)


class DailyResult(EstimateFields, ExtensionFields):
    """One (day, profile) cell: the counts to recompute it, and its results."""

    # The cell is the primary key: one index, (run, day, profile), serves every lookup by run and
    # keeps a cell unique, with no surrogate id, no sequence and no second index to write per cell
    # (a third of the time PostgreSQL took to store a typical run's 1 825 cells: migration 0011).
    # No foreign key constraint in the database: PostgreSQL checks a (deferred) foreign key row by
    # row at commit, 3 us a cell, which was half the cost of saving a large run and 6 ms of a typical
    # one. The rows are only written by services.save_run, in the transaction that creates their run,
    # and runs are never deleted by the app (the ORM's CASCADE still removes them with a run).
    pk = models.CompositePrimaryKey("run_id", "day", "profile")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="daily_results", db_index=False,
                            db_constraint=False)
    day = models.DateField()
    profile = models.CharField(max_length=64)
    inferences = models.PositiveBigIntegerField()
    input_tokens = models.FloatField(help_text="Central value used: explicit, or inferences x profile average.")
    output_tokens = models.FloatField()
    explicit_input_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    explicit_output_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    explicit_cached_input_tokens = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The cached subset of explicit_input_tokens; null: not reported.")

    class Meta:
        ordering = ["day", "profile"]
