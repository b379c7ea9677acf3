"""Forms of the run pages: new run (upload), re-evaluation, history filters, comparison picker.

The choices come from the published methodology versions, read once per request
(MethodologyOptions), so a page costs one query for them whatever the number of versions.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from methodology.selectors import published_versions
from methodology.translations import localized_name

from .presentation.numbers import binary_size
from .uploads import UPLOAD_FIELD

ACCEPTED_EXTENSIONS = (
    ".yaml,.yml,.json,.csv,.xlsx,application/json,application/yaml,text/csv,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class MethodologyOptions:
    """The published versions and the regions and usage profiles they define (one query)."""

    def __init__(self):
        self.versions = list(published_versions())

    @property
    def latest(self):
        return self.versions[0] if self.versions else None

    @cached_property
    def version_choices(self) -> list[tuple[int, str]]:
        choices = []
        for i, version in enumerate(self.versions):
            text = f"v{version.number}"
            if version.display_label:
                text += f" – {version.display_label}"
            if i == 0:
                text += " " + str(_("(latest)"))
            choices.append((version.number, text))
        return choices

    def _entries(self, section: str) -> list[tuple[str, str]]:
        """(code, name in the active language) across versions; the newest version's name wins."""
        names: dict[str, str] = {}
        for version in reversed(self.versions):
            for code, entry in (version.snapshot or {}).get(section, {}).items():
                names[code] = localized_name(version, section, code, entry.get("name") or code)
        return sorted(names.items(), key=lambda item: item[1].lower())

    @cached_property
    def region_choices(self) -> list[tuple[str, str]]:
        return [(code, f"{name} ({code})") for code, name in self._entries("regions")]

    @cached_property
    def profile_choices(self) -> list[tuple[str, str]]:
        return [(code, f"{code} – {name}") for code, name in sorted(self._entries("profiles"))]

    def region_name(self, code: str) -> str:
        return dict(self._entries("regions")).get(code, code)


def _max_size_text() -> str:
    return binary_size(settings.ANALYTICS_MAX_UPLOAD_BYTES)


def project_choices() -> list[tuple[str, str]]:
    """(code, name) of every project, the default project first."""
    from .models import DEFAULT_PROJECT, Project

    projects = sorted(Project.objects.all(), key=lambda p: (p.code != DEFAULT_PROJECT, p.name.lower(), p.code))
    return [(p.code, p.name) for p in projects]


class UploadForm(forms.Form):
    analytics_file = forms.FileField(
        label=_("Analytics file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
    )
    version = forms.TypedChoiceField(label=_("Methodology version"), coerce=int)
    region = forms.ChoiceField(label=_("Region"), required=False)
    label = forms.CharField(label=_("Label"), max_length=200, required=False,
                            help_text=_("Free text to find the run again, for example “Portal 2025”."))
    project = forms.ChoiceField(label=_("Project"), required=False,
                                help_text=_("The product or portal the run is reported under; fixed once saved."))
    profile = forms.ChoiceField(
        label=_("Usage profile for reports without a model"), required=False,
        help_text=_("Only for OpenAI usage reports not grouped by model: every request counts as this profile."),
    )
    unknown_models = forms.ChoiceField(
        label=_("Models the methodology does not know"), required=False,
        choices=[("", _("Refuse the file (the message lists the known models)")),
                 ("generic", _("Count them as the generic usage profile"))],
        help_text=_("For OpenAI and Anthropic usage reports: a model no alias of the version matches is refused, "
                    "or counted as the version's usage profile “generic” (a very wide range); the run then names "
                    "those models."),
    )

    def __init__(self, *args, options: MethodologyOptions, **kwargs):
        super().__init__(*args, **kwargs)
        assert UPLOAD_FIELD == "analytics_file"
        self.fields["analytics_file"].help_text = _(
            "Native YAML, JSON or CSV, or a Fluid Topics or OpenAI export as it comes; at most %(size)s. "
            "The file is read in memory and not kept: only its SHA-256, size and period are."
        ) % {"size": _max_size_text()}
        self.fields["version"].choices = options.version_choices
        if options.latest is not None:
            self.fields["version"].initial = options.latest.number
        default = options.region_name(options.latest.default_region) if options.latest else ""
        self.fields["region"].choices = [("", _("Default of the version (%(name)s)") % {"name": default})] + \
            options.region_choices
        self.fields["profile"].choices = [("", _("None (the report names its models)"))] + options.profile_choices
        self.fields["project"].choices = project_choices()


class ProjectForm(forms.Form):
    """A new project: its name, and optionally its code (made from the name when empty)."""

    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("The product or portal, as reports name it, for example “Docs portal”."))
    code = forms.SlugField(label=_("Code"), max_length=64, required=False, allow_unicode=False,
                           help_text=_("Letters, digits, - and _; made from the name when left empty "
                                       "(“docs-portal”). The API and the command line name the project by it, "
                                       "and it is fixed once runs are filed under it."))


class ReevaluateForm(forms.Form):
    version = forms.TypedChoiceField(label=_("Methodology version"), coerce=int)
    region = forms.ChoiceField(label=_("Region"), required=False)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    project = forms.ChoiceField(label=_("Project of the new run"), required=False,
                                help_text=_("This run keeps its own project."))

    def __init__(self, *args, options: MethodologyOptions, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = options.version_choices
        self.fields["version"].initial = run.methodology_version.number
        self.fields["region"].choices = [
            ("", _("Same as this run (%(name)s)") % {"name": options.region_name(run.region)})
        ] + options.region_choices
        self.fields["label"].initial = run.label
        self.fields["project"].choices = project_choices()
        self.fields["project"].initial = run.project.code


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RunFilterForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput)
    region = forms.ChoiceField(label=_("Region"), required=False)
    version = forms.TypedChoiceField(label=_("Methodology version"), required=False, coerce=int, empty_value=None)
    label = forms.CharField(label=_("Label contains"), required=False, max_length=200)

    def __init__(self, *args, options: MethodologyOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + options.region_choices
        self.fields["version"].choices = [("", _("All versions"))] + options.version_choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid field is ignored, and shown with its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        keys = ("period_start", "period_end", "region", "version", "label")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k) not in (None, "")}

    def is_filtering(self) -> bool:
        return bool(self.filters())


MAX_RUN_ID = 2**63 - 1  # a database id (bigint): beyond it a query would fail


class CompareForm(forms.Form):
    # Bounded by the database's integers: a larger id would make the query fail (a 500), not a 404.
    a = forms.IntegerField(label=_("Run A"), min_value=1, max_value=MAX_RUN_ID, widget=forms.Select)
    b = forms.IntegerField(label=_("Run B"), min_value=1, max_value=MAX_RUN_ID, widget=forms.Select)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(run.pk, _run_choice_label(run)) for run in runs]
        self.fields["a"].widget.choices = choices
        self.fields["b"].widget.choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", _("Pick two different runs."))
        return cleaned


def _run_choice_label(run) -> str:
    text = f"#{run.pk}"
    if run.label:
        text += f" – {run.label}"
    return f"{text} · v{run.methodology_version.number} · {run.region} · {run.first_day:%Y-%m-%d} → {run.last_day:%Y-%m-%d}"


MAX_PERIOD_RUNS = 240  # twenty years of monthly uploads


class PeriodForm(forms.Form):
    """The period view's choices: `runs=3,4,5` (comma-separated ids) and `granularity`."""

    runs = forms.CharField(label=_("Runs"), max_length=4000)
    granularity = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("month", _("month")), ("quarter", _("quarter"))],
    )

    def clean_runs(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["runs"].split(",") if part.strip()]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Name the runs by their numbers, separated by commas, for example 3,4,5."))
        ids = sorted({int(part) for part in parts})
        if not 1 <= ids[0] <= ids[-1] <= MAX_RUN_ID:
            raise forms.ValidationError(_("No such run."))
        if len(ids) > MAX_PERIOD_RUNS:
            raise forms.ValidationError(_("At most %(count)d runs at a time.") % {"count": MAX_PERIOD_RUNS})
        return ids

    def clean_granularity(self) -> str:
        return self.cleaned_data.get("granularity") or "month"


class InventoryForm(forms.Form):
    """The inventory page's choices: a reporting year (the shortcut; its start month is a setting) or a start and
    an end day, a project (all by default), and optionally the runs to count (resolves overlaps)."""

    year = forms.IntegerField(label=_("Reporting year"), required=False, min_value=1990, max_value=2100)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    project = forms.ChoiceField(label=_("Project"), required=False)
    runs = forms.CharField(label=_("Runs to count"), required=False, max_length=4000,
                           help_text=_("Run numbers separated by commas: only these are counted (to choose "
                                       "between overlapping runs)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("All projects"))] + project_choices()

    base_year = forms.IntegerField(label=_("Compare with the base year"), required=False, min_value=1990,
                                   max_value=2100,
                                   help_text=_("The change from that reporting year, factor by factor."))
    base_runs = forms.CharField(label=_("Base-year runs to count"), required=False, max_length=4000,
                                help_text=_("For example the runs a restatement made."))

    @staticmethod
    def _ids(text: str) -> list[int] | None:
        if not text.strip():
            return None
        period = PeriodForm({"runs": text})
        if not period.is_valid():
            raise forms.ValidationError(period.errors["runs"])
        return period.cleaned_data["runs"]

    def clean_runs(self) -> list[int] | None:
        return self._ids(self.cleaned_data.get("runs") or "")

    def clean_base_runs(self) -> list[int] | None:
        return self._ids(self.cleaned_data.get("base_runs") or "")

    def clean(self):
        from .inventory import fiscal_year

        data = super().clean()
        if data.get("year"):
            data["start"], data["end"] = fiscal_year(data["year"])
        elif not (data.get("start") and data.get("end")):
            raise forms.ValidationError(_("Give a reporting year, or a first and a last day."))
        elif data["start"] > data["end"]:
            self.add_error("start", _("The first day must be on or before the last day."))
        if data.get("base_year"):
            data["base_start"], data["base_end"] = fiscal_year(data["base_year"])
        return data


class RestateForm(forms.Form):
    """The inventory page's restatement: its period's runs (as counted) re-evaluated under `version`."""

    start = forms.DateField()
    end = forms.DateField()
    project = forms.CharField(required=False, max_length=64)
    runs = forms.CharField(required=False, max_length=4000)
    version = forms.TypedChoiceField(label=_("Restate under methodology version"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = MethodologyOptions().version_choices

    clean_runs = InventoryForm.clean_runs
    _ids = staticmethod(InventoryForm._ids)
