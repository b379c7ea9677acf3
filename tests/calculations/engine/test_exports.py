"""Real exports read as they come (analytics-format.md section 5): Fluid Topics AI profile activity
and OpenAI completions usage, in JSON or YAML."""

from __future__ import annotations

import json

import pytest
import yaml

from calculations.engine.analytics import ProfileMapping

DAY = 86400
JAN_1 = 1735689600  # 2025-01-01T00:00:00Z


def period(start: str, end: str, count: int, key: str = "aiQueryCount") -> dict:
    return {"periodStartDate": start, "periodEndDate": end, key: count}


def fluidtopics_profile(ident: str, name: str | None, kind: str | None, periods: list[dict]) -> dict:
    source = {"id": ident, "name": name, "periods": periods}
    if kind is not None:
        source["type"] = kind
    return source


def fluidtopics(*sources: dict) -> str:
    return json.dumps({"startDate": "2025-01-01", "endDate": "2026-01-01", "results": list(sources)})


def daily(count: int, key: str = "aiQueryCount") -> list[dict]:
    return [period("2025-01-01", "2025-01-02", count, key), period("2025-01-02", "2025-01-03", count + 1, key)]


def result(model: str | None = "gpt-4.1-2025-04-14", requests: int = 5, inputs: int = 1000, outputs: int = 500,
           **grouping) -> dict:
    found = {"object": "organization.usage.completions.result", "input_tokens": inputs, "output_tokens": outputs,
             "input_cached_tokens": 800, "num_model_requests": requests, "project_id": None, "user_id": None,
             "api_key_id": None, "model": model, "batch": None, "service_tier": None}
    found.update(grouping)
    return found


def bucket(start: int, *results: dict, width: int = DAY) -> dict:
    return {"object": "bucket", "start_time": start, "end_time": start + width, "results": list(results)}


def page(*buckets: dict, has_more: bool = False) -> dict:
    return {"object": "page", "has_more": has_more, "next_page": "page_x" if has_more else None, "data": list(buckets)}


def first(error):
    return error.issues[0]


# --- Fluid Topics: reading ------------------------------------------------------------------------


def test_fluidtopics_ai_export_counts_inferences_on_each_period_start(parse, rows):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1545))))
    assert analytics.format == "fluidtopics-ai-activity"
    assert rows(analytics) == [("2025-01-01", "chatbot", 1545, None, None), ("2025-01-02", "chatbot", 1546, None, None)]


def test_fluidtopics_genai_export_has_its_own_format_and_needs_no_type(parse, rows):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "summary", None, daily(3, "genaiQueryCount"))))
    assert analytics.format == "fluidtopics-genai-activity"
    assert rows(analytics)[0] == ("2025-01-01", "summary", 3, None, None)


def test_fluidtopics_export_sent_as_yaml_is_read_the_same(parse, rows):
    text = fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1545)))
    as_yaml = yaml.safe_dump(json.loads(text), sort_keys=False).replace("'", "")  # plain dates, as people write them
    assert "periodStartDate: 2025-01-01\n" in as_yaml
    assert rows(parse(as_yaml)) == rows(parse(text))
    assert parse(as_yaml).format == "fluidtopics-ai-activity"


def test_fluidtopics_profiles_of_one_usage_profile_are_added_per_day(parse, rows):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(10)),
                                  fluidtopics_profile("id-2", "Support assistant", "chatbot", daily(100))))
    assert rows(analytics) == [("2025-01-01", "chatbot", 110, None, None), ("2025-01-02", "chatbot", 112, None, None)]
    assert analytics.mappings == [ProfileMapping("chatbot", "type", "chatbot", 2)]


def test_fluidtopics_period_ending_on_its_start_day_is_one_day(parse, rows):
    text = fluidtopics(fluidtopics_profile("id-1", "x", "chatbot", [period("2025-01-01", "2025-01-01", 4)]))
    assert rows(parse(text)) == [("2025-01-01", "chatbot", 4, None, None)]


def test_fluidtopics_profile_without_periods_needs_no_mapping(parse):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1)),
                                  fluidtopics_profile("id-2", "Unmappable", None, [])))
    assert analytics.mappings == [ProfileMapping("chatbot", "type", "chatbot", 1)]


def test_fluidtopics_names_and_ids_are_never_returned(parse):
    analytics = parse(fluidtopics(fluidtopics_profile("secret-id-42", "Secret assistant", "CHATBOT", daily(1))))
    assert "secret" not in repr(analytics).lower()


def test_fluidtopics_zero_counts_keep_their_day(parse, rows):
    assert rows(parse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", daily(0)))))[0] == (
        "2025-01-01", "chatbot", 0, None, None)


# --- Fluid Topics: mapping precedence (5.1) -------------------------------------------------------


def test_fluidtopics_alias_on_the_name_maps_first(parse, aliased_parameters, rows):
    # type says completion, name says summary: the alias wins
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "SummarizeMe", "completion", daily(1))),
                      parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("summary", "alias", "SummarizeMe", 1)]
    assert rows(analytics)[0][1] == "summary"


def test_fluidtopics_alias_on_the_id_maps_first(parse, aliased_parameters):
    source = fluidtopics_profile("5b754113-503e-48f3-8065-3f29f2960366", "search_answer", "chatbot", daily(1))
    analytics = parse(fluidtopics(source), parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("completion", "alias", "5b754113-503e-48f3-8065-3f29f2960366", 1)]


def test_fluidtopics_alias_on_the_id_is_tried_before_one_on_the_name(parse, aliased_parameters):
    source = fluidtopics_profile("5b754113-503e-48f3-8065-3f29f2960366", "ChatWithMe", None, daily(1))
    analytics = parse(fluidtopics(source), parameters=aliased_parameters)
    assert [m.profile for m in analytics.mappings] == ["completion"]


def test_fluidtopics_name_equal_to_a_code_maps_before_the_type(parse):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "search_answer", "completion", daily(1))))
    assert analytics.mappings == [ProfileMapping("search_answer", "name", "search_answer", 1)]


def test_fluidtopics_type_maps_in_any_case(parse):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "Translate FR", "TRANSLATION", daily(1))))
    assert analytics.mappings == [ProfileMapping("translation", "type", "translation", 1)]


def test_fluidtopics_name_matches_a_code_exactly(refuse):
    error = refuse(fluidtopics(fluidtopics_profile("id-1", "Summary", None, daily(1))))
    assert error.code == "unmappable_profile"


def test_fluidtopics_mappings_list_each_rule_of_a_usage_profile(parse, aliased_parameters):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1)),
                                  fluidtopics_profile("id-2", "Helper", "chatbot", daily(1)),
                                  fluidtopics_profile("id-3", "Other helper", "Chatbot", daily(1))),
                      parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("chatbot", "alias", "ChatWithMe", 1),
                                  ProfileMapping("chatbot", "type", "chatbot", 2)]


def test_fluidtopics_unmappable_profile_is_named_with_the_profiles_and_their_aliases(refuse, aliased_parameters):
    error = refuse(fluidtopics(fluidtopics_profile("id-9", "Ask the docs", None, daily(1))), parameters=aliased_parameters)
    issue = first(error)
    assert error.code == "unmappable_profile"
    assert (issue.path, issue.value) == ("results[0]", '"Ask the docs"')
    assert "'Ask the docs' (id 'id-9')" in issue.message
    assert "chatbot (aliases: ChatWithMe, gpt-4.1)" in issue.message and "translation (no aliases)" in issue.message


# --- Fluid Topics: refusals -----------------------------------------------------------------------


def test_fluidtopics_monthly_periods_are_refused_asking_for_daily_ones(refuse):
    monthly = [period("2025-01-01", "2025-02-01", 900), period("2025-02-01", "2025-03-01", 800)]
    error = refuse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", monthly)))
    assert error.code == "period_not_daily" and len(error.issues) == 1
    issue = first(error)
    assert issue.path == "results[0].periods[0]"
    assert "31 days from 2025-01-01 to 2025-02-01" in issue.message and '"groupByPeriod": "day"' in issue.message


def test_fluidtopics_weekly_periods_are_refused(refuse):
    weekly = [period("2025-01-06", "2025-01-13", 90)]
    assert refuse(fluidtopics(fluidtopics_profile("id-1", "x", "chatbot", weekly))).code == "period_not_daily"


def test_fluidtopics_period_ending_before_it_starts_is_refused(refuse):
    backwards = [period("2025-01-02", "2025-01-01", 1)]
    assert "ends before it starts" in first(refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", backwards)))).message


def test_fluidtopics_same_id_twice_is_refused(refuse):
    error = refuse(fluidtopics(fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1)),
                               fluidtopics_profile("id-1", "ChatWithMe", "chatbot", daily(1))))
    issue = first(error)
    assert error.code == "duplicate"
    assert issue.path == "results[1].id" and "(first at results[0].id)" in issue.message


def test_fluidtopics_same_day_twice_in_one_profile_is_refused(refuse):
    periods = [period("2025-01-01", "2025-01-02", 1), period("2025-01-01", "2025-01-02", 1)]
    error = refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", periods)))
    assert error.code == "duplicate" and first(error).path == "results[0].periods[1].periodStartDate"


def test_fluidtopics_mixed_count_keys_are_refused(refuse):
    error = refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", daily(1)),
                               fluidtopics_profile("j", "y", "completion", daily(1, "genaiQueryCount"))))
    assert "mix aiQueryCount and genaiQueryCount" in first(error).message


def test_fluidtopics_bad_count_is_refused_at_its_path(refuse):
    periods = daily(1) + [period("2025-01-03", "2025-01-04", -3)]
    issue = first(refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", periods))))
    assert issue.path == "results[0].periods[2].aiQueryCount" and "a negative number" in issue.message


def test_fluidtopics_period_without_its_count_is_refused(refuse):
    issue = first(refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", [{"periodStartDate": "2025-01-01",
                                                                                "periodEndDate": "2025-01-02"}]))))
    assert issue.path == "results[0].periods[0].aiQueryCount" and "missing" in issue.message


def test_fluidtopics_refusal_in_yaml_has_its_line(refuse):
    text = ("results:\n"
            "  - id: id-1\n"
            "    type: chatbot\n"
            "    periods:\n"
            "      - {periodStartDate: 2025-01-01, periodEndDate: 2025-01-02, aiQueryCount: 1.5}\n")
    issue = first(refuse(text))
    assert (issue.line, issue.path) == (5, "results[0].periods[0].aiQueryCount")


def test_fluidtopics_without_periods_at_all_is_empty(refuse):
    assert refuse(fluidtopics(fluidtopics_profile("i", "x", "chatbot", []))).code == "empty"


def test_fluidtopics_results_that_are_not_a_list_are_refused(refuse):
    assert first(refuse('{"results": {"id": "x"}}')).path == "results"


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
