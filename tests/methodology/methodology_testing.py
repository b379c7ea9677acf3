"""Helpers of the methodology tests: admin URLs, inline form prefixes, messages (the POST data of an admin
change page is tests/admin_testing.py's change_form_data)."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_DIR / "tests" / "fixtures" / "methodology-v1" / "config"  # version 1, frozen
SHIPPED_CONFIG_DIR = PROJECT_DIR / "config"
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
