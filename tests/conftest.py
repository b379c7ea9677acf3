"""Fixtures shared by the whole suite."""

from dataclasses import replace
from pathlib import Path

import pytest

from calculations.engine.config import load_config_dir
from calculations.engine.canonical import parameter_set_sha256

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_DIR / "config"
EXAMPLES_DIR = PROJECT_DIR / "examples"


@pytest.fixture(scope="session")
def default_parameters():
    """Methodology version 1 as shipped in config/."""
    return load_config_dir(CONFIG_DIR)


@pytest.fixture
def replace_param():
    """replace_param(parameters, "models", code, "efficiency", Param(...)) -> a new parameter set."""

    def _replace(parameters, section, code, name, param):
        entries = dict(getattr(parameters, section))
        entries[code] = replace(entries[code], **{name: param})
        changed = replace(parameters, **{section: entries}, _alias_index={})
        object.__setattr__(changed, "sha256", parameter_set_sha256(changed))
        return changed

    return _replace
