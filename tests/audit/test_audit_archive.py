"""The audit archive: exported, verified with no database, restored into an empty one, tampering named."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.archive import LEDGER, MANIFEST, Archive, verify_archive
from audit.models import LedgerEntry
from calculations.models import DailyResult, ProfileResult, Run
from methodology.models import Equivalent, MethodologyVersion, ModelProfile, Region, UsageProfile

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def archive_file(sealed_runs, methodology_v2, make_run, tmp_path):
    """An archive of two versions and five runs, one under v2, one saved before the Monte Carlo (the others
    have theirs)."""
    make_run(days=2, version=methodology_v2)
    make_run(days=2, inferences=9, monte_carlo=False)
    path = tmp_path / "ledger.zip"
    call_command("export_audit_archive", str(path))
    return path


def _verdict(path: Path) -> tuple[list[str], int]:
    with Archive(path) as archive:
        problems, entries = verify_archive(archive)
    return [str(p) for p in problems], entries


def _rewrite(path: Path, name: str, edit, *, update_manifest: bool = True) -> None:
    """Edit one file of the archive and (unless told not to) update the manifest's hash of it, as a careful
    forger would."""
    with zipfile.ZipFile(path) as source:
        files = {n: source.read(n) for n in source.namelist()}
    files[name] = edit(files[name])
    if update_manifest:
        manifest = json.loads(files[MANIFEST])
        manifest["files"][name] = hashlib.sha256(files[name]).hexdigest()
        files[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as target:
        for n, data in files.items():
            target.writestr(n, data)


def _empty_the_database() -> None:
    """What a disaster leaves: no run, no version, no ledger (users survive)."""
    with connection.cursor() as cursor:
        for model in (DailyResult, ProfileResult, LedgerEntry, Run, Region, ModelProfile, UsageProfile, Equivalent,
                      MethodologyVersion):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def test_an_exported_archive_verifies_without_touching_the_database(archive_file, django_db_blocker):
    with django_db_blocker.block():
        assert _verdict(archive_file) == ([], 7)


def test_verify_archive_runs_where_no_database_is_reachable(archive_file):
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/no_database_here"}
    done = subprocess.run([sys.executable, "manage.py", "verify_archive", str(archive_file)], cwd=PROJECT_DIR,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Archive verified: 7 entries" in done.stdout


def test_an_archive_restored_into_an_empty_database_verifies_again(archive_file, ledger_verdict, tmp_path):
    fields = ("pk", "created_at", "carbon_gco2e_value", "label", "uncertainty")
    before = list(Run.objects.order_by("pk").values_list(*fields))
    assert [row[-1] is None for row in before] == [False] * 4 + [True]
    _empty_the_database()
    call_command("import_audit_archive", str(archive_file))
    assert ledger_verdict() == (0, "")
    assert list(Run.objects.order_by("pk").values_list(*fields)) == before
    again = tmp_path / "again.zip"
    call_command("export_audit_archive", str(again))
    with zipfile.ZipFile(archive_file) as first, zipfile.ZipFile(again) as second:
        assert first.read(LEDGER) == second.read(LEDGER)


def test_runs_saved_after_a_restore_extend_the_restored_chain(archive_file, make_run, ledger_verdict):
    _empty_the_database()
    call_command("import_audit_archive", str(archive_file))
    newest = make_run(days=1, version=MethodologyVersion.objects.get(number=1))
    assert newest.pk > max(LedgerEntry.objects.filter(kind="run").exclude(object_id=newest.pk)
                           .values_list("object_id", flat=True))
    assert ledger_verdict() == (0, "")


def test_an_archive_is_restored_only_into_an_empty_database(archive_file):
    with pytest.raises(CommandError, match="only into an empty one"):
        call_command("import_audit_archive", str(archive_file))


def test_a_tampered_archive_is_not_restored(archive_file):
    _rewrite(archive_file, LEDGER, lambda data: data.replace(b'"label":""', b'"label":"forged"', 1))
    _empty_the_database()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("import_audit_archive", str(archive_file))
    assert not Run.objects.exists() and not LedgerEntry.objects.exists()


def _line_of_run(data: bytes, run_id: int) -> int:
    lines = data.splitlines()
    return next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == "run" and json.loads(line)["id"] == run_id)


def test_an_edited_count_in_the_archive_names_the_run(archive_file, sealed_runs):
    run = sealed_runs[1]

    def edit(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        index = _line_of_run(data, run.pk)
        item = json.loads(lines[index])
        item["record"]["cells"][0][2] += 1
        lines[index] = json.dumps(item).encode() + b"\n"
        return b"".join(lines)

    _rewrite(archive_file, LEDGER, edit)
    problems, _ = _verdict(archive_file)
    assert any(p.startswith(f"run {run.pk}: altered") for p in problems)
    assert any(p.startswith(f"run {run.pk}: not reproduced") for p in problems)


def _edit_record(run_id: int, edit):
    def rewrite(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        index = _line_of_run(data, run_id)
        item = json.loads(lines[index])
        edit(item["record"])
        lines[index] = json.dumps(item).encode() + b"\n"
        return b"".join(lines)

    return rewrite


def test_an_edited_percentile_in_the_archive_names_the_run(archive_file, sealed_runs):
    run = sealed_runs[2]

    def edit(record):
        record["uncertainty"]["totals"]["energy_kwh"]["p50"] *= 0.99

    _rewrite(archive_file, LEDGER, _edit_record(run.pk, edit))
    problems, _ = _verdict(archive_file)
    assert any(p.startswith(f"run {run.pk}: altered") for p in problems)
    assert any(p.startswith(f"run {run.pk}: not reproduced") and "uncertainty.totals.energy_kwh" in p
               for p in problems)
    assert all(p.startswith(f"run {run.pk}:") for p in problems)


def test_a_run_removed_from_the_archive_breaks_the_chain(archive_file, sealed_runs):
    def drop(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        del lines[_line_of_run(data, sealed_runs[0].pk)]
        return b"".join(lines)

    _rewrite(archive_file, LEDGER, drop)
    problems, _ = _verdict(archive_file)
    assert any("missing entries" in p for p in problems)
    assert any(p.startswith(f"run {sealed_runs[1].pk}: chain broken") for p in problems)


def test_an_edited_methodology_yaml_names_the_version(archive_file):
    _rewrite(archive_file, "methodology/v1/config.yaml",
             lambda data: data.replace(b"default_region: france", b"default_region: germany"))
    problems, _ = _verdict(archive_file)
    assert "methodology version 1: altered" in problems[0]


def test_a_file_changed_without_its_manifest_hash_is_named(archive_file):
    with zipfile.ZipFile(archive_file, "a") as archive:
        archive.writestr("extra.txt", b"x")
    problems, _ = _verdict(archive_file)
    assert problems == ["file extra.txt: inserted (not listed in the manifest)"]


def test_verify_archive_exits_non_zero_naming_the_problem(archive_file, capsys):
    _rewrite(archive_file, "methodology/v2/config.yaml", lambda data: data + b"# edited\n", update_manifest=False)
    with pytest.raises(CommandError, match="does not verify: 1 problem"):
        call_command("verify_archive", str(archive_file))
    assert "file methodology/v2/config.yaml: altered" in capsys.readouterr().err


def _documented_checker() -> str:
    """The standard-library checker docs/audit-trail.md gives auditors."""
    text = (PROJECT_DIR / "docs" / "audit-trail.md").read_text(encoding="utf-8")
    section = text.split("### Checking an archive with your own tools", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_documented_standalone_checker_accepts_an_exported_archive(archive_file, tmp_path):
    checker = tmp_path / "check.py"
    checker.write_text(_documented_checker())
    done = subprocess.run([sys.executable, "-I", str(checker), str(archive_file)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    head = LedgerEntry.objects.order_by("-position").first().seal
    assert done.stdout.strip() == f"seals and chain hold; head {head}"


def test_the_documented_standalone_checker_refuses_an_edited_record(archive_file, sealed_runs, tmp_path):
    _rewrite(archive_file, LEDGER, lambda data: data.replace(b'"label":""', b'"label":"forged"', 1))
    checker = tmp_path / "check.py"
    checker.write_text(_documented_checker())
    done = subprocess.run([sys.executable, "-I", str(checker), str(archive_file)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 1 and "altered" in done.stderr


def test_an_archive_of_a_pruned_database_names_the_deleted_run(sealed_runs, tmp_path):
    with connection.cursor() as cursor:
        for model, column in ((DailyResult, "run_id"), (ProfileResult, "run_id"), (Run, "id")):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} = %s", [sealed_runs[0].pk])
    path = tmp_path / "pruned.zip"
    call_command("export_audit_archive", str(path))
    problems, _ = _verdict(path)
    assert problems == [f"run {sealed_runs[0].pk}: deleted (sealed at position 2, no longer stored)"]


def test_a_file_that_is_not_an_archive_is_refused_with_a_message(tmp_path):
    path = tmp_path / "not.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not an audit archive"):
        call_command("verify_archive", str(path))


def _reseal(data: bytes) -> bytes:
    """Every entry's content hash and seal recomputed, as a forger who edited a record would."""
    from audit import canonical

    lines, previous = [], canonical.GENESIS_SEAL
    for line in data.splitlines():
        item = json.loads(line)
        item["content_sha256"] = canonical.content_sha256(item["record"])
        item["seal"] = previous = canonical.seal(previous, item["content_sha256"])
        lines.append(json.dumps(item).encode() + b"\n")
    return b"".join(lines)


def test_the_documented_standalone_checker_refuses_percentiles_outside_the_run_s_range(archive_file, sealed_runs,
                                                                                       tmp_path):
    run = sealed_runs[0]

    def beyond_the_high_bound(record):
        record["uncertainty"]["totals"]["carbon_gco2e"]["p95"] = record["totals"]["carbon_gco2e"][2] * 2

    _rewrite(archive_file, LEDGER, lambda data: _reseal(_edit_record(run.pk, beyond_the_high_bound)(data)))
    checker = tmp_path / "check.py"
    checker.write_text(_documented_checker())
    done = subprocess.run([sys.executable, "-I", str(checker), str(archive_file)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 1
    assert f"run {run.pk}: totals.carbon_gco2e percentiles outside its range" in done.stderr


@pytest.fixture
def token_report_run(methodology_v1, analyst):
    """A run like an Anthropic report's: cached input tokens, inferences not reported (sealed in format 2)."""
    from datetime import date

    from calculations import services
    from calculations.engine.analytics import Cell
    from calculations.engine.result import InputSummary
    from methodology.selectors import parameter_set_for

    cells = [Cell(date(2025, 3, 1), "chatbot", 0, 20_000, 4000, 15_000), Cell(date(2025, 3, 2), "chatbot", 0, 10, 5)]
    summary = InputSummary(sha256="e" * 64, size_bytes=100, format="anthropic-usage", first_day=cells[0].day,
                           last_day=cells[-1].day, days=2, inferences_reported=False, generic_models=["m-x"])
    evaluation = services.evaluation_of(methodology_v1, parameter_set_for(methodology_v1), summary, cells, "france")
    return services.save_run(evaluation, user=analyst, source="api")


def test_a_run_with_cached_tokens_and_no_request_count_survives_an_archive_round_trip(
        sealed_runs, token_report_run, ledger_verdict, tmp_path):
    path = tmp_path / "ledger.zip"
    call_command("export_audit_archive", str(path))
    assert _verdict(path)[0] == []
    fields = ("pk", "counts_sha256", "cached_input_tokens", "inferences_reported", "generic_models")
    before = list(Run.objects.order_by("pk").values_list(*fields))
    _empty_the_database()
    call_command("import_audit_archive", str(path))
    assert list(Run.objects.order_by("pk").values_list(*fields)) == before
    assert ledger_verdict() == (0, "")
