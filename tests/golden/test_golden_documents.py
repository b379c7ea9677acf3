"""Golden documents: the JSON that the CLI and the API give for the sample files, byte for byte.

A refactor must leave them identical. A change that means to change them (new keys, new default
hypotheses) rewrites them with `GOLDEN_UPDATE=1 .venv/bin/pytest tests/golden` and the diff of the
decompressed files is reviewed with the commit (`zcat tests/golden/documents/NAME.json.gz`).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import CONFIG_DIR, EXAMPLES_DIR, PROJECT_DIR

DOCUMENTS = Path(__file__).parent / "documents"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"

CLI_CASES = {
    "cli-daily-analytics-yaml": ("2025-FluidTopics-daily-analytics.yaml", CONFIG_DIR, []),
    "cli-daily-analytics-csv-germany": ("2025-FluidTopics-daily-analytics.csv", CONFIG_DIR, ["--region", "germany"]),
    "cli-fluidtopics-activity-json": ("2025-FluidTopics-ai-profile-activity.json", CONFIG_DIR, []),
    "cli-openai-usage-json": ("2025-openai-usage-completions.json", PROJECT_DIR / "tests" / "fixtures" / "methodology-v1-openai", []),
}


def _assert_golden(name: str, text: str) -> None:
    path = DOCUMENTS / f"{name}.json.gz"
    if UPDATE:
        DOCUMENTS.mkdir(exist_ok=True)
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            packed.write(text.encode())
    expected = gzip.decompress(path.read_bytes()).decode()
    if text != expected:
        lines, golden_lines = text.splitlines(), expected.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(lines, golden_lines)) if a != b), min(len(lines), len(golden_lines)))
        pytest.fail(f"{name} differs from its golden document at line {first + 1}:\n"
                    f"  now:    {lines[first] if first < len(lines) else '<end>'}\n"
                    f"  golden: {golden_lines[first] if first < len(golden_lines) else '<end>'}")


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_the_cli_json_document_of_a_sample_is_unchanged(name):
    sample, methodology, options = CLI_CASES[name]
    out = io.StringIO()
    call_command("compute_energy", str(EXAMPLES_DIR / sample), "--methodology-dir", str(methodology),
                 "--format", "json", *options, stdout=out)
    _assert_golden(name, out.getvalue())


def test_the_api_answer_to_a_sample_upload_is_unchanged(api_client, methodology_v1, sample_yaml):
    response = api_client.post("/api/energy?save=false&region=france", data=sample_yaml, content_type="application/yaml")
    assert response.status_code == 200
    _assert_golden("api-energy-daily-analytics-yaml", b"".join(response).decode() if response.streaming
                   else response.content.decode())


def test_a_saved_run_s_api_document_is_unchanged(api_client, methodology_v1):
    data = (EXAMPLES_DIR / "2025-FluidTopics-ai-profile-activity.csv").read_bytes()
    created = api_client.post("/api/energy?label=golden", data=data, content_type="text/csv")
    assert created.status_code == 201
    document = api_client.get(f"/api/runs/{created.json()['run']['id']}").json()
    run = document.pop("run")  # ids, dates and urls differ from one database to the next
    assert run["label"] == "golden"
    _assert_golden("api-run-fluidtopics-activity-csv", json.dumps(document, indent=1))
