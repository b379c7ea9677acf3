"""The Anthropic sample report (examples/2025-anthropic-usage-report.json): it computes once its models are
mapped, with no request count and every token explicit."""

from __future__ import annotations

import json

import pytest

from calculations.engine.config import load_config_dir, parameter_set_from_docs, parameter_set_to_docs
from calculations.engine.pipeline import evaluate
from tests.conftest import CONFIG_DIR, EXAMPLES_DIR

SAMPLE = EXAMPLES_DIR / "2025-anthropic-usage-report.json"


@pytest.fixture(scope="module")
def claude_parameters():
    """The shipped config with only the aliases claude-sonnet-4 -> chatbot and claude-3-5-haiku -> completion."""
    regions_doc, models_doc = parameter_set_to_docs(load_config_dir(CONFIG_DIR))
    for code, profile in models_doc["profiles"].items():
        profile["aliases"] = {"chatbot": ["claude-sonnet-4"], "completion": ["claude-3-5-haiku"]}.get(code, [])
    return parameter_set_from_docs(regions_doc, models_doc)


@pytest.fixture(scope="module")
def document(claude_parameters):
    return evaluate(SAMPLE.read_bytes(), claude_parameters, region="france", draws=500)


def test_the_anthropic_sample_computes_as_an_anthropic_report(document):
    assert document["input"]["format"] == "anthropic-usage"
    assert (document["input"]["first_day"], document["input"]["last_day"]) == ("2025-12-01", "2025-12-14")


def test_the_anthropic_sample_reports_no_inferences(document):
    assert document["input"]["inferences_reported"] is False
    assert document["totals"]["inferences"] is None
    assert all(cell["inferences"] is None for cell in document["daily"])


def test_the_anthropic_sample_tokens_are_the_reports_sums(document):
    pages = json.loads(SAMPLE.read_text())
    results = [r for page in pages for bucket in page["data"] for r in bucket["results"]]
    reads = sum(r["cache_read_input_tokens"] for r in results)
    inputs = sum(r["uncached_input_tokens"] + sum(r["cache_creation"].values()) + r["cache_read_input_tokens"]
                 for r in results)
    assert document["totals"]["input_tokens"] == inputs
    assert document["totals"]["cached_input_tokens"] == reads
    assert document["totals"]["output_tokens"] == sum(r["output_tokens"] for r in results)
