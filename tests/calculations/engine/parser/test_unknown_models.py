"""The unknown_models option (issue 16 item 2): models no alias matches go to the usage profile `generic`
when asked, and are refused otherwise."""

from __future__ import annotations

import json

from calculations.engine.analytics import ProfileMapping

OPENAI_PAGE = {"object": "page", "has_more": False, "data": [
    {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [
        {"model": "o3-2025-04-16", "num_model_requests": 2, "input_tokens": 100, "output_tokens": 50},
        {"model": "gpt-4.1-2025-04-14", "num_model_requests": 3, "input_tokens": 300, "output_tokens": 60},
        {"model": "mystery-model", "num_model_requests": 1, "input_tokens": 10, "output_tokens": 5}]}]}
ANTHROPIC_PAGE = {"has_more": False, "data": [
    {"starting_at": "2025-01-01T00:00:00Z", "ending_at": "2025-01-02T00:00:00Z", "results": [
        {"model": "claude-opus-4-20250514", "uncached_input_tokens": 100, "output_tokens": 20}]}]}


def test_unknown_models_go_to_the_generic_profile_and_are_named(parse, generic_parameters):
    analytics = parse(json.dumps(OPENAI_PAGE), parameters=generic_parameters, unknown_models="generic")
    assert [(c.profile, c.inferences, c.input_tokens) for c in analytics.cells] == [("chatbot", 3, 300),
                                                                                 ("generic", 3, 110)]
    assert analytics.generic_models == ["mystery-model", "o3-2025-04-16"]
    assert ProfileMapping("generic", "unknown_models_option", "generic", 2) in analytics.mappings


def test_unknown_anthropic_models_go_to_the_generic_profile_too(parse, generic_parameters):
    analytics = parse(json.dumps(ANTHROPIC_PAGE), parameters=generic_parameters, unknown_models="generic")
    assert analytics.generic_models == ["claude-opus-4-20250514"]
    assert [c.profile for c in analytics.cells] == ["generic"]


def test_known_models_leave_no_generic_model(parse, generic_parameters):
    page = {**OPENAI_PAGE, "data": [{**OPENAI_PAGE["data"][0], "results": OPENAI_PAGE["data"][0]["results"][1:2]}]}
    assert parse(json.dumps(page), parameters=generic_parameters, unknown_models="generic").generic_models == []


def test_without_the_option_an_unknown_model_is_refused_saying_the_option_exists(refuse, generic_parameters):
    error = refuse(json.dumps(OPENAI_PAGE), parameters=generic_parameters)
    assert error.code == "unmappable_profile"
    assert "unknown_models=generic" in error.issues[0].message and "chatbot (aliases:" in error.issues[0].message


def test_the_option_is_refused_when_the_version_has_no_generic_profile(refuse, anthropic_parameters):
    error = refuse(json.dumps(OPENAI_PAGE), parameters=anthropic_parameters, unknown_models="generic")
    assert error.code == "generic_profile_missing"
    assert "does not have" in error.issues[0].message


def test_another_value_of_the_option_is_refused(refuse, generic_parameters):
    assert refuse(json.dumps(OPENAI_PAGE), parameters=generic_parameters, unknown_models="chatbot").code == \
        "invalid_option"
