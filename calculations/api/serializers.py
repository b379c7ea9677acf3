from django.utils.translation import gettext
from rest_framework import serializers

from rest_framework.reverse import reverse

from calculations.engine.numbers import whole_number
from calculations.models import Run

MAX_ID = 2**63 - 1  # a database id (bigint)


class EnergyOptionsSerializer(serializers.Serializer):
    """Options of POST /api/energy, as query parameters or form fields."""

    # Blank defaults: Swagger UI's "Try it out" fills a field from its default, else with the word "string",
    # which is no region or profile code (400).
    region = serializers.CharField(required=False, allow_blank=True, max_length=64, default="",
                                   help_text="Region code (default: the version's default region).")
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="Published methodology version (default: the latest).")
    label = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    save = serializers.BooleanField(required=False, default=True,
                                    help_text="false computes without keeping anything.")
    profile = serializers.CharField(required=False, allow_blank=True, max_length=64, default="",
                                    help_text="Usage profile for reports that carry no model (OpenAI, not grouped).")
    unknown_models = serializers.ChoiceField(
        choices=["generic"], required=False, allow_blank=True, default="",
        help_text="generic: models of a usage report that no alias matches count as the version's usage profile "
                  "'generic' (refused when the version has none); without it they are refused.")
    project = serializers.CharField(required=False, allow_blank=True, max_length=64, default="",
                                    help_text="Code of the project the run is filed under (default: the default "
                                              "project); fixed once saved.")


class EnergyUploadSerializer(EnergyOptionsSerializer):
    """The multipart form of POST /api/energy (documents 'Try it out')."""

    analytics_file = serializers.FileField(help_text="Analytics: YAML, JSON, CSV, or a Fluid Topics / OpenAI export.")


class ReevaluateSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    region = serializers.CharField(required=False, allow_blank=True, max_length=64)
    label = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    project = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class TokenCountField(serializers.FloatField):
    """A token count stored as a float, answered as a whole number when it is one (as in the result document)."""

    def to_representation(self, value) -> float | int:
        return whole_number(super().to_representation(value))


class RunSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    user = serializers.CharField(source="user.username", default=None, allow_null=True)  # None: a CLI run
    methodology_version = serializers.IntegerField(source="methodology_version.number")
    energy_kwh = serializers.DictField(child=serializers.FloatField())
    carbon_gco2e = serializers.DictField(child=serializers.FloatField())
    carbon_market_gco2e = serializers.DictField(child=serializers.FloatField(), allow_null=True)  # null: not assessed
    project = serializers.CharField(source="project.code")
    derived_from = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    input_tokens = TokenCountField()
    output_tokens = TokenCountField()
    inferences = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = [
            "id", "url", "created_at", "user", "source", "label", "methodology_version", "methodology_sha256",
            "region", "engine_version", "input_sha256", "input_bytes", "input_format", "first_day", "last_day",
            "days", "inferences", "inferences_reported", "input_tokens", "cached_input_tokens", "output_tokens",
            "energy_kwh", "carbon_gco2e", "carbon_market_gco2e", "project", "derived_from", "generic_models",
        ]

    def get_inferences(self, run) -> int | None:
        """The run's inferences; null when the report counts none (inferences_reported false)."""
        return run.inferences if run.inferences_reported else None

    def get_url(self, run) -> str:
        return reverse("api:run-detail", args=[run.pk], request=self.context.get("request"))


def run_reference(run, request) -> dict:
    return {"id": run.pk, "url": reverse("api:run-detail", args=[run.pk], request=request), "project": run.project.code}


class RunFilterSerializer(serializers.Serializer):
    """Filters of GET /api/runs; a blank text filter means no filter, as in an HTML form."""

    region = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)
    label = serializers.CharField(required=False, allow_blank=True)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    user = serializers.CharField(required=False, allow_blank=True)
    project = serializers.CharField(required=False, allow_blank=True)


class InventorySerializer(serializers.Serializer):
    """Options of GET /api/inventory: a period (start <= end), optionally one project and an explicit choice of runs."""

    start = serializers.DateField(help_text="first day of the period, YYYY-MM-DD")
    end = serializers.DateField(help_text="last day of the period, YYYY-MM-DD")
    project = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    runs = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="comma-separated run ids: consolidate exactly these (resolves overlaps)")

    def validate_runs(self, value: str) -> list[int] | None:
        if not value.strip():
            return None
        return PeriodSerializer().validate_runs(value)



def period_problem(start, end, first: str = "start", last: str = "end") -> tuple[str, str] | None:
    """(field, reason) when [start, end] is no period the inventory takes: start after end, or over ten years.
    Checked by the views (code invalid_period): each date alone is well formed."""
    if start > end:
        return first, gettext("must be on or before %(last)s (%(day)s)") % {"last": last, "day": end.isoformat()}
    if (end - start).days > 366 * 10:
        return last, gettext("a period spans at most ten years")
    return None


class InventoryBridgeSerializer(serializers.Serializer):
    """Options of GET /api/inventory/bridge: the base period and the current one, each start <= end."""

    base_start = serializers.DateField()
    base_end = serializers.DateField()
    start = serializers.DateField()
    end = serializers.DateField()
    project = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    base_runs = serializers.CharField(required=False, allow_blank=True, default="")
    runs = serializers.CharField(required=False, allow_blank=True, default="")

    validate_base_runs = InventorySerializer.validate_runs
    validate_runs = InventorySerializer.validate_runs


class RestateSerializer(InventorySerializer):
    """POST /api/inventory/restate: the period's runs (as the inventory counts them) re-evaluated under `version`."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class PeriodSerializer(serializers.Serializer):
    runs = serializers.CharField(help_text="comma-separated run ids")
    granularity = serializers.ChoiceField(choices=["month", "quarter"], default="month")

    def validate_runs(self, value: str) -> list[int]:
        try:
            ids = sorted({int(part) for part in value.split(",") if part.strip()})
        except ValueError:
            raise serializers.ValidationError(gettext("must be comma-separated run ids, e.g. 3,4,5")) from None
        if not ids:
            raise serializers.ValidationError(gettext("name at least one run"))
        if not 1 <= ids[0] <= ids[-1] <= MAX_ID:  # an id beyond the database's integers is a 400, not a 500
            raise serializers.ValidationError(gettext("run ids are whole numbers from 1 to %(max)s") % {"max": MAX_ID})
        return ids


class CompareSerializer(serializers.Serializer):
    a = serializers.IntegerField(min_value=1)
    b = serializers.IntegerField(min_value=1)
