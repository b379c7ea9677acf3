"""Properties of the analytics parser, checked on generated inputs: twins give the same cells, and
no input makes the parser fail other than with an AnalyticsError."""

from __future__ import annotations

import json
from datetime import date, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import Analytics, AnalyticsError
from calculations.engine.parser import parse_analytics

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = ["chatbot", "completion", "search_answer", "summary", "translation"]
DAYS = [date(2025, 1, 1) + timedelta(days=n) for n in range(40)]


class PlainDumper(yaml.CSafeDumper):
    """Writes a repeated object again instead of an anchor and alias, which the parser refuses."""

    def ignore_aliases(self, data) -> bool:
        return True


def as_csv(cells: dict) -> str:
    lines = ["date,profile,inferences"] + [f"{day.isoformat()},{code},{count}" for (day, code), count in cells.items()]
    return "\n".join(lines) + "\n"


@st.composite
def fluidtopics_exports(draw, aliases: dict[str, list[str]]):
    """(export text, its CSV twin): daily counts per usage profile, split over Fluid Topics profiles
    that map to it by alias, name or type."""
    cells = draw(st.dictionaries(st.tuples(st.sampled_from(DAYS), st.sampled_from(CODES)),
                                 st.integers(0, 10**6), min_size=1, max_size=30))
    count_key = draw(st.sampled_from(["aiQueryCount", "genaiQueryCount"]))
    sources = []
    for code in sorted({code for _, code in cells}):
        days = sorted(day for day, profile in cells if profile == code)
        for part in range(draw(st.integers(1, 3))):
            rule = draw(st.sampled_from(["alias", "name", "type"] if code in aliases else ["name", "type"]))
            ident = f"id-{code}-{part}"
            if rule == "alias":
                source = {"id": ident, "name": draw(st.sampled_from(aliases[code])), "type": "Something else"}
            elif rule == "name":
                source = {"id": ident, "name": code}
            else:
                source = {"id": ident, "name": f"Profile {len(sources)}",
                          "type": draw(st.sampled_from([code, code.upper(), code.title()]))}
            source["periods"] = []
            sources.append((code, days, source))
    for day, code in sorted(cells):
        owners = [source for owner, days, source in sources if owner == code]
        remaining = cells[(day, code)]
        for index, source in enumerate(owners):
            part = remaining if index == len(owners) - 1 else draw(st.integers(0, remaining))
            remaining -= part
            end = day + timedelta(days=draw(st.sampled_from([0, 1])))
            source["periods"].append({"periodStartDate": day.isoformat(), "periodEndDate": end.isoformat(),
                                      count_key: part})
    document = {"startDate": "2025-01-01", "endDate": "2025-02-10",
                "results": draw(st.permutations([source for _, _, source in sources]))}
    text = json.dumps(document) if draw(st.booleans()) else yaml.dump(document, Dumper=PlainDumper).replace("'", "")
    return text, as_csv(cells)


@PROPERTY
@given(st.data())
def test_any_fluidtopics_export_and_its_csv_twin_give_identical_cells(aliased_parameters, data):
    aliases = {code: list(profile.aliases) for code, profile in aliased_parameters.profiles.items() if profile.aliases}
    export, twin = data.draw(fluidtopics_exports(aliases))
    from_export = parse_analytics(export.encode(), aliased_parameters)
    from_twin = parse_analytics(twin.encode(), aliased_parameters, filename="twin.csv")
    assert from_export.cells == from_twin.cells
    assert from_export.format.startswith("fluidtopics-")


RECORDS = st.lists(
    st.fixed_dictionaries(
        {"date": st.sampled_from(DAYS), "profile": st.sampled_from(CODES), "inferences": st.integers(0, 10**12)},
        optional={"input_tokens": st.integers(0, 10**12), "output_tokens": st.integers(0, 10**12)},
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda record: (record["date"], record["profile"]),
)


@PROPERTY
@given(RECORDS)
def test_same_records_in_yaml_json_and_csv_give_identical_cells(parameters, records):
    as_json = json.dumps([{**r, "date": r["date"].isoformat()} for r in records])
    as_yaml = yaml.dump({"records": records}, Dumper=PlainDumper)
    header = "date,profile,inferences,input_tokens,output_tokens"
    as_csv = "\n".join([header] + [f"{r['date']},{r['profile']},{r['inferences']},{r.get('input_tokens', '')},"
                                   f"{r.get('output_tokens', '')}" for r in records])
    parsed = [parse_analytics(text.encode(), parameters, filename=name).cells
              for text, name in ((as_json, "a.json"), (as_yaml, "a.yaml"), (as_csv, "a.csv"))]
    assert parsed[0] == parsed[1] == parsed[2]
    assert len(parsed[0]) == len(records)


def parses_or_refuses(data: bytes, parameters, **options) -> None:
    try:
        analytics = parse_analytics(data, parameters, **options)
    except AnalyticsError as error:
        assert error.issues and error.code
    else:
        assert isinstance(analytics, Analytics) and analytics.cells


OPTIONS = st.fixed_dictionaries({
    "filename": st.sampled_from([None, "a.yaml", "a.json", "a.csv", "a.bin"]),
    "content_type": st.sampled_from([None, "application/octet-stream", "application/json", "text/csv", "text/yaml"]),
    "profile": st.sampled_from([None, "chatbot", "nope"]),
})


@PROPERTY
@given(st.binary(max_size=400), OPTIONS)
def test_random_bytes_are_parsed_or_refused(parameters, data, options):
    parses_or_refuses(data, parameters, **options)


YAMLISH = st.lists(
    st.sampled_from([
        "records:", "days:", "usages:", "results:", "periods:", "data:", "object: page", "- ", "  ", "\n", ": ", ", ",
        "{", "}", "[", "]", "date", "day", "start_time", "profile", "inferences", "count", "input_tokens", "chatbot",
        "summary", "2025-01-01", "2025-02-30", "1735689600", "1", "0", "-1", "1.5", ".nan", "~", "true", '"', "'",
        "&a ", "*a", "!!str ", "!x ", "---\n", "...\n", "? ", "|\n", "#", "%YAML 1.1\n", "aiQueryCount",
        "periodStartDate", "periodEndDate", "num_model_requests", "model", "gpt-4.1", "\t", "\ufeff", "é",
    ]),
    max_size=60,
).map("".join)


@PROPERTY
@given(YAMLISH, OPTIONS)
def test_random_yamlish_text_is_parsed_or_refused(aliased_parameters, text, options):
    parses_or_refuses(text.encode(), aliased_parameters, **options)


KEYS = st.sampled_from([
    "records", "days", "usages", "date", "day", "start_time", "profile", "inferences", "input_tokens", "output_tokens",
    "chatbot", "results", "id", "name", "type", "periods", "periodStartDate", "periodEndDate", "aiQueryCount",
    "genaiQueryCount", "object", "data", "end_time", "model", "num_model_requests", "project_id", "has_more",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2 * 10**12), st.floats(allow_nan=False),
    st.sampled_from(["page", "bucket", "chatbot", "2025-01-01", "2025-01-02", "gpt-4.1-2025-04-14", "x", "",
                     "organization.usage.completions.result", "1735689600"]),
)
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


@PROPERTY
@given(DOCUMENTS, st.booleans(), st.sampled_from([None, "summary"]))
def test_random_documents_in_json_or_yaml_are_parsed_or_refused(aliased_parameters, document, as_json, profile):
    text = json.dumps(document) if as_json else yaml.dump(document, Dumper=PlainDumper)
    parses_or_refuses(text.encode(), aliased_parameters, profile=profile)
