"""Helpers of the methodology tests: admin URLs, the POST data of an admin change page, messages."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.forms import CheckboxInput
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_DIR / "config"
EXAMPLES_DIR = PROJECT_DIR / "examples"
EDITORS_GROUP = "Methodology editors"
PASSWORD = "correct-horse-battery-5001"


def admin_url(name: str, *args) -> str:
    """`changelist`, `change`, `diff`, `publish`, `new_draft`, ... of the versions admin."""
    return reverse(f"admin:methodology_methodologyversion_{name}", args=args)


def command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def change_form_data(response) -> dict[str, str]:
    """The POST data a browser would send back unchanged from an admin change page.

    Read from the page's forms (version form, management forms, every inline form), so
    a test edits one value and posts the rest as they are.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def inline_prefix(response, model_name: str, code: str) -> str:
    """The form prefix (e.g. `regions-0`) of the inline row with `code`."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            for form in inline.formset.forms:
                if form.instance.code == code:
                    return form.prefix
    raise LookupError(f"no {model_name} {code!r} on the page")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
