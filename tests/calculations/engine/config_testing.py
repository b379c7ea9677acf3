"""Shared by the methodology-file tests (test_config.py, test_config_refusals.py): version 1's documents
changed one key at a time, and the issues a refusal lists."""

from __future__ import annotations

import copy

import pytest

from calculations.engine.config import ConfigError, parameter_set_from_docs

REGIONS, MODELS = "config.yaml", "config_model.yaml"
REMOVED = object()  # as the new value: the key is deleted
NOT_A_SLUG = "a code must be a slug ([a-z0-9][a-z0-9_-]*)"
NOT_A_MAPPING = "must be a non-empty mapping of code -> entry"


def issues_of(regions_doc, models_doc) -> list[tuple[str, str, str]]:
    """(file, key path, reason) of each issue of the refusal the two documents must meet."""
    with pytest.raises(ConfigError) as refused:
        parameter_set_from_docs(regions_doc, models_doc)
    return [(i.file, i.path, i.reason) for i in refused.value.issues]


def changed(config_docs, file: str, path: list, value):
    """A copy of the two documents with the key at `path` of `file` set to `value` (or deleted: REMOVED)."""
    regions, models = copy.deepcopy(config_docs)
    entry = regions if file == REGIONS else models
    for key in path[:-1]:
        entry = entry[key]
    if value is REMOVED:
        del entry[path[-1]]
    else:
        entry[path[-1]] = value
    return regions, models
