"""OpenAI completions usage read as it comes (analytics-format.md 5.2), in JSON or YAML."""

from __future__ import annotations

import json

import pytest
import yaml

from calculations.engine.analytics import ProfileMapping
from calculations.engine.parser.openai import match_model

DAY = 86400
JAN_1 = 1735689600  # 2025-01-01T00:00:00Z



def result(model: str | None = "gpt-4.1-2025-04-14", requests: int = 5, inputs: int = 1000, outputs: int = 500,
           cached: int | None = None, **grouping) -> dict:
    found = {"object": "organization.usage.completions.result", "input_tokens": inputs, "output_tokens": outputs,
             "input_cached_tokens": min(800, inputs) if cached is None else cached, "num_model_requests": requests, "project_id": None, "user_id": None,
             "api_key_id": None, "model": model, "batch": None, "service_tier": None}
    found.update(grouping)
    return found


def bucket(start: int, *results: dict, width: int = DAY) -> dict:
    return {"object": "bucket", "start_time": start, "end_time": start + width, "results": list(results)}


def page(*buckets: dict, has_more: bool = False) -> dict:
    return {"object": "page", "has_more": has_more, "next_page": "page_x" if has_more else None, "data": list(buckets)}


def first(error):
    return error.issues[0]


# --- OpenAI: reading ------------------------------------------------------------------------------


def test_openai_page_gives_explicit_token_counts(parse, aliased_parameters, rows):
    analytics = parse(json.dumps(page(bucket(JAN_1, result()))), parameters=aliased_parameters)
    assert analytics.format == "openai-usage"
    assert rows(analytics) == [("2025-01-01", "chatbot", 5, 1000, 500)]


def test_openai_dated_model_matches_the_alias_without_its_date(parse, aliased_parameters):
    analytics = parse(json.dumps(page(bucket(JAN_1, result("gpt-4.1-mini-2025-04-14")))), parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("completion", "alias", "gpt-4.1-mini", 1)]


def test_openai_model_equal_to_an_alias_matches_exactly(parse, aliased_parameters):
    analytics = parse(json.dumps(page(bucket(JAN_1, result("gpt-4.1")))), parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("chatbot", "alias", "gpt-4.1", 1)]


def test_openai_source_groups_count_distinct_models(parse, aliased_parameters, rows):
    text = json.dumps(page(bucket(JAN_1, result("gpt-4.1-2025-04-14"), result("gpt-4.1", requests=1, inputs=1,
                                                                               outputs=1))))
    analytics = parse(text, parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("chatbot", "alias", "gpt-4.1", 2)]
    assert rows(analytics) == [("2025-01-01", "chatbot", 6, 1001, 501)]


def test_openai_list_of_pages_is_read_as_one_report(parse, aliased_parameters, rows):
    text = json.dumps([page(bucket(JAN_1, result()), has_more=True), page(bucket(JAN_1 + DAY, result()))])
    assert [r[0] for r in rows(parse(text, parameters=aliased_parameters))] == ["2025-01-01", "2025-01-02"]


def test_openai_hourly_buckets_of_one_day_are_added(parse, aliased_parameters, rows):
    hours = [bucket(JAN_1 + hour * 3600, result(requests=1, inputs=10, outputs=2), width=3600) for hour in range(24)]
    hours.append(bucket(JAN_1 + DAY, result(requests=1, inputs=10, outputs=2), width=3600))
    assert rows(parse(json.dumps(page(*hours)), parameters=aliased_parameters)) == [
        ("2025-01-01", "chatbot", 24, 240, 48), ("2025-01-02", "chatbot", 1, 10, 2)]


def test_openai_bucket_counts_for_the_utc_day_of_its_start(parse, aliased_parameters, rows):
    late = JAN_1 - 3600  # 2024-12-31T23:00:00Z
    assert rows(parse(json.dumps(page(bucket(late, result(), width=3600))), parameters=aliased_parameters))[0][0] == \
        "2024-12-31"


def test_openai_results_differing_by_project_are_added(parse, aliased_parameters, rows):
    text = json.dumps(page(bucket(JAN_1, result(project_id="proj_a"), result(project_id="proj_b"))))
    analytics = parse(text, parameters=aliased_parameters)
    assert rows(analytics) == [("2025-01-01", "chatbot", 10, 2000, 1000)]
    assert "proj_" not in repr(analytics)


def test_openai_without_model_goes_to_the_profile_option(parse, rows):
    analytics = parse(json.dumps(page(bucket(JAN_1, result(None)))), profile="summary")
    assert rows(analytics) == [("2025-01-01", "summary", 5, 1000, 500)]
    assert analytics.mappings == [ProfileMapping("summary", "profile_option", "summary", 1)]


def test_openai_report_sent_as_yaml_is_read_the_same(parse, aliased_parameters, rows):
    report = [page(bucket(JAN_1, result(), result("gpt-4.1-mini", batch=True)))]
    as_yaml = yaml.safe_dump(report)
    assert rows(parse(as_yaml, parameters=aliased_parameters)) == rows(parse(json.dumps(report),
                                                                             parameters=aliased_parameters))


def test_openai_yaml_without_model_uses_the_profile_option(parse, rows):
    as_yaml = yaml.safe_dump(page(bucket(JAN_1, result(None))))
    assert "model: null" in as_yaml
    assert rows(parse(as_yaml, profile="chatbot"))[0][1] == "chatbot"


# --- OpenAI: refusals -----------------------------------------------------------------------------


def test_openai_without_model_nor_profile_option_is_refused(refuse):
    error = refuse(json.dumps(page(bucket(JAN_1, result(None)), bucket(JAN_1 + DAY, result(None)))))
    assert error.code == "profile_option_required" and len(error.issues) == 1
    assert first(error).path == "data[0].results[0].model" and "profile option" in first(error).message


def test_openai_unmapped_model_is_refused_once_naming_it(refuse, aliased_parameters):
    text = json.dumps(page(bucket(JAN_1, result("o3-2025-04-16")), bucket(JAN_1 + DAY, result("o3-2025-04-16"))))
    error = refuse(text, parameters=aliased_parameters)
    assert error.code == "unmappable_profile" and len(error.issues) == 1
    assert "model 'o3-2025-04-16'" in first(error).message and "chatbot (aliases: ChatWithMe, gpt-4.1)" in \
        first(error).message


def test_openai_model_is_not_mapped_by_profile_code(refuse):
    assert refuse(json.dumps(page(bucket(JAN_1, result("chatbot-2025-01-01"))))).code == "unmappable_profile"


def test_openai_page_sent_twice_is_refused_as_duplicate(refuse, aliased_parameters):
    twice = page(bucket(JAN_1, result()))
    error = refuse(json.dumps([twice, twice]), parameters=aliased_parameters)
    issue = first(error)
    assert error.code == "duplicate"
    assert issue.path == "[1].data[0].results[0]" and "(first at [0].data[0].results[0])" in issue.message


def test_openai_bucket_longer_than_a_day_is_refused(refuse, aliased_parameters):
    error = refuse(json.dumps(page(bucket(JAN_1, result(), width=7 * DAY))), parameters=aliased_parameters)
    assert error.code == "period_not_daily" and first(error).path == "data[0].end_time"


def test_openai_report_continuing_on_further_pages_is_refused(refuse, aliased_parameters):
    error = refuse(json.dumps(page(bucket(JAN_1, result()), has_more=True)), parameters=aliased_parameters)
    assert "has_more" in first(error).message


def test_openai_usage_report_other_than_completions_is_refused(refuse, aliased_parameters):
    embeddings = result(object="organization.usage.embeddings.result")
    issue = first(refuse(json.dumps(page(bucket(JAN_1, embeddings))), parameters=aliased_parameters))
    assert issue.path == "data[0].results[0].object" and "completions" in issue.message


def test_openai_missing_token_count_is_refused(refuse, aliased_parameters):
    incomplete = result()
    del incomplete["output_tokens"]
    issue = first(refuse(json.dumps(page(bucket(JAN_1, incomplete))), parameters=aliased_parameters))
    assert issue.path == "data[0].results[0].output_tokens"


@pytest.mark.parametrize("start", ['"1735689600"', "1735689600.0", "-1"])
def test_openai_start_time_must_be_integer_epoch_seconds_in_range(refuse, aliased_parameters, start):
    text = json.dumps(page(bucket(JAN_1, result()))).replace(str(JAN_1), start, 1)
    assert first(refuse(text, parameters=aliased_parameters)).path == "data[0].start_time"


def test_openai_day_sum_above_ten_to_the_twelve_is_refused(refuse, aliased_parameters):
    big = 10**12
    text = json.dumps(page(bucket(JAN_1, result(inputs=big), result(inputs=big, project_id="p"))))
    assert "exceed 10^12" in first(refuse(text, parameters=aliased_parameters)).message


# --- OpenAI: cached and reasoning tokens ----------------------------------------------------------


def test_openai_input_cached_tokens_are_the_cells_cached_input_tokens(parse, aliased_parameters):
    text = json.dumps(page(bucket(JAN_1, result(inputs=1000, cached=800), result("gpt-4.1", inputs=500, cached=100))))
    assert [(c.input_tokens, c.cached_input_tokens) for c in parse(text, parameters=aliased_parameters).cells] == [(1500, 900)]


def test_openai_reasoning_tokens_are_not_added_to_the_output_tokens(parse, aliased_parameters):
    """OpenAI counts reasoning tokens inside output_tokens (output_tokens_details.reasoning_tokens)."""
    found = result(outputs=500, output_tokens_details={"reasoning_tokens": 300})
    analytics = parse(json.dumps(page(bucket(JAN_1, found))), parameters=aliased_parameters)
    assert [c.output_tokens for c in analytics.cells] == [500]


def test_openai_cached_tokens_above_the_input_tokens_are_refused(refuse, aliased_parameters):
    error = refuse(json.dumps(page(bucket(JAN_1, result(inputs=10, cached=11)))), parameters=aliased_parameters)
    assert error.issues[0].path == "data[0].results[0].input_cached_tokens"


@pytest.mark.parametrize(("model", "match"), [
    ("gpt-4.1-mini", ("completion", "alias", "gpt-4.1-mini")),
    ("gpt-4.1-2025-04-14", ("chatbot", "alias", "gpt-4.1")),
    ("gpt-4.1-mini-2025-04-14", ("completion", "alias", "gpt-4.1-mini")),
    ("o3-2025-04-16", None),
])
def test_match_model_maps_a_model_by_alias_with_or_without_its_date_suffix(aliased_parameters, model, match):
    assert match_model(model, aliased_parameters) == match
