"""Every query parameter of the API agrees with its OpenAPI schema, both ways, at the schema's edges: each
value the schema refuses is a 400 naming the parameter, and each edge value it allows is not refused as
malformed (it may still be refused for what it names, e.g. a version that does not exist). The values are
derived from the schema itself, so a parameter added later is checked without editing this file."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator

GOOD_CSV = b"date,profile,inferences\n2025-01-01,chatbot,1250\n"
RUN = "{run}"  # stands for an existing run's id


def _query_parameters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            required = {p["name"]: _edge_values(p["schema"])[0] for p in parameters if p.get("required")}
            for parameter in parameters:
                yield method, path, parameter["name"], parameter["schema"], required


def _alternatives(schema: dict) -> list[dict]:
    return schema.get("anyOf") or schema.get("oneOf") or [schema]


def _edge_values(schema: dict) -> list[str]:
    """Values at the edges of what the schema allows, as query-string text."""
    values = []
    for alternative in _alternatives(schema):
        kind = alternative.get("type")
        if "enum" in alternative:
            values += [str(v) for v in alternative["enum"]]
        elif kind == "integer":
            values.append(str(alternative.get("minimum", 1)))
        elif kind == "boolean":
            values += ["true", "false"]
        elif kind == "array":
            values.append(RUN)
        elif kind == "string" and alternative.get("format") == "date":
            values += ["2000-01-01", "2100-12-31"]
        elif kind == "string":
            length = alternative.get("maxLength")
            values.append("a" * length if length is not None else "chatbot")
    return values


def _probes(schema: dict) -> list[str]:
    """Values just past each edge, and malformed ones, for the parameter's kinds."""
    probes = []
    for alternative in _alternatives(schema):
        kind, item = alternative.get("type"), alternative.get("items", alternative)
        if "enum" in alternative:
            probes.append("nope")
        elif kind in ("integer", "array"):
            probes += ["x", "1.5", "9223372036854775808"]
            probes += [str(item[bound] + step) for bound, step in (("minimum", -1), ("maximum", 1)) if bound in item]
        elif kind == "boolean":
            probes.append("maybe")
        elif kind == "string" and alternative.get("format") == "date":
            probes += ["2025-13-01", "2025-02-30"]
        elif kind == "string":
            probes += ["a\x00b", "a" * (alternative.get("maxLength", 999) + 1)]
    return probes


# DRF reads a boolean as Python does a few spellings (1/0, yes/no, on/off): accepted beyond the schema's
# true/false, a leniency kept for existing scripts.
LENIENT_BOOLEANS = {"1", "0", "yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE", "Yes", "No"}


def _allows(schema: dict, text: str) -> bool:
    return any(_alternative_allows(alternative, text) for alternative in _alternatives(schema))


def _alternative_allows(schema: dict, text: str) -> bool:
    import re
    from datetime import date

    kind = schema.get("type")
    if "enum" in schema:
        return text in [str(v) for v in schema["enum"]]
    if kind in ("integer", "array"):
        item = schema.get("items", schema)
        if text == RUN:
            return True
        if not re.fullmatch(r"-?\d+", text):
            return False
        return item.get("minimum", -float("inf")) <= int(text) <= item.get("maximum", float("inf"))
    if kind == "boolean":
        return text in ("true", "false") or text in LENIENT_BOOLEANS
    if kind != "string":
        return False
    if schema.get("format") == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
    if len(text) > schema.get("maxLength", float("inf")):
        return False
    return not ("pattern" in schema and not re.search(schema["pattern"], text))


CASES = [
    pytest.param(method, path, name, value, required, valid, id=f"{method.upper()} {path} {name}={value[:12]!r}")
    for method, path, name, schema, required in _query_parameters()
    for value in dict.fromkeys(_edge_values(schema) + _probes(schema))
    for valid in [_allows(schema, value)]
]


@pytest.fixture
def run_id(make_run) -> int:
    return make_run(days=1).pk


@pytest.mark.parametrize(("method", "path", "name", "value", "required", "valid"), CASES)
def test_a_query_parameter_is_accepted_or_refused_as_its_schema_says(api_client, run_id, method, path, name, value,
                                                                    required, valid):
    query = {**required, name: value}
    query = {key: str(run_id) if text == RUN else text for key, text in query.items()}
    url = path.replace("{id}", str(run_id)).replace("{number}", "1").replace("{other}", "1") + "?" + urlencode(query)
    if method == "post" and "{id}" in path:  # a re-evaluation takes no body: its options are the query's
        response = api_client.post(url)
    elif method == "post":
        response = api_client.post(url, data=GOOD_CSV, content_type="text/csv")
    else:
        response = api_client.get(url)
    assert response.status_code < 500
    malformed = response.status_code == 400 and any(
        detail["path"] == name for detail in response.json()["error"]["details"]
    ) and response.json()["error"]["code"] == "bad_request"
    assert malformed is not valid, response.content[:300]
