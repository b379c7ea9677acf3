"""Fixtures of the analytics parser tests: parameter sets with and without aliases, and shortcuts
that parse text or bytes (accepted) or expect a refusal."""

from __future__ import annotations

import time
from dataclasses import fields, replace
from pathlib import Path

import pytest
import yaml

from calculations.engine.analytics import AnalyticsError
from calculations.engine.config import load_config_dir, parameter_set_from_docs, parameter_set_to_docs
from calculations.engine.parameters import Param
from calculations.engine.parser import parse_analytics

CONFIG_DIR = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "methodology-v1" / "config"  # version 1, frozen

# Aliases a methodology owner could declare for real exports (methodology.md section 4).
ALIASES = {
    "chatbot": ["ChatWithMe", "gpt-4.1"],
    "completion": ["gpt-4.1-mini", "5b754113-503e-48f3-8065-3f29f2960366"],
    "summary": ["SummarizeMe"],
}


@pytest.fixture(scope="session")
def parameters():
    """Methodology version 1 (frozen): five profiles, aliases of open-weight models only."""
    return load_config_dir(CONFIG_DIR)


@pytest.fixture(scope="module")
def config_docs():
    """Version 1's two methodology documents (config.yaml, config_model.yaml) as read from YAML: tests copy
    them before changing them."""
    return (
        yaml.safe_load((CONFIG_DIR / "config.yaml").read_text()),
        yaml.safe_load((CONFIG_DIR / "config_model.yaml").read_text()),
    )


@pytest.fixture(scope="session")
def aliased_parameters(parameters):
    """Version 1 with the ALIASES above."""
    regions_doc, models_doc = parameter_set_to_docs(parameters)
    for code, aliases in ALIASES.items():
        models_doc["profiles"][code]["aliases"] = aliases
    return parameter_set_from_docs(regions_doc, models_doc)


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


@pytest.fixture
def parse(parameters):
    """parse(data, **options) -> Analytics, with the default methodology unless `parameters=` is given."""

    def _parse(data: str | bytes, *, parameters=parameters, **options):
        return parse_analytics(_as_bytes(data), parameters, **options)

    return _parse


@pytest.fixture
def refuse(parameters):
    """refuse(data, **options) -> the AnalyticsError the parser must raise."""

    def _refuse(data: str | bytes, *, parameters=parameters, **options) -> AnalyticsError:
        with pytest.raises(AnalyticsError) as caught:
            parse_analytics(_as_bytes(data), parameters, **options)
        return caught.value

    return _refuse


@pytest.fixture
def rows():
    """rows(analytics) -> the cells as tuples (ISO day, profile, inferences, input_tokens, output_tokens)."""

    def _rows(analytics) -> list[tuple]:
        return [(c.day.isoformat(), c.profile, c.inferences, c.input_tokens, c.output_tokens) for c in analytics.cells]

    return _rows


# Aliases for Anthropic's usage report (issue 16): a model name with its date suffix maps through these.
ANTHROPIC_ALIASES = {"chatbot": ["claude-sonnet-4"], "completion": ["claude-3-5-haiku"]}


def _with_profiles(parameters, aliases: dict[str, list[str]], generic: bool):
    """`parameters` with only `aliases` (others cleared) and, when `generic`, a usage profile `generic`
    (on the chatbot's model, very wide sizes) as the unknown_models option needs."""
    regions_doc, models_doc = parameter_set_to_docs(parameters)
    profiles = models_doc["profiles"]
    for code, profile in profiles.items():
        profile["aliases"] = list(aliases.get(code, []))
    if generic:
        profiles["generic"] = {**profiles["chatbot"], "name": "Generic model", "name_fr": "Modèle générique", "aliases": [],
                               "input_tokens": {"value": 1000, "low": 100, "high": 10000},
                               "output_tokens": {"value": 300, "low": 30, "high": 3000}}
    else:
        profiles.pop("generic", None)
    return parameter_set_from_docs(regions_doc, models_doc)


@pytest.fixture(scope="session")
def anthropic_parameters(parameters):
    """The shipped version with only ANTHROPIC_ALIASES, and no `generic` profile."""
    return _with_profiles(parameters, ANTHROPIC_ALIASES, generic=False)


@pytest.fixture(scope="session")
def generic_parameters(parameters):
    """The shipped version with ANTHROPIC_ALIASES and ALIASES, and a usage profile `generic`."""
    return _with_profiles(parameters, {**ALIASES, **ANTHROPIC_ALIASES} | {
        "chatbot": ALIASES["chatbot"] + ANTHROPIC_ALIASES["chatbot"],
        "completion": ALIASES["completion"] + ANTHROPIC_ALIASES["completion"]}, generic=True)


def fixed(entry):
    """`entry` with every hypothesis at its central value, no range."""
    exact = {f.name: Param.exact(getattr(entry, f.name).value) for f in fields(entry)
             if isinstance(getattr(entry, f.name), Param)}
    return replace(entry, **exact)


@pytest.fixture
def fixed_parameters(default_parameters):
    """Version 1 with every hypothesis fixed at its central value (the uncertainty tests give one a range)."""
    return replace(default_parameters, regions={c: fixed(r) for c, r in default_parameters.regions.items()},
                   models={c: fixed(m) for c, m in default_parameters.models.items()},
                   profiles={c: fixed(p) for c, p in default_parameters.profiles.items()}, _alias_index={})


@pytest.fixture
def cold_draws():
    """The worker's kept Monte Carlo draws emptied before and after the test: draws kept from an earlier
    test would hide a change to how they are drawn."""
    from calculations.engine.draw_cache import DRAWS

    DRAWS.clear()
    yield
    DRAWS.clear()


@pytest.fixture
def far_time_zone(monkeypatch):
    """The process in UTC+14 (Kiribati), where most of a UTC day is already the next day."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
