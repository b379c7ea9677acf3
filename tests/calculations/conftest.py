"""Fixtures of the run pages' tests (tests/calculations/test_pages.py and the browser tests).

The root conftest provides `methodology_v1` (published from config/), `methodology_v2` (France's carbon intensity
raised), `analyst`, `page_client` (the test client logged in as the analyst) and `sample_yaml`.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from calculations import services
from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.result import InputSummary
from calculations.models import RunSource
from methodology.selectors import parameter_set_for


@pytest.fixture
def make_run(methodology_v1, analyst):
    """make_run(days=3, region="france", ...) -> a saved Run, computed by the services without a file
    (with its Monte Carlo; monte_carlo=False saves it as a run from before the Monte Carlo).

    Each of `days` days from `start` has `inferences` inferences (plus the day's index) of every
    profile in `profiles`; the input hash depends on those counts, like a real upload's.
    """

    def make(*, days=3, region="france", label="", profiles=("chatbot", "completion"), start=date(2025, 1, 1),
             inferences=100, version=None, user=None, source=RunSource.WEB, monte_carlo=True):
        version = version or methodology_v1
        parameters = parameter_set_for(version)
        cells = [
            Cell(start + timedelta(days=d), profile, inferences + d if inferences else 0)
            for d in range(days)
            for profile in sorted(profiles)
        ]
        fingerprint = f"{start}:{days}:{sorted(profiles)}:{inferences}".encode()
        summary = InputSummary(
            sha256=hashlib.sha256(fingerprint).hexdigest(), size_bytes=len(fingerprint) * 10, format="yaml",
            first_day=cells[0].day, last_day=cells[-1].day, days=days, mappings=[],
        )
        if monte_carlo:
            evaluation = services.evaluation_of(version, parameters, summary, cells, region)
        else:  # a run saved before the Monte Carlo existed: its interval is "not computed"
            evaluation = services.Evaluation(version, parameters, summary, compute(cells, parameters, region))
        return services.save_run(evaluation, user=user or analyst, source=source, label=label)

    return make
