"""The compute_energy command on the sample files, as the README shows it."""

import json
import subprocess
import sys

import pytest

from tests.conftest import CONFIG_DIR, EXAMPLES_DIR, PROJECT_DIR

SAMPLE = EXAMPLES_DIR / "2025-FluidTopics-daily-analytics.yaml"


def _command(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "manage.py", "compute_energy", *args], cwd=PROJECT_DIR, input=stdin, capture_output=True,
    )


def test_json_output_is_the_result_document_of_the_sample():
    result = _command(str(SAMPLE), "--methodology-dir", str(CONFIG_DIR), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["methodology"]["version"] is None
    assert document["input"]["days"] == 365 and len(document["daily"]) == 365 * 5
    # the check figure of docs/methodology.md section 5.4
    assert document["totals"]["energy_kwh"]["value"] == pytest.approx(363.13, abs=0.01)


def test_standard_input_gives_the_same_document_as_the_file():
    from_file = _command(str(SAMPLE.with_suffix(".csv")), "--methodology-dir", str(CONFIG_DIR), "--format", "json")
    from_stdin = _command("-", "--methodology-dir", str(CONFIG_DIR), "--format", "json",
                          stdin=SAMPLE.with_suffix(".csv").read_bytes())
    assert json.loads(from_stdin.stdout)["totals"] == json.loads(from_file.stdout)["totals"]


def test_the_table_shows_totals_with_ranges_and_the_region():
    result = _command(str(SAMPLE), "--methodology-dir", str(CONFIG_DIR), "--region", "germany")
    out = result.stdout.decode()
    assert "region germany" in out and "TOTAL" in out and "kWh (" in out


def test_refused_input_exits_non_zero_with_the_parsers_messages_on_stderr():
    result = _command("-", "--methodology-dir", str(CONFIG_DIR), stdin=b"date,profile,inferences\n2025-01-01,chatbot,-5\n")
    assert result.returncode != 0
    assert b"line 2" in result.stderr and result.stdout == b""


def test_an_unknown_region_is_refused():
    result = _command(str(SAMPLE), "--methodology-dir", str(CONFIG_DIR), "--region", "mars")
    assert result.returncode != 0 and b"mars" in result.stderr


def test_save_keeps_the_run_with_its_label_region_and_version(methodology_v2, tmp_path, capsys):
    from django.core.management import call_command

    from calculations.models import Run, RunSource

    analytics = tmp_path / "january.csv"
    analytics.write_bytes(b"date,profile,inferences\n2025-01-01,chatbot,1250\n")
    call_command("compute_energy", str(analytics), "--save", "--label", "Q1 2025", "--version", "1",
                 "--region", "germany", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    run = Run.objects.get(pk=document["run"]["id"])
    assert (run.label, run.region, run.methodology_version.number, run.source) == ("Q1 2025", "germany", 1,
                                                                                 RunSource.CLI)
    assert run.inferences == 1250


def test_without_save_nothing_is_kept(methodology_v1, tmp_path, capsys):
    from django.core.management import call_command

    from calculations.models import Run

    analytics = tmp_path / "january.csv"
    analytics.write_bytes(b"date,profile,inferences\n2025-01-01,chatbot,1250\n")
    call_command("compute_energy", str(analytics), "--format", "json")
    assert "run" not in json.loads(capsys.readouterr().out)
    assert not Run.objects.exists()


def test_a_label_without_save_is_refused_rather_than_ignored():
    result = _command(str(SAMPLE), "--methodology-dir", str(CONFIG_DIR), "--label", "2025")
    assert result.returncode != 0 and b"--label names a saved run: add --save" in result.stderr


def test_a_profile_option_a_native_file_does_not_use_is_refused():
    result = _command(str(SAMPLE), "--methodology-dir", str(CONFIG_DIR), "--profile", "chatbot")
    assert result.returncode != 0 and b"the profile option 'chatbot' only names" in result.stderr
