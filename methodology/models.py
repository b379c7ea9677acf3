"""Versioned methodology: the hypotheses every run points at.

A draft is edited freely; publishing freezes it (number, canonical snapshot,
SHA-256) and from then on nothing may change or delete it, whatever the path:
model save()/delete(), queryset update()/delete()/bulk_create(), or the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


class ImmutableVersionError(Exception):
    """Someone tried to change or delete a published methodology version or one of its rows."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class MethodologyVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=VersionStatus.DRAFT)

    def with_draft_numbers(self):
        """Annotate `draft_number`, the number each draft would get if the drafts were published in the
        order they were created (latest published number + 1, + 1 per older draft): one query for a list."""
        older_drafts = (
            self.model.objects.drafts()
            .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
            .order_by().values("status").annotate(count=Count("pk")).values("count")
        )
        latest = self.model.objects.published().order_by().values("status").annotate(top=Max("number")).values("top")
        return self.annotate(draft_number=(
            Coalesce(Subquery(latest, output_field=IntegerField()), Value(0))
            + Coalesce(Subquery(older_drafts, output_field=IntegerField()), Value(0)) + 1
        ))

    def _refuse_if_published(self, action: str) -> None:
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError(f"cannot {action} a published methodology version")

    def update(self, **kwargs):
        self._refuse_if_published("update")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published("delete")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        # A version is published only by services.publish_version; and an upsert
        # (update_conflicts=True) must not overwrite a published version.
        if any(obj.is_published for obj in objs):
            raise ImmutableVersionError("a methodology version is published only by publish_version()")
        existing = [obj.pk for obj in objs if obj.pk is not None]
        if existing and self.model.objects.filter(pk__in=existing, status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError("cannot overwrite a published methodology version")
        return super().bulk_create(objs, *args, **kwargs)


class MethodologyVersion(models.Model):
    number = models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False,
                                         help_text="Sequential number, set when published.")
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT,
                              editable=False)
    label = models.CharField(max_length=200, blank=True)
    changelog = models.TextField(blank=True, help_text="What changed and why, for auditors.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               editable=False)
    default_region = models.CharField(max_length=64, help_text="Code of one of this version's regions.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", editable=False)
    snapshot = models.JSONField(null=True, blank=True, editable=False,
                                help_text="Canonical form of the whole parameter set, frozen at publish.")
    sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = MethodologyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number", "-created_at"]
        permissions = [("publish_methodologyversion", "Can publish a methodology version")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT, number__isnull=True)
                | Q(status=VersionStatus.PUBLISHED, number__isnull=False, published_at__isnull=False)
                & ~Q(sha256=""),
                name="version_published_has_number_and_hash",
            ),
        ]

    def __str__(self) -> str:
        return self.name + (f" – {self.label}" if self.label else "")

    @property
    def name(self) -> str:
        """"v2" for a published version; "v3 draft" for a draft, by the number it would be published as
        (MethodologyVersionQuerySet.with_draft_numbers), never by its database id."""
        if self.is_published:
            return f"v{self.number}"
        number = getattr(self, "draft_number", None)
        if number is None and self.pk is not None:
            number = type(self).objects.filter(pk=self.pk).with_draft_numbers().values_list("draft_number", flat=True)[0]
        return f"v{number} draft" if number is not None else "New draft"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def _stored_as_published(self) -> bool:
        return self.pk is not None and type(self).objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        if self._stored_as_published():
            raise ImmutableVersionError(f"{self} is published and cannot change")
        if self.is_published:
            # Publishing validates, numbers and freezes the set: only publish_version() does it.
            raise ImmutableVersionError("a methodology version is published only by publish_version()")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_as_published():
            raise ImmutableVersionError(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)


def _any_published(version_ids) -> bool:
    return MethodologyVersion.objects.filter(pk__in=version_ids, status=VersionStatus.PUBLISHED).exists()


class VersionRowQuerySet(models.QuerySet):
    def _refuse_if_published(self, action: str) -> None:
        if self.filter(version__status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError(f"cannot {action} rows of a published methodology version")

    def update(self, **kwargs):
        self._refuse_if_published("update")
        # Moving draft rows into a published version would change it too.
        target = kwargs.get("version", kwargs.get("version_id"))
        if target is not None and _any_published([getattr(target, "pk", target)]):
            raise ImmutableVersionError("cannot move rows into a published methodology version")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published("delete")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if MethodologyVersion.objects.filter(pk__in=version_ids, status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError("cannot add rows to a published methodology version")
        # An upsert (update_conflicts=True) on existing primary keys would overwrite published rows.
        existing = [obj.pk for obj in objs if obj.pk is not None]
        if existing and self.model.objects.filter(pk__in=existing, version__status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError("cannot overwrite rows of a published methodology version")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if MethodologyVersion.objects.filter(pk__in=version_ids, status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError("cannot update rows of a published methodology version")
        return super().bulk_update(objs, *args, **kwargs)


def _range_constraints(model_name: str, names: list[str], at_most_one: tuple[str, ...] = ()) -> list:
    constraints = []
    for name in names:
        value, high = F(f"{name}_value"), F(f"{name}_high")
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{name}_low__gt": 0}) & Q(**{f"{name}_low__lte": value})
                & Q(**{f"{name}_value__lte": high}),
                name=f"{model_name}_{name}_positive_range",
            )
        )
        if name in at_most_one:
            constraints.append(
                models.CheckConstraint(condition=Q(**{f"{name}_high__lte": 1}), name=f"{model_name}_{name}_at_most_1")
            )
    return constraints


def _optional_range_constraints(model_name: str, names: list[str]) -> list:
    """Section 6 parameters: all three columns empty ("not assessed") or a positive range."""
    constraints = []
    for name in names:
        empty = Q(**{f"{name}_value__isnull": True, f"{name}_low__isnull": True, f"{name}_high__isnull": True})
        valid = Q(**{f"{name}_low__gt": 0}) & Q(**{f"{name}_low__lte": F(f"{name}_value")}) & Q(
            **{f"{name}_value__lte": F(f"{name}_high")}
        )
        constraints.append(models.CheckConstraint(condition=empty | valid, name=f"{model_name}_{name}_empty_or_positive_range"))
    return constraints


def _optional_float(label: str) -> models.FloatField:
    return models.FloatField(label, null=True, blank=True)


class VersionRow(models.Model):
    """A row that belongs to one methodology version and shares its immutability."""

    version = models.ForeignKey(MethodologyVersion, on_delete=models.CASCADE, related_name="%(class)ss")
    code = models.SlugField(max_length=64, help_text="Slug: [a-z0-9][a-z0-9_-]*")
    name = models.CharField(max_length=200)
    source = models.TextField(help_text="Where the numbers come from (text, may hold URLs).")

    objects = VersionRowQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def _version_is_published(self) -> bool:
        return MethodologyVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        if self._version_is_published():
            raise ImmutableVersionError("rows of a published methodology version cannot change")
        if self.pk is not None:
            stored_version = type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if stored_version is not None and stored_version != self.version_id and MethodologyVersion.objects.filter(
                pk=stored_version, status=VersionStatus.PUBLISHED
            ).exists():
                raise ImmutableVersionError("rows of a published methodology version cannot move")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_is_published():
            raise ImmutableVersionError("rows of a published methodology version cannot be deleted")
        return super().delete(*args, **kwargs)


class Region(VersionRow):
    pue_value = models.FloatField("PUE")
    pue_low = models.FloatField("PUE low")
    pue_high = models.FloatField("PUE high")
    carbon_intensity_value = models.FloatField("carbon intensity (gCO2e/kWh)")
    carbon_intensity_low = models.FloatField("carbon intensity low")
    carbon_intensity_high = models.FloatField("carbon intensity high")
    # Section 6 (optional): on-site water per kWh of IT energy, and the grid's water per kWh generated.
    wue_value = _optional_float("WUE (L/kWh)")
    wue_low = _optional_float("WUE low")
    wue_high = _optional_float("WUE high")
    water_intensity_value = _optional_float("grid water intensity (L/kWh)")
    water_intensity_low = _optional_float("grid water intensity low")
    water_intensity_high = _optional_float("grid water intensity high")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="region_unique_code_per_version"),
            *_range_constraints("region", ["pue", "carbon_intensity"]),
            *_optional_range_constraints("region", ["wue", "water_intensity"]),
        ]


class ModelProfile(VersionRow):
    gpu_count_value = models.PositiveIntegerField("GPU count")
    gpu_count_low = models.PositiveIntegerField("GPU count low")
    gpu_count_high = models.PositiveIntegerField("GPU count high")
    gpu_power_w_value = models.FloatField("GPU power (W)")
    gpu_power_w_low = models.FloatField("GPU power low")
    gpu_power_w_high = models.FloatField("GPU power high")
    host_power_w_value = models.FloatField("host power (W)")
    host_power_w_low = models.FloatField("host power low")
    host_power_w_high = models.FloatField("host power high")
    prefill_tokens_per_s_value = models.FloatField("prefill throughput (tokens/s)")
    prefill_tokens_per_s_low = models.FloatField("prefill throughput low")
    prefill_tokens_per_s_high = models.FloatField("prefill throughput high")
    decode_tokens_per_s_value = models.FloatField("decode throughput (tokens/s)")
    decode_tokens_per_s_low = models.FloatField("decode throughput low")
    decode_tokens_per_s_high = models.FloatField("decode throughput high")
    efficiency_value = models.FloatField("efficiency η")
    efficiency_low = models.FloatField("efficiency low")
    efficiency_high = models.FloatField("efficiency high")
    # Section 6 (optional): manufacturing footprint of the replica's hardware and its lifetime.
    embodied_kgco2e_value = _optional_float("embodied carbon (kgCO2e)")
    embodied_kgco2e_low = _optional_float("embodied carbon low")
    embodied_kgco2e_high = _optional_float("embodied carbon high")
    lifetime_years_value = _optional_float("hardware lifetime (years)")
    lifetime_years_low = _optional_float("hardware lifetime low")
    lifetime_years_high = _optional_float("hardware lifetime high")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="modelprofile_unique_code_per_version"),
            *_range_constraints(
                "modelprofile",
                ["gpu_count", "gpu_power_w", "host_power_w", "prefill_tokens_per_s", "decode_tokens_per_s",
                 "efficiency"],
                at_most_one=("efficiency",),
            ),
            *_optional_range_constraints("modelprofile", ["embodied_kgco2e", "lifetime_years"]),
        ]


class UsageProfile(VersionRow):
    model = models.CharField("model profile", max_length=64, help_text="Code of one of this version's model profiles.")
    input_tokens_value = models.FloatField("input tokens per inference")
    input_tokens_low = models.FloatField("input tokens low")
    input_tokens_high = models.FloatField("input tokens high")
    output_tokens_value = models.FloatField("output tokens per inference")
    output_tokens_low = models.FloatField("output tokens low")
    output_tokens_high = models.FloatField("output tokens high")
    aliases = models.JSONField(default=list, blank=True,
                               help_text="Names in real exports that mean this profile (model names, "
                                         "Fluid Topics profile names or ids).")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="usageprofile_unique_code_per_version"),
            *_range_constraints("usageprofile", ["input_tokens", "output_tokens"]),
        ]


class Equivalent(VersionRow):
    """A conversion factor shown beside the totals: `amount` of `metric` per one `unit`."""

    METRICS = [
        ("energy_kwh", "energy (kWh)"),
        ("carbon_gco2e", "usage carbon (gCO2e)"),
        ("carbon_total_gco2e", "usage + embodied carbon (gCO2e)"),
        ("water_l", "water (L)"),
    ]

    metric = models.CharField(max_length=32, choices=METRICS)
    unit = models.CharField(max_length=40, help_text="What one equivalent is called: km, charges, showers…")
    amount_value = models.FloatField("amount per unit")
    amount_low = models.FloatField("amount low")
    amount_high = models.FloatField("amount high")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="equivalent_unique_code_per_version"),
            *_range_constraints("equivalent", ["amount"]),
        ]
