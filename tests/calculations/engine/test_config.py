"""Config loader: methodology.md section 4 validation, file + key path + reason."""

import copy

import pytest
import yaml

from calculations.engine.config import (
    ConfigIssue,
    param_issues,
    ConfigError,
    load_config_dir,
    parameter_set_from_docs,
    parameter_set_to_docs,
    write_config_dir,
)
from calculations.engine.parameters import Param
from tests.conftest import CONFIG_DIR

from tests.calculations.engine.config_testing import MODELS, NOT_A_MAPPING, NOT_A_SLUG, REGIONS, REMOVED, changed, issues_of


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


def test_missing_low_or_high_defaults_to_value(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["france"]["pue"] = {"value": 1.3, "high": 1.5}
    assert parameter_set_from_docs(regions, models).regions["france"].pue == Param(1.3, 1.3, 1.5)


@pytest.mark.parametrize(
    ("number", "reason_part"),
    [(0, "> 0"), (-1.2, "> 0"), (float("nan"), "finite"), (float("inf"), "finite"), ("1.2", "must be a number"),
     (True, "must be a number")],
)
def test_a_number_must_be_finite_and_positive(config_docs, number, reason_part):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["france"]["pue"] = number
    [(file, path, reason)] = issues_of(regions, models)
    assert (file, path) == ("config.yaml", "regions.france.pue")
    assert reason_part in reason


def test_efficiency_above_one_is_refused(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["models"]["llm-small-1xh100"]["efficiency"] = {"value": 0.5, "low": 0.3, "high": 1.2}
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "models.llm-small-1xh100.efficiency.high" and "<= 1" in reason


def test_gpu_count_must_be_a_whole_number(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["models"]["llm-small-1xh100"]["gpu_count"] = 1.5
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "models.llm-small-1xh100.gpu_count" and "integer" in reason


def test_low_above_value_is_refused(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["germany"]["carbon_intensity"] = {"value": 344, "low": 400, "high": 500}
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "regions.germany.carbon_intensity" and "low <= value <= high" in reason


def test_a_profile_must_name_an_existing_model(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["profiles"]["chatbot"]["model"] = "llm-missing"
    [(file, path, reason)] = issues_of(regions, models)
    assert (file, path) == ("config_model.yaml", "profiles.chatbot.model") and "llm-missing" in reason


def test_default_region_must_exist(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["default_region"] = "mars"
    [(_, path, _reason)] = issues_of(regions, models)
    assert path == "default_region"


def test_codes_must_be_slugs(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["Not A Slug"] = regions["regions"]["france"]
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "regions.Not A Slug" and "slug" in reason


def test_every_entry_needs_a_source(config_docs):
    regions, models = copy.deepcopy(config_docs)
    del models["profiles"]["summary"]["source"]
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "profiles.summary.source" and reason == "is required"


def test_unknown_keys_are_refused_so_typos_do_not_pass_silently(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["france"]["pue_"] = 1.2
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "regions.france" and "pue_" in reason


def test_an_alias_belongs_to_one_profile_only(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["profiles"]["chatbot"]["aliases"] = ["gpt-4.1"]
    models["profiles"]["summary"]["aliases"] = ["gpt-4.1"]
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "profiles.summary.aliases[0]" and "already belongs to profile 'chatbot'" in reason


def test_an_alias_cannot_be_another_profiles_code(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["profiles"]["chatbot"]["aliases"] = ["summary"]
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "profiles.chatbot.aliases[0]" and "code of another profile" in reason


def test_every_problem_is_reported_at_once(config_docs):
    regions, models = copy.deepcopy(config_docs)
    regions["regions"]["france"]["pue"] = -1
    models["models"]["llm-small-1xh100"]["efficiency"] = 2
    assert len(issues_of(regions, models)) == 2


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


def test_docs_round_trip_keeps_aliases(config_docs):
    regions, models = copy.deepcopy(config_docs)
    models["profiles"]["chatbot"]["aliases"] = ["ChatWithMe", "gpt-4.1"]
    parameters = parameter_set_from_docs(regions, models)
    again = parameter_set_from_docs(*parameter_set_to_docs(parameters))
    assert again.profiles["chatbot"].aliases == ("ChatWithMe", "gpt-4.1")
    assert again.sha256 == parameters.sha256


def test_section_6_parameters_come_in_pairs(config_docs):
    regions, models = copy.deepcopy(config_docs)
    del regions["regions"]["france"]["water_intensity"]
    [(_, path, reason)] = issues_of(regions, models)
    assert path == "regions.france.water_intensity" and "required with wue" in reason


def test_section_6_parameters_are_optional(config_docs):
    regions, models = copy.deepcopy(config_docs)
    for region in regions["regions"].values():
        region.pop("wue"), region.pop("water_intensity")
    assert parameter_set_from_docs(regions, models).regions["france"].wue is None


def test_an_alias_equal_to_its_own_profile_code_is_accepted(config_docs):
    regions, models = changed(config_docs, MODELS, ["profiles", "chatbot", "aliases"], ["chatbot", "ChatWithMe"])
    assert parameter_set_from_docs(regions, models).profiles["chatbot"].aliases == ("ChatWithMe", "chatbot")


def test_aliases_are_kept_sorted_whatever_their_order_in_the_file(config_docs):
    regions, models = changed(config_docs, MODELS, ["profiles", "chatbot", "aliases"], ["b-alias", "a-alias"])
    assert parameter_set_from_docs(regions, models).profiles["chatbot"].aliases == ("a-alias", "b-alias")


def test_an_entry_without_french_name_or_with_a_null_one_reads_as_empty(config_docs):
    regions, models = changed(config_docs, REGIONS, ["regions", "france", "name_fr"], None)
    del models["profiles"]["chatbot"]["name_fr"]
    parameters = parameter_set_from_docs(regions, models)
    assert (parameters.regions["france"].name_fr, parameters.profiles["chatbot"].name_fr) == ("", "")


def test_entries_keep_their_names_sources_and_french_names(config_docs):
    parameters = parameter_set_from_docs(*config_docs)
    france, chatbot = parameters.regions["france"], parameters.profiles["chatbot"]
    charge, small = parameters.equivalents["smartphone-charge"], parameters.models["llm-small-1xh100"]
    regions, models = config_docs
    assert (france.name, france.name_fr, france.source) == tuple(regions["regions"]["france"][k]
                                                                  for k in ("name", "name_fr", "source"))
    assert (chatbot.name, chatbot.name_fr, chatbot.source, chatbot.model) == tuple(
        models["profiles"]["chatbot"][k] for k in ("name", "name_fr", "source", "model"))
    assert (small.name, small.name_fr, small.source) == tuple(models["models"]["llm-small-1xh100"][k]
                                                               for k in ("name", "name_fr", "source"))
    assert (charge.code, chatbot.code, france.code, small.code) == (
        "smartphone-charge", "chatbot", "france", "llm-small-1xh100")
    assert (charge.name, charge.name_fr, charge.unit, charge.unit_fr, charge.metric, charge.source, charge.amount) == (
        "Full smartphone charge", "Recharge complète d’un smartphone", "charges", "recharges", "energy_kwh",
        regions["equivalents"]["smartphone-charge"]["source"], Param(0.015, 0.012, 0.019))


def test_a_declared_procurement_is_read_and_an_absent_one_is_empty(config_docs):
    regions, models = changed(config_docs, MODELS, ["models", "llm-small-1xh100", "procurement"], "cloud")
    parameters = parameter_set_from_docs(regions, models)
    assert (parameters.models["llm-small-1xh100"].procurement, parameters.models["llm-large-4xh100"].procurement) == (
        "cloud", "")


def test_a_version_without_equivalents_has_none(config_docs):
    regions, models = changed(config_docs, REGIONS, ["equivalents"], None)
    assert parameter_set_from_docs(regions, models).equivalents == {}


def test_documents_that_are_not_mappings_are_refused_naming_the_given_file_names():
    with pytest.raises(ConfigError) as refused:
        parameter_set_from_docs([], None, regions_file="r.yaml", models_file="m.yaml")
    assert [(i.file, i.path, i.reason) for i in refused.value.issues] == [
        ("r.yaml", "(top)", "must be a mapping with default_region and regions"),
        ("m.yaml", "(top)", "must be a mapping with models and profiles"),
        ("r.yaml", "regions", NOT_A_MAPPING),
        ("r.yaml", "default_region", "must name one of the regions, got None"),
        ("m.yaml", "models", NOT_A_MAPPING),
        ("m.yaml", "profiles", NOT_A_MAPPING),
    ]


def test_the_error_reads_one_issue_a_line_as_file_path_reason(config_docs):
    regions, models = changed(config_docs, REGIONS, ["default_region"], "mars")
    models["profiles"]["chatbot"]["name"] = 5
    with pytest.raises(ConfigError) as refused:
        parameter_set_from_docs(regions, models)
    assert str(refused.value) == ("config.yaml: default_region: must name one of the regions, got 'mars'\n"
                                  "config_model.yaml: profiles.chatbot.name: must be text, got 5")


def test_the_version_number_given_is_the_parameter_set_s(config_docs):
    assert parameter_set_from_docs(*config_docs, version=4).version == 4


def test_a_parameter_checked_alone_is_named_by_its_key_path():
    assert param_issues("efficiency", 0.5, 0.3, 1.2) == [
        ConfigIssue("", "efficiency.high", "efficiency must be <= 1, got 1.2")]


def test_a_parameter_checked_alone_takes_the_caller_s_file_and_path():
    assert param_issues("pue", 1.2, 1.3, 1.4, file="f.yaml", path="regions.fr.pue") == [
        ConfigIssue("f.yaml", "regions.fr.pue", "needs low <= value <= high, got low=1.3 value=1.2 high=1.4")]


def test_a_valid_parameter_checked_alone_has_no_issue():
    assert param_issues("gpu_count", 2, 1, 4) == []


def _file_issues(directory):
    with pytest.raises(ConfigError) as refused:
        load_config_dir(directory)
    return [(i.file, i.path, i.reason) for i in refused.value.issues]


def test_a_missing_model_file_is_named_by_its_whole_path(tmp_path):
    (tmp_path / "config.yaml").write_text("default_region: x\n")
    assert _file_issues(tmp_path) == [(str(tmp_path / "config_model.yaml"), "(file)", "file not found")]


def test_a_file_that_is_not_utf_8_cannot_be_read(tmp_path):
    (tmp_path / "config.yaml").write_bytes(b"\xff")
    assert _file_issues(tmp_path) == [(str(tmp_path / "config.yaml"), "(file)",
                                       "cannot be read: 'utf-8' codec can't decode byte 0xff in position 0: "
                                       "invalid start byte")]


def test_a_directory_in_place_of_a_file_cannot_be_read(tmp_path):
    (tmp_path / "config.yaml").mkdir()
    [(file, path, reason)] = _file_issues(tmp_path)
    assert (file, path) == (str(tmp_path / "config.yaml"), "(file)")
    assert reason == f"cannot be read: [Errno 21] Is a directory: '{tmp_path / 'config.yaml'}'"


def test_invalid_yaml_is_reported_at_its_line_and_column_counted_from_one(tmp_path):
    (tmp_path / "config.yaml").write_text("default_region: france\nregions: [unclosed\n")
    assert _file_issues(tmp_path) == [(str(tmp_path / "config.yaml"), "line 3, column 1",
                                       "not valid YAML: did not find expected ',' or ']'")]


def test_a_yaml_error_without_position_is_reported_as_a_parse_error(tmp_path):
    (tmp_path / "config.yaml").write_text("a: \x07\n")
    [(file, path, reason)] = _file_issues(tmp_path)
    assert (file, path) == (str(tmp_path / "config.yaml"), "(parse)")
    assert reason.startswith("not valid YAML: unacceptable character #x0007")


SMALL_REGIONS = {
    "default_region": "fr",
    "regions": {"fr": {"name": "France", "name_fr": "France métropolitaine", "pue": {"value": 1.2, "low": 1.1, "high": 1.4},
                       "carbon_intensity": 44,
                       "source": "RTE éCO2mix, annual average of the hourly carbon intensity of the French grid, 2023 "
                                 "(a source longer than one hundred characters)"}},
    "equivalents": {"charge": {"name": "Charge", "metric": "energy_kwh", "unit": "charges", "unit_fr": "recharges",
                               "amount": 0.015, "source": "EPA"}},
}
SMALL_MODELS = {
    "models": {"m": {"name": "M", "gpu_count": 1, "gpu_power_w": 700, "host_power_w": 300, "prefill_tokens_per_s": 10000,
                     "decode_tokens_per_s": 50, "efficiency": 0.5, "procurement": "cloud", "source": "S"}},
    "profiles": {"chat": {"name": "Chat", "model": "m", "input_tokens": 500,
                          "output_tokens": {"value": 300, "low": 100, "high": 900}, "aliases": ["ChatWithMe"],
                          "source": "P"}},
}


def test_the_written_files_keep_the_documented_key_order_their_text_as_itself_and_lines_of_100(tmp_path):
    """Written twice into a folder that did not exist: the export a methodology editor downloads and reviews."""
    parameters = parameter_set_from_docs(SMALL_REGIONS, SMALL_MODELS)
    directory = tmp_path / "a" / "b"
    write_config_dir(parameters, directory)
    write_config_dir(parameters, directory)
    assert (directory / "config.yaml").read_text(encoding="utf-8") == (
        "default_region: fr\n"
        "regions:\n"
        "  fr:\n"
        "    name: France\n"
        "    name_fr: France métropolitaine\n"
        "    pue:\n"
        "      value: 1.2\n"
        "      low: 1.1\n"
        "      high: 1.4\n"
        "    carbon_intensity: 44\n"
        "    source: RTE éCO2mix, annual average of the hourly carbon intensity of the French grid, 2023 (a source\n"
        "      longer than one hundred characters)\n"
        "equivalents:\n"
        "  charge:\n"
        "    name: Charge\n"
        "    metric: energy_kwh\n"
        "    unit: charges\n"
        "    unit_fr: recharges\n"
        "    amount: 0.015\n"
        "    source: EPA\n"
    )
    assert (directory / "config_model.yaml").read_text(encoding="utf-8") == (
        "models:\n"
        "  m:\n"
        "    name: M\n"
        "    gpu_count: 1\n"
        "    gpu_power_w: 700\n"
        "    host_power_w: 300\n"
        "    prefill_tokens_per_s: 10000\n"
        "    decode_tokens_per_s: 50\n"
        "    efficiency: 0.5\n"
        "    procurement: cloud\n"
        "    source: S\n"
        "profiles:\n"
        "  chat:\n"
        "    name: Chat\n"
        "    model: m\n"
        "    input_tokens: 500\n"
        "    output_tokens:\n"
        "      value: 300\n"
        "      low: 100\n"
        "      high: 900\n"
        "    aliases:\n"
        "    - ChatWithMe\n"
        "    source: P\n"
    )


def test_files_written_and_read_again_give_the_same_documents(tmp_path):
    parameters = parameter_set_from_docs(SMALL_REGIONS, SMALL_MODELS)
    write_config_dir(parameters, tmp_path)
    assert parameter_set_to_docs(load_config_dir(tmp_path)) == (SMALL_REGIONS, SMALL_MODELS)


def test_every_bad_entry_of_a_section_is_reported_not_only_the_first(config_docs):
    regions, models = changed(config_docs, REGIONS, ["regions", "Not A Slug"], {"name": "X"})
    regions["regions"]["zz"] = "text"
    regions["regions"]["zzz"] = "text"
    assert issues_of(regions, models) == [(REGIONS, "regions.Not A Slug", NOT_A_SLUG),
                                        (REGIONS, "regions.zz", "must be a mapping"),
                                        (REGIONS, "regions.zzz", "must be a mapping")]


def test_every_missing_hypothesis_of_an_entry_is_reported(config_docs):
    regions, models = changed(config_docs, MODELS, ["models", "llm-small-1xh100", "gpu_power_w"], REMOVED)
    del models["models"]["llm-small-1xh100"]["host_power_w"]
    assert issues_of(regions, models) == [(MODELS, "models.llm-small-1xh100.gpu_power_w", "is required"),
                                        (MODELS, "models.llm-small-1xh100.host_power_w", "is required")]


def test_the_pairs_of_section_8_are_read(config_docs):
    regions, models = copy.deepcopy(config_docs)
    parameters = parameter_set_from_docs(regions, models)
    france, large = regions["regions"]["france"], models["models"]["llm-large-4xh100"]
    assert (parameters.regions["france"].wue, parameters.regions["france"].water_intensity) == (
        _param(france["wue"]), _param(france["water_intensity"]))
    assert (parameters.models["llm-large-4xh100"].embodied_kgco2e, parameters.models["llm-large-4xh100"].lifetime_years) == (
        _param(large["embodied_kgco2e"]), _param(large["lifetime_years"]))


def _param(raw) -> Param:
    if isinstance(raw, dict):
        return Param(raw["value"], raw.get("low", raw["value"]), raw.get("high", raw["value"]))
    return Param(raw, raw, raw)


def test_the_hypotheses_given_alone_are_read(config_docs):
    regions, models = changed(config_docs, REGIONS, ["regions", "france", "carbon_intensity_market"],
                               {"value": 30, "low": 20, "high": 40})
    models["models"]["llm-small-1xh100"]["cached_input_fraction"] = 0.1
    parameters = parameter_set_from_docs(regions, models)
    assert parameters.regions["france"].carbon_intensity_market == Param(30, 20, 40)
    assert parameters.models["llm-small-1xh100"].cached_input_fraction == Param(0.1, 0.1, 0.1)
    assert parameters.regions["germany"].carbon_intensity_market is None


def test_a_refusal_read_from_files_names_each_file_by_its_path(tmp_path, config_docs):
    regions, models = changed(config_docs, REGIONS, ["default_region"], "mars")
    models["profiles"]["chatbot"]["name"] = 5
    for name, doc in (("config.yaml", regions), ("config_model.yaml", models)):
        (tmp_path / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert _file_issues(tmp_path) == [
        (str(tmp_path / "config.yaml"), "default_region", "must name one of the regions, got 'mars'"),
        (str(tmp_path / "config_model.yaml"), "profiles.chatbot.name", "must be text, got 5")]


def test_an_equivalent_without_french_unit_is_exported_without_one():
    regions = copy.deepcopy(SMALL_REGIONS)
    del regions["equivalents"]["charge"]["unit_fr"]
    exported, _ = parameter_set_to_docs(parameter_set_from_docs(regions, SMALL_MODELS))
    assert exported["equivalents"]["charge"] == {"name": "Charge", "metric": "energy_kwh", "unit": "charges",
                                                 "amount": 0.015, "source": "EPA"}


def test_a_long_source_is_folded_at_column_100(tmp_path):
    regions = copy.deepcopy(SMALL_REGIONS)
    words = " ".join(f"word{i:02d}" for i in range(9))
    regions["regions"]["fr"]["source"] = f"{words} wo tail words here to fold again and again"
    write_config_dir(parameter_set_from_docs(regions, SMALL_MODELS), tmp_path)
    assert (f"    source: {words} wo tail words here to fold\n      again and again\n"
            in (tmp_path / "config.yaml").read_text(encoding="utf-8"))


def test_an_efficiency_of_exactly_1_is_accepted(config_docs):
    regions, models = changed(config_docs, MODELS, ["models", "llm-small-1xh100", "efficiency"], 1)
    assert parameter_set_from_docs(regions, models).models["llm-small-1xh100"].efficiency == Param(1, 1, 1)
