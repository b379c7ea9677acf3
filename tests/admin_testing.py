"""Helpers of the tests that post Django admin forms (tests/methodology, tests/hardening).

This folder is on sys.path (pytest's default import mode puts the root conftest's folder there), so test
modules import it as `admin_testing`.
"""

from __future__ import annotations

from django.forms import CheckboxInput


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
