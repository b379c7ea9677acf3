"""Admin forms for a draft methodology version and its rows.

The rules are the engine's (calculations.engine.config): the forms call them and
put each message next to the field at fault, so an editor sees what publishing
would refuse before publishing.
"""

from __future__ import annotations

import re

from django import forms
from django.forms.models import BaseInlineFormSet

from calculations.engine.catalogue import BOUNDS, names
from calculations.engine.config import SLUG_RE, alias_issue, param_issues

from .models import MethodologyVersion

SLUG_MESSAGE = "A code must be a slug: lower-case letters, digits, '-' and '_', starting with a letter or digit."


def parameter_names(row_model) -> tuple[str, ...]:
    """The hypotheses a row model holds (one column per bound), in the parameter catalogue's order:
    a hypothesis added to the catalogue (and its migration) appears in the admin without touching it."""
    return names(row_model.hypothesis_section)


def _field_for_issue(name: str, path: str) -> str:
    """`pue.low` -> `pue_low`; `pue` (the low <= value <= high rule) -> `pue_value`."""
    bound = path.rpartition(".")[2] if "." in path else "value"
    return f"{name}_{bound}"


class ParameterInput(forms.NumberInput):
    """A number as its source wrote it: `600`, not `600.0`."""

    def format_value(self, value):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return super().format_value(value)


class AliasListField(forms.CharField):
    """A list of aliases edited as text: one per line, or separated by commas."""

    widget = forms.Textarea(attrs={"rows": 2, "cols": 30})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [alias.strip() for alias in re.split(r"[,\n]", text or "") if alias.strip()]


class VersionRowForm(forms.ModelForm):
    """Code and numbers of one region, model profile or usage profile of a draft."""

    # The engine's slug rule only (Django's slug also allows upper case and a leading '-').
    code = forms.CharField(max_length=64, help_text="Lower-case slug: [a-z0-9][a-z0-9_-]*")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not SLUG_RE.match(code):
            raise forms.ValidationError(SLUG_MESSAGE)
        return code

    def clean(self):
        cleaned = super().clean()
        for name in parameter_names(self._meta.model):
            fields = [f"{name}_{bound}" for bound in BOUNDS]
            if any(field in self.errors for field in fields):
                continue  # already reported (missing, not a number)
            numbers = [cleaned.get(field) for field in fields]
            if all(number is None for number in numbers):
                continue  # an optional parameter left out: required ones were reported above
            if any(number is None for number in numbers):
                self.add_error(fields[0], "Give value, low and high (equal when there is no range), or none of them.")
                continue
            for issue in param_issues(name, *numbers):
                self.add_error(_field_for_issue(name, issue.path), issue.reason)
        return cleaned


class UsageProfileForm(VersionRowForm):
    aliases = AliasListField(
        required=False,
        help_text="Names in real exports that mean this profile, one per line or separated by commas.",
    )

    def __init__(self, *args, model_codes: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if "model" not in self.fields:
            return  # read-only (a published version)
        # A select of this draft's model profiles, keeping a stored value that no longer
        # exists so the editor sees it (publishing would refuse it).
        codes = list(model_codes or [])
        current = self.initial.get("model")
        if current and current not in codes:
            codes.append(current)
        self.fields["model"] = forms.ChoiceField(
            label=self.fields["model"].label,
            choices=[("", "---------")] + [(code, code) for code in codes],
            help_text="One of this draft's model profiles (save a new model profile first to choose it).",
        )


class UsageProfileFormSet(BaseInlineFormSet):
    """The usage profiles of one draft: an alias belongs to one profile only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_codes = list(self.instance.modelprofiles.values_list("code", flat=True)) if self.instance.pk else []

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "model_codes": self.model_codes}

    def clean(self):
        super().clean()
        live = [
            form for form in self.forms
            if "code" in getattr(form, "cleaned_data", {}) and not self._should_delete_form(form)
        ]
        codes = {form.cleaned_data["code"] for form in live}
        owners: dict[str, str] = {}
        for form in live:
            code = form.cleaned_data["code"]
            for alias in form.cleaned_data.get("aliases") or []:
                reason = alias_issue(alias, code, owners, codes)
                if reason:
                    form.add_error("aliases", reason)
                owners[alias] = code


class MethodologyVersionForm(forms.ModelForm):
    class Meta:
        model = MethodologyVersion
        fields = ["label", "label_fr", "changelog", "default_region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "default_region" not in self.fields:
            return  # read-only (a published version)
        codes = list(self.instance.regions.values_list("code", flat=True)) if self.instance.pk else []
        current = self.initial.get("default_region")
        if current and current not in codes:
            codes.append(current)
        self.fields["default_region"] = forms.ChoiceField(
            label="Default region",
            choices=[(code, code) for code in codes],
            help_text="The region used when a run names none (one of this draft's regions).",
        )
