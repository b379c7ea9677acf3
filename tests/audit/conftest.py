"""Fixtures of the ledger's tests: a few sealed runs, and verify_ledger's verdict as text."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def sealed_runs(make_run):
    """Three runs saved by the services (so sealed), the second a re-evaluation-free run in Germany."""
    return [make_run(days=3), make_run(days=2, region="germany", inferences=50), make_run(days=4, inferences=7)]


@pytest.fixture
def ledger_verdict(capsys):
    """verify_ledger's outcome: (exit status, what it wrote to stderr)."""

    def verdict() -> tuple[int, str]:
        try:
            call_command("verify_ledger")
        except CommandError as error:
            return 1, capsys.readouterr().err + str(error)
        return 0, capsys.readouterr().err

    return verdict
