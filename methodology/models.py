"""Versioned methodology: the hypotheses every run points at (their columns and rules come from
the parameter catalogue, calculations/engine/catalogue.py).

A draft is edited freely; publishing freezes it (number, canonical snapshot,
SHA-256) and from then on nothing may change or delete it, whatever the path:
model save()/delete(), queryset update()/delete()/bulk_create(), or the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from calculations.engine.catalogue import HYPOTHESES


def get_language_code() -> str:
    """"fr" for fr, fr-ca…: the active language without its region."""
    return (get_language() or "").split("-")[0]


class ImmutableVersionError(Exception):
    """Someone tried to change or delete a published methodology version or one of its rows."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


# Translations are not part of a methodology (nor of its hash, canonical.py): a published version's
# French names may still be completed, through QuerySet.update of these fields only (services).
VERSION_TRANSLATIONS = {"label_fr"}
ROW_TRANSLATIONS = {"name_fr", "unit_fr"}


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
        if not set(kwargs) <= VERSION_TRANSLATIONS:
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
    # Translations are not part of the methodology (nor of its hash): they may be completed after publishing.
    label_fr = models.CharField(max_length=200, blank=True, help_text="The label in French (optional).")
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
    def display_label(self) -> str:
        """The label in the active language: the French label on French pages when there is one."""
        return (self.label_fr or self.label) if get_language_code() == "fr" else self.label

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
        if not set(kwargs) <= ROW_TRANSLATIONS:
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


def _hypotheses_of(section: str):
    return [h for h in HYPOTHESES if h.section == section]


def hypothesis_columns(section: str) -> type[models.Model]:
    """An abstract model with the value, low and high columns of each hypothesis of `section`,
    as the parameter catalogue describes them (label, whole number, optional)."""
    attributes = {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True})}
    for h in _hypotheses_of(section):
        field_class = models.PositiveIntegerField if h.whole else models.FloatField
        for column, label in h.column_labels().items():
            attributes[column] = field_class(label, null=h.optional, blank=h.optional)
    return type(f"{section.title()}HypothesisColumns", (models.Model,), attributes)


def hypothesis_constraints(model_name: str, section: str) -> list:
    """The catalogue's rules as CheckConstraints: a positive range (or, for the optional
    hypotheses of methodology.md section 8, three empty columns: "not assessed"), at most 1 for a share."""
    constraints = []
    for h in _hypotheses_of(section):
        name = h.name
        valid = Q(**{f"{name}_low__gt": 0}) & Q(**{f"{name}_low__lte": F(f"{name}_value")}) & Q(
            **{f"{name}_value__lte": F(f"{name}_high")}
        )
        if h.optional:
            empty = Q(**{f"{name}_value__isnull": True, f"{name}_low__isnull": True, f"{name}_high__isnull": True})
            constraints.append(models.CheckConstraint(condition=empty | valid,
                                                      name=f"{model_name}_{name}_empty_or_positive_range"))
        else:
            constraints.append(models.CheckConstraint(condition=valid, name=f"{model_name}_{name}_positive_range"))
        if h.at_most_one:
            constraints.append(
                models.CheckConstraint(condition=Q(**{f"{name}_high__lte": 1}), name=f"{model_name}_{name}_at_most_1")
            )
    return constraints


class VersionRow(models.Model):
    """A row that belongs to one methodology version and shares its immutability."""

    version = models.ForeignKey(MethodologyVersion, on_delete=models.CASCADE, related_name="%(class)ss")
    code = models.SlugField(max_length=64, help_text="Slug: [a-z0-9][a-z0-9_-]*")
    name = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True,
                               help_text="The name in French (optional; not part of the methodology's hash).")
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


class Region(VersionRow, hypothesis_columns("regions")):
    """A region's hypotheses (pue, carbon_intensity, and the optional water ones): the catalogue's columns."""

    hypothesis_section = "regions"

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="region_unique_code_per_version"),
            *hypothesis_constraints("region", "regions"),
        ]


class ModelProfile(VersionRow, hypothesis_columns("models")):
    """A model profile's hypotheses (hardware, throughputs, efficiency, optional embodied carbon), and how its
    inference is procured (the GHG Protocol scope of its carbon, calculations/engine/scope.py)."""

    hypothesis_section = "models"
    procurement = models.CharField(
        max_length=20, blank=True, default="",
        choices=[("own_datacentre", "own datacentre (Scope 2, hardware Scope 3 cat. 2)"),
                 ("cloud", "cloud (Scope 3 cat. 1)"), ("api_service", "API service (Scope 3 cat. 1)")],
        help_text="How its inference is procured; blank: not declared (versions published before it).")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="modelprofile_unique_code_per_version"),
            *hypothesis_constraints("modelprofile", "models"),
        ]


class UsageProfile(VersionRow, hypothesis_columns("profiles")):
    hypothesis_section = "profiles"

    model = models.CharField("model profile", max_length=64, help_text="Code of one of this version's model profiles.")
    aliases = models.JSONField(default=list, blank=True,
                               help_text="Names in real exports that mean this profile (model names, "
                                         "Fluid Topics profile names or ids).")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="usageprofile_unique_code_per_version"),
            *hypothesis_constraints("usageprofile", "profiles"),
        ]


class Equivalent(VersionRow, hypothesis_columns("equivalents")):
    """A conversion factor shown beside the totals: `amount` of `metric` per one `unit`."""

    hypothesis_section = "equivalents"

    METRICS = [
        ("energy_kwh", "energy (kWh)"),
        ("carbon_gco2e", "usage carbon (gCO2e)"),
        ("carbon_total_gco2e", "usage + embodied carbon (gCO2e)"),
        ("water_l", "water (L)"),
    ]

    metric = models.CharField(max_length=32, choices=METRICS)
    unit = models.CharField(max_length=40, help_text="What one equivalent is called: km, charges, showers…")
    unit_fr = models.CharField(max_length=40, blank=True, help_text="The unit in French: km, recharges, douches…")

    class Meta(VersionRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="equivalent_unique_code_per_version"),
            *hypothesis_constraints("equivalent", "equivalents"),
        ]
