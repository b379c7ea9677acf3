"""Fluid Topics AI profile activity read as it comes (analytics-format.md 5.1), in JSON or YAML."""

from __future__ import annotations

import json

import pytest
import yaml

from calculations.engine.analytics import ProfileMapping

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




@pytest.mark.parametrize(("ident", "name", "kind", "label"), [
    ("id-9", "Helper", "assistant", "'Helper' (id 'id-9', type 'assistant')"),
    (None, "Helper", None, "'Helper'"),
    ("id-9", None, None, "(no name) (id 'id-9')"),
    (None, None, "assistant", "(no name) (type 'assistant')"),
    (None, None, None, "(no name)"),
])
def test_fluidtopics_unmappable_profile_is_named_by_its_name_id_and_type(refuse, ident, name, kind, label):
    source = {"id": ident, "name": name, "type": kind, "periods": daily(1)}
    issue = first(refuse(json.dumps({"results": [source]})))
    assert issue.message.split("; usage profiles: ")[0] == (
        f"Fluid Topics profile {label} matches no usage profile: add its id or name to a usage profile's aliases in "
        "the methodology, or name it (or give it a type) after a usage profile code")


def test_fluidtopics_mappings_are_ordered_by_usage_profile_first(parse, aliased_parameters):
    analytics = parse(fluidtopics(fluidtopics_profile("id-1", "chatbot", None, daily(1)),
                                  fluidtopics_profile("id-2", "gpt-4.1-mini", None, daily(1))), parameters=aliased_parameters)
    assert analytics.mappings == [ProfileMapping("chatbot", "name", "chatbot", 1),
                                  ProfileMapping("completion", "alias", "gpt-4.1-mini", 1)]
