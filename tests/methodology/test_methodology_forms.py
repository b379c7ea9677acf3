"""The admin's forms: aliases as text, optional parameters, and the engine rules they call."""

import pytest
from admin_testing import change_form_data
from methodology_testing import admin_url, inline_prefix

from calculations.engine.config import ConfigError, param_issues, parameter_set_from_docs
from methodology.forms import AliasListField, parameter_names
from methodology.models import ModelProfile, Region


def test_aliases_text_is_split_on_commas_and_lines_and_trimmed():
    assert AliasListField(required=False).clean(" gpt-4.1 ,ChatWithMe\n\n gpt-4o ,") == ["gpt-4.1", "ChatWithMe", "gpt-4o"]


def test_aliases_are_shown_one_per_line():
    assert AliasListField().prepare_value(["gpt-4.1", "ChatWithMe"]) == "gpt-4.1\nChatWithMe"


def test_the_admin_edits_every_parameter_column_of_a_row():
    assert parameter_names(Region) == ("pue", "carbon_intensity", "wue", "water_intensity", "carbon_intensity_market")
    assert parameter_names(ModelProfile)[:6] == (
        "gpu_count", "gpu_power_w", "host_power_w", "prefill_tokens_per_s", "decode_tokens_per_s", "efficiency",
    )


def test_param_issues_names_the_bound_at_fault():
    assert [(issue.path, issue.reason) for issue in param_issues("efficiency", 0.5, 0.3, 1.2)] == [
        ("efficiency.high", "efficiency must be <= 1, got 1.2")
    ]


def test_param_issues_accepts_a_valid_range():
    assert param_issues("pue", 1.2, 1.09, 1.56) == []


def test_a_list_as_default_region_is_refused_instead_of_crashing(default_parameters):
    from calculations.engine.config import parameter_set_to_docs

    regions_doc, models_doc = parameter_set_to_docs(default_parameters)
    regions_doc["default_region"] = ["france"]
    with pytest.raises(ConfigError, match="default_region: must name one of the regions"):
        parameter_set_from_docs(regions_doc, models_doc)


def test_an_optional_parameter_can_be_left_empty_in_the_admin(editor_client, draft):
    page = editor_client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    prefix = inline_prefix(page, "region", "france")
    for bound in ("value", "low", "high"):
        data[f"{prefix}-wue_{bound}"] = ""
    assert editor_client.post(admin_url("change", draft.pk), data).status_code == 302
    assert Region.objects.get(version=draft, code="france").wue_value is None


def test_an_optional_parameter_given_in_part_is_refused_in_the_admin(editor_client, draft):
    page = editor_client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    data[f"{inline_prefix(page, 'region', 'france')}-wue_low"] = ""
    response = editor_client.post(admin_url("change", draft.pk), data)
    assert response.status_code == 200
    assert "Give value, low and high" in response.content.decode()
