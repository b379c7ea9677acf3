"""The sample files: up to date with their generator, and each real export equal to its CSV twin."""

import subprocess
import sys

import pytest

from calculations.interface import run
from tests.conftest import CONFIG_DIR, EXAMPLES_DIR, SHIPPED_CONFIG_DIR


def test_the_sample_files_are_what_the_generator_writes():
    result = subprocess.run([sys.executable, str(EXAMPLES_DIR / "generate.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("export", "twin", "methodology", "expected_format"),
    [
        ("2025-FluidTopics-ai-profile-activity.json", "2025-FluidTopics-ai-profile-activity.csv", CONFIG_DIR,
         "fluidtopics-ai-activity"),
        ("2025-openai-usage-completions.json", "2025-openai-usage-completions.csv", SHIPPED_CONFIG_DIR, "openai-usage"),
        ("2025-FluidTopics-daily-analytics.yaml", "2025-FluidTopics-daily-analytics.csv", CONFIG_DIR, "yaml"),
    ],
)
def test_a_real_export_gives_the_same_numbers_as_its_hand_written_csv(export, twin, methodology, expected_format):
    from_export = run(EXAMPLES_DIR / export, methodology=str(methodology))
    from_twin = run(EXAMPLES_DIR / twin, methodology=str(methodology))
    assert from_export["input"]["format"] == expected_format
    for key in ("totals", "profiles", "daily"):
        assert from_export[key] == from_twin[key]


def test_the_fluid_topics_export_says_how_each_source_profile_was_mapped():
    mappings = run(EXAMPLES_DIR / "2025-FluidTopics-ai-profile-activity.json", methodology=str(CONFIG_DIR))["input"]["mappings"]
    chatbot = [m for m in mappings if m["profile"] == "chatbot"]
    assert chatbot == [{"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 2}]


def test_the_openai_example_maps_its_dated_models_by_alias_under_the_shipped_methodology():
    mappings = run(EXAMPLES_DIR / "2025-openai-usage-completions.json", methodology=str(SHIPPED_CONFIG_DIR))["input"]["mappings"]
    assert [(m["profile"], m["rule"], m["matched"]) for m in mappings] == [
        ("gpt-4-1", "alias", "gpt-4.1"), ("gpt-4-1-mini", "alias", "gpt-4.1-mini")]


def test_the_openai_example_is_refused_under_version_1_which_maps_no_hosted_model():
    from calculations.engine.analytics import AnalyticsError

    with pytest.raises(AnalyticsError) as refused:
        run(EXAMPLES_DIR / "2025-openai-usage-completions.json", methodology=str(CONFIG_DIR))
    assert refused.value.code == "unmappable_profile"
    assert "chatbot" in str(refused.value)
