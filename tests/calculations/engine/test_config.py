"""Config loader: methodology.md section 4 validation, file + key path + reason."""

import copy

import pytest
import yaml

from calculations.engine.config import (
    ConfigError,
    load_config_dir,
    parameter_set_from_docs,
    parameter_set_to_docs,
    write_config_dir,
)
from calculations.engine.parameters import Param
from tests.conftest import CONFIG_DIR


@pytest.fixture(scope="module")
def docs():
    return (
        yaml.safe_load((CONFIG_DIR / "config.yaml").read_text()),
        yaml.safe_load((CONFIG_DIR / "config_model.yaml").read_text()),
    )


def _issues(regions_doc, models_doc):
    with pytest.raises(ConfigError) as refused:
        parameter_set_from_docs(regions_doc, models_doc)
    return [(i.file, i.path, i.reason) for i in refused.value.issues]


def test_default_config_loads_with_the_spec_hypotheses(default_parameters):
    assert default_parameters.default_region == "france"
    assert set(default_parameters.regions) == {"france", "germany", "ireland", "sweden", "usa", "world"}
    assert default_parameters.regions["france"].carbon_intensity == Param(44, 21.7, 56)
    large = default_parameters.models["llm-large-4xh100"]
    assert (large.gpu_count.value, large.gpu_power_w, large.efficiency) == (4, Param(500, 300, 700), Param(0.5, 0.3, 0.8))
    assert default_parameters.profiles["summary"].input_tokens == Param(6000, 2000, 12000)
    assert default_parameters.version is None


def test_a_plain_number_means_value_low_and_high_equal(default_parameters):
    assert default_parameters.models["llm-small-1xh100"].gpu_count == Param(1, 1, 1)


def test_missing_low_or_high_defaults_to_value(docs):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["france"]["pue"] = {"value": 1.3, "high": 1.5}
    assert parameter_set_from_docs(regions, models).regions["france"].pue == Param(1.3, 1.3, 1.5)


@pytest.mark.parametrize(
    ("number", "reason_part"),
    [(0, "> 0"), (-1.2, "> 0"), (float("nan"), "finite"), (float("inf"), "finite"), ("1.2", "must be a number"),
     (True, "must be a number")],
)
def test_a_number_must_be_finite_and_positive(docs, number, reason_part):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["france"]["pue"] = number
    [(file, path, reason)] = _issues(regions, models)
    assert (file, path) == ("config.yaml", "regions.france.pue")
    assert reason_part in reason


def test_efficiency_above_one_is_refused(docs):
    regions, models = copy.deepcopy(docs)
    models["models"]["llm-small-1xh100"]["efficiency"] = {"value": 0.5, "low": 0.3, "high": 1.2}
    [(_, path, reason)] = _issues(regions, models)
    assert path == "models.llm-small-1xh100.efficiency.high" and "<= 1" in reason


def test_gpu_count_must_be_a_whole_number(docs):
    regions, models = copy.deepcopy(docs)
    models["models"]["llm-small-1xh100"]["gpu_count"] = 1.5
    [(_, path, reason)] = _issues(regions, models)
    assert path == "models.llm-small-1xh100.gpu_count" and "integer" in reason


def test_low_above_value_is_refused(docs):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["germany"]["carbon_intensity"] = {"value": 344, "low": 400, "high": 500}
    [(_, path, reason)] = _issues(regions, models)
    assert path == "regions.germany.carbon_intensity" and "low <= value <= high" in reason


def test_a_profile_must_name_an_existing_model(docs):
    regions, models = copy.deepcopy(docs)
    models["profiles"]["chatbot"]["model"] = "llm-missing"
    [(file, path, reason)] = _issues(regions, models)
    assert (file, path) == ("config_model.yaml", "profiles.chatbot.model") and "llm-missing" in reason


def test_default_region_must_exist(docs):
    regions, models = copy.deepcopy(docs)
    regions["default_region"] = "mars"
    [(_, path, _reason)] = _issues(regions, models)
    assert path == "default_region"


def test_codes_must_be_slugs(docs):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["Not A Slug"] = regions["regions"]["france"]
    [(_, path, reason)] = _issues(regions, models)
    assert path == "regions.Not A Slug" and "slug" in reason


def test_every_entry_needs_a_source(docs):
    regions, models = copy.deepcopy(docs)
    del models["profiles"]["summary"]["source"]
    [(_, path, reason)] = _issues(regions, models)
    assert path == "profiles.summary.source" and reason == "is required"


def test_unknown_keys_are_refused_so_typos_do_not_pass_silently(docs):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["france"]["pue_"] = 1.2
    [(_, path, reason)] = _issues(regions, models)
    assert path == "regions.france" and "pue_" in reason


def test_an_alias_belongs_to_one_profile_only(docs):
    regions, models = copy.deepcopy(docs)
    models["profiles"]["chatbot"]["aliases"] = ["gpt-4.1"]
    models["profiles"]["summary"]["aliases"] = ["gpt-4.1"]
    [(_, path, reason)] = _issues(regions, models)
    assert path == "profiles.summary.aliases[0]" and "already belongs to profile 'chatbot'" in reason


def test_an_alias_cannot_be_another_profiles_code(docs):
    regions, models = copy.deepcopy(docs)
    models["profiles"]["chatbot"]["aliases"] = ["summary"]
    [(_, path, reason)] = _issues(regions, models)
    assert path == "profiles.chatbot.aliases[0]" and "code of another profile" in reason


def test_every_problem_is_reported_at_once(docs):
    regions, models = copy.deepcopy(docs)
    regions["regions"]["france"]["pue"] = -1
    models["models"]["llm-small-1xh100"]["efficiency"] = 2
    assert len(_issues(regions, models)) == 2


def test_a_missing_file_is_reported_with_its_path(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_config_dir(tmp_path)
    assert refused.value.issues[0].file.endswith("config.yaml")
    assert refused.value.issues[0].reason == "file not found"


def test_invalid_yaml_is_reported_with_line_and_column(tmp_path):
    (tmp_path / "config.yaml").write_text("regions: [unclosed\n")
    (tmp_path / "config_model.yaml").write_text("models: {}\n")
    with pytest.raises(ConfigError) as refused:
        load_config_dir(tmp_path)
    assert refused.value.issues[0].path.startswith("line ")


def test_written_config_reloads_to_the_same_hash(default_parameters, tmp_path):
    write_config_dir(default_parameters, tmp_path)
    assert load_config_dir(tmp_path).sha256 == default_parameters.sha256


def test_docs_round_trip_keeps_aliases(docs):
    regions, models = copy.deepcopy(docs)
    models["profiles"]["chatbot"]["aliases"] = ["ChatWithMe", "gpt-4.1"]
    parameters = parameter_set_from_docs(regions, models)
    again = parameter_set_from_docs(*parameter_set_to_docs(parameters))
    assert again.profiles["chatbot"].aliases == ("ChatWithMe", "gpt-4.1")
    assert again.sha256 == parameters.sha256


def test_section_6_parameters_come_in_pairs(docs):
    regions, models = copy.deepcopy(docs)
    del regions["regions"]["france"]["water_intensity"]
    [(_, path, reason)] = _issues(regions, models)
    assert path == "regions.france.water_intensity" and "required with wue" in reason


def test_section_6_parameters_are_optional(docs):
    regions, models = copy.deepcopy(docs)
    for region in regions["regions"].values():
        region.pop("wue"), region.pop("water_intensity")
    assert parameter_set_from_docs(regions, models).regions["france"].wue is None
