"""Each refusal of the methodology files, whole: the file, the key path and the reason the methodology
editor reads (methodology.md section 4), one changed key at a time from version 1's documents."""

import pytest

from tests.calculations.engine.config_testing import MODELS, NOT_A_MAPPING, NOT_A_SLUG, REGIONS, REMOVED, changed, issues_of

# (document, key path, new value or REMOVED) -> every issue, as the methodology editor reads it.
REFUSALS = {
    "range with an unknown key": (
        REGIONS, ["regions", "france", "pue"], {"value": 1.2, "mid": 1.0},
        [(REGIONS, "regions.france.pue", "unknown keys ['mid']; a range is {value, low, high}")]),
    "range without value": (
        REGIONS, ["regions", "france", "pue"], {"low": 1.1},
        [(REGIONS, "regions.france.pue", "a range needs a 'value'")]),
    "range of text: low and high default to it": (
        REGIONS, ["regions", "france", "pue"], {"value": "x"},
        [(REGIONS, "regions.france.pue.value", "must be a number, got 'x'"),
         (REGIONS, "regions.france.pue.low", "must be a number, got 'x'"),
         (REGIONS, "regions.france.pue.high", "must be a number, got 'x'")]),
    "text": (REGIONS, ["regions", "france", "pue"], "1.2",
             [(REGIONS, "regions.france.pue", "must be a number, got '1.2'")]),
    "negative": (REGIONS, ["regions", "france", "pue"], -1,
                 [(REGIONS, "regions.france.pue", "must be finite and > 0, got -1")]),
    "infinite": (REGIONS, ["regions", "france", "pue"], float("inf"),
                 [(REGIONS, "regions.france.pue", "must be finite and > 0, got inf")]),
    "negative high end": (REGIONS, ["regions", "france", "pue"], {"value": 1.2, "low": 1.1, "high": -2},
                          [(REGIONS, "regions.france.pue.high", "must be finite and > 0, got -2")]),
    "efficiency above 1": (MODELS, ["models", "llm-small-1xh100", "efficiency"], 1.2,
                           [(MODELS, "models.llm-small-1xh100.efficiency", "efficiency must be <= 1, got 1.2")]),
    "gpu count not whole": (MODELS, ["models", "llm-small-1xh100", "gpu_count"], 1.5,
                            [(MODELS, "models.llm-small-1xh100.gpu_count", "gpu_count must be an integer >= 1, got 1.5")]),
    "low above value": (
        REGIONS, ["regions", "germany", "carbon_intensity"], {"value": 344, "low": 400, "high": 500},
        [(REGIONS, "regions.germany.carbon_intensity", "needs low <= value <= high, got low=400 value=344 high=500")]),
    "high below value": (
        REGIONS, ["regions", "germany", "carbon_intensity"], {"value": 344, "low": 300, "high": 340},
        [(REGIONS, "regions.germany.carbon_intensity", "needs low <= value <= high, got low=300 value=344 high=340")]),
    "regions as a list": (REGIONS, ["regions"], [],
                          [(REGIONS, "regions", NOT_A_MAPPING),
                           (REGIONS, "default_region", "must name one of the regions, got 'france'")]),
    "regions as text": (REGIONS, ["regions"], "france",
                        [(REGIONS, "regions", NOT_A_MAPPING),
                         (REGIONS, "default_region", "must name one of the regions, got 'france'")]),
    "regions empty": (REGIONS, ["regions"], {},
                      [(REGIONS, "regions", NOT_A_MAPPING),
                       (REGIONS, "default_region", "must name one of the regions, got 'france'")]),
    "an invalid market-based factor": (
        REGIONS, ["regions", "france", "carbon_intensity_market"], -1,
        [(REGIONS, "regions.france.carbon_intensity_market", "must be finite and > 0, got -1")]),
    "a region without name": (REGIONS, ["regions", "france", "name"], REMOVED,
                              [(REGIONS, "regions.france.name", "is required")]),
    "a region's French name a number": (REGIONS, ["regions", "france", "name_fr"], 5,
                                        [(REGIONS, "regions.france.name_fr", "must be text, got 5")]),
    "a model without source": (MODELS, ["models", "llm-small-1xh100", "source"], REMOVED,
                               [(MODELS, "models.llm-small-1xh100.source", "is required")]),
    "a region with a procurement": (
        REGIONS, ["regions", "france", "procurement"], "cloud",
        [(REGIONS, "regions.france", "unknown keys ['procurement']; allowed: ['carbon_intensity', "
                                     "'carbon_intensity_market', 'name', 'name_fr', 'pue', 'source', "
                                     "'water_intensity', 'wue']")]),
    "a region's name a number": (REGIONS, ["regions", "france", "name"], 5,
                                 [(REGIONS, "regions.france.name", "must be text, got 5")]),
    "a profile's hypothesis invalid": (MODELS, ["profiles", "chatbot", "input_tokens"], -1,
                                       [(MODELS, "profiles.chatbot.input_tokens", "must be finite and > 0, got -1")]),
    "a profile without input tokens": (MODELS, ["profiles", "chatbot", "input_tokens"], REMOVED,
                                       [(MODELS, "profiles.chatbot.input_tokens", "is required")]),
    "a profile without source": (MODELS, ["profiles", "chatbot", "source"], REMOVED,
                                 [(MODELS, "profiles.chatbot.source", "is required")]),
    "a profile's French name a number": (MODELS, ["profiles", "chatbot", "name_fr"], 5,
                                         [(MODELS, "profiles.chatbot.name_fr", "must be text, got 5")]),
    "an equivalent's French name a number": (
        REGIONS, ["equivalents", "smartphone-charge", "name_fr"], 5,
        [(REGIONS, "equivalents.smartphone-charge.name_fr", "must be text, got 5")]),
    "an equivalent's French unit a number": (
        REGIONS, ["equivalents", "smartphone-charge", "unit_fr"], 5,
        [(REGIONS, "equivalents.smartphone-charge.unit_fr", "must be text, got 5")]),
    "an efficiency range above 1 and out of order: the rule only": (
        MODELS, ["models", "llm-small-1xh100", "efficiency"], {"value": 1.2, "low": 1.5, "high": 1.3},
        [(MODELS, "models.llm-small-1xh100.efficiency.value", "efficiency must be <= 1, got 1.2"),
         (MODELS, "models.llm-small-1xh100.efficiency.low", "efficiency must be <= 1, got 1.5"),
         (MODELS, "models.llm-small-1xh100.efficiency.high", "efficiency must be <= 1, got 1.3")]),
    "a gpu count range not whole and out of order: the rule only": (
        MODELS, ["models", "llm-small-1xh100", "gpu_count"], {"value": 1.5, "low": 2.5, "high": 2},
        [(MODELS, "models.llm-small-1xh100.gpu_count.value", "gpu_count must be an integer >= 1, got 1.5"),
         (MODELS, "models.llm-small-1xh100.gpu_count.low", "gpu_count must be an integer >= 1, got 2.5")]),
    "code not a slug": (REGIONS, ["regions", "Not A Slug"], {"name": "X"}, [(REGIONS, "regions.Not A Slug", NOT_A_SLUG)]),
    "code a number": (REGIONS, ["regions", 3], {"name": "X"}, [(REGIONS, "regions.3", NOT_A_SLUG)]),
    "entry as text": (REGIONS, ["regions", "france"], "text", [(REGIONS, "regions.france", "must be a mapping")]),
    "name a number": (MODELS, ["profiles", "chatbot", "name"], 5,
                      [(MODELS, "profiles.chatbot.name", "must be text, got 5")]),
    "name null": (MODELS, ["profiles", "chatbot", "name"], None, [(MODELS, "profiles.chatbot.name", "is required")]),
    "name blank": (MODELS, ["profiles", "chatbot", "name"], "  ", [(MODELS, "profiles.chatbot.name", "is required")]),
    "unknown key of a region": (
        REGIONS, ["regions", "france", "pue_"], 1.2,
        [(REGIONS, "regions.france", "unknown keys ['pue_']; allowed: ['carbon_intensity', 'carbon_intensity_market', "
                                     "'name', 'name_fr', 'pue', 'source', 'water_intensity', 'wue']")]),
    "unknown key of a model": (
        MODELS, ["models", "llm-small-1xh100", "gpus"], 1,
        [(MODELS, "models.llm-small-1xh100",
          "unknown keys ['gpus']; allowed: ['cached_input_fraction', 'decode_tokens_per_s', 'efficiency', "
          "'embodied_kgco2e', 'gpu_count', 'gpu_power_w', 'host_power_w', 'lifetime_years', 'name', 'name_fr', "
          "'prefill_tokens_per_s', 'procurement', 'source']")]),
    "unknown key of a profile": (
        MODELS, ["profiles", "chatbot", "alias"], ["x"],
        [(MODELS, "profiles.chatbot", "unknown keys ['alias']; allowed: ['aliases', 'input_tokens', 'model', 'name', "
                                      "'name_fr', 'output_tokens', 'source']")]),
    "hypothesis missing": (MODELS, ["models", "llm-small-1xh100", "gpu_power_w"], REMOVED,
                           [(MODELS, "models.llm-small-1xh100.gpu_power_w", "is required")]),
    "half a pair": (REGIONS, ["regions", "france", "water_intensity"], REMOVED,
                    [(REGIONS, "regions.france.water_intensity", "is required with wue")]),
    "a pair with an invalid member": (REGIONS, ["regions", "france", "wue"], -1,
                                      [(REGIONS, "regions.france.wue", "must be finite and > 0, got -1")]),
    "equivalents as a list": (REGIONS, ["equivalents"], [], [(REGIONS, "equivalents", NOT_A_MAPPING)]),
    "equivalent of an unknown metric": (
        REGIONS, ["equivalents", "smartphone-charge", "metric"], "joules",
        [(REGIONS, "equivalents.smartphone-charge.metric",
          "must be one of energy_kwh, carbon_gco2e, carbon_total_gco2e, water_l, got 'joules'")]),
    "equivalent without amount": (REGIONS, ["equivalents", "smartphone-charge", "amount"], REMOVED,
                                  [(REGIONS, "equivalents.smartphone-charge.amount", "is required")]),
    "equivalent of amount 0": (REGIONS, ["equivalents", "smartphone-charge", "amount"], 0,
                               [(REGIONS, "equivalents.smartphone-charge.amount", "must be finite and > 0, got 0")]),
    "equivalent without name": (REGIONS, ["equivalents", "smartphone-charge", "name"], REMOVED,
                                [(REGIONS, "equivalents.smartphone-charge.name", "is required")]),
    "equivalent without unit": (REGIONS, ["equivalents", "smartphone-charge", "unit"], REMOVED,
                                [(REGIONS, "equivalents.smartphone-charge.unit", "is required")]),
    "equivalent without source": (REGIONS, ["equivalents", "smartphone-charge", "source"], "",
                                  [(REGIONS, "equivalents.smartphone-charge.source", "is required")]),
    "equivalent with an unknown key": (
        REGIONS, ["equivalents", "smartphone-charge", "colour"], "red",
        [(REGIONS, "equivalents.smartphone-charge",
          "unknown keys ['colour']; allowed: ['amount', 'metric', 'name', 'name_fr', 'source', 'unit', 'unit_fr']")]),
    "unknown procurement": (
        MODELS, ["models", "llm-small-1xh100", "procurement"], "owned",
        [(MODELS, "models.llm-small-1xh100.procurement", "must be one of own_datacentre, cloud, api_service, got 'owned'")]),
    "default region a list": (REGIONS, ["default_region"], ["france"],
                              [(REGIONS, "default_region", "must name one of the regions, got ['france']")]),
    "default region unknown": (REGIONS, ["default_region"], "mars",
                               [(REGIONS, "default_region", "must name one of the regions, got 'mars'")]),
    "aliases as text": (MODELS, ["profiles", "chatbot", "aliases"], "gpt",
                        [(MODELS, "profiles.chatbot.aliases", "must be a list of non-empty strings")]),
    "a blank alias": (MODELS, ["profiles", "chatbot", "aliases"], ["ok", " "],
                      [(MODELS, "profiles.chatbot.aliases", "must be a list of non-empty strings")]),
    "an alias listed twice": (MODELS, ["profiles", "chatbot", "aliases"], ["a", "a"],
                              [(MODELS, "profiles.chatbot.aliases[1]", "alias 'a' is listed twice")]),
    "an alias that is another profile's code": (
        MODELS, ["profiles", "chatbot", "aliases"], ["summary"],
        [(MODELS, "profiles.chatbot.aliases[0]", "alias 'summary' is the code of another profile")]),
    "a profile's model unknown": (MODELS, ["profiles", "chatbot", "model"], "llm-missing",
                                  [(MODELS, "profiles.chatbot.model", "must name one of the models, got 'llm-missing'")]),
    "a profile without model": (MODELS, ["profiles", "chatbot", "model"], REMOVED,
                                [(MODELS, "profiles.chatbot.model", "must name one of the models, got None")]),
    "unknown top-level key of config.yaml": (
        REGIONS, ["extra"], 1,
        [(REGIONS, "(top)", "unknown keys ['extra']; allowed: ['default_region', 'equivalents', 'regions']")]),
    "unknown top-level key of config_model.yaml": (
        MODELS, ["extra"], 1, [(MODELS, "(top)", "unknown keys ['extra']; allowed: ['models', 'profiles']")]),
    "no profiles": (MODELS, ["profiles"], REMOVED, [(MODELS, "profiles", NOT_A_MAPPING)]),
}


@pytest.mark.parametrize(("file", "path", "value", "issues"), REFUSALS.values(), ids=REFUSALS.keys())
def test_each_refusal_names_its_file_key_path_and_reason(config_docs, file, path, value, issues):
    assert issues_of(*changed(config_docs, file, path, value)) == issues
