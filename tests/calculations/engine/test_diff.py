"""What changed between two methodologies (calculations/engine/diff.py), on small canonical dicts written by hand:
the methodology browser's diff lists these changes, each as its `as_dict`."""

from __future__ import annotations

from calculations.engine.diff import Change, diff_canonical

PUE = {"value": 1.2, "low": 1.1, "high": 1.4}
OLD = {
    "default_region": "france",
    "regions": {"france": {"name": "France", "pue": PUE}, "sweden": {"name": "Sweden", "pue": PUE}},
    "models": {"m": {"name": "M", "gpu_count": 1}},
    "profiles": {"chat": {"name": "Chat", "model": "m"}},
}


def test_every_kind_of_change_is_listed_in_a_stable_order_with_old_and_new_values():
    new = {
        "default_region": "spain",
        "regions": {"france": {"name": "France", "pue": {"value": 1.3, "low": 1.1, "high": 1.4}},
                    "spain": {"name": "Spain", "pue": PUE}},
        "models": {"m": {"name": "M", "gpu_count": 1, "procurement": "cloud"}},
        "profiles": {"chat": {"name": "Chat"}},
        "equivalents": {"tree": {"name": "Tree", "amount": 20}},
    }
    assert [change.as_dict() for change in diff_canonical(OLD, new)] == [
        {"kind": "changed", "section": "default_region", "code": None, "field": None, "old": "france", "new": "spain"},
        {"kind": "changed", "section": "regions", "code": "france", "field": "pue", "old": PUE,
         "new": {"value": 1.3, "low": 1.1, "high": 1.4}},
        {"kind": "added", "section": "regions", "code": "spain", "field": None, "old": None,
         "new": {"name": "Spain", "pue": PUE}},
        {"kind": "removed", "section": "regions", "code": "sweden", "field": None, "old": {"name": "Sweden", "pue": PUE},
         "new": None},
        {"kind": "changed", "section": "models", "code": "m", "field": "procurement", "old": None, "new": "cloud"},
        {"kind": "changed", "section": "profiles", "code": "chat", "field": "model", "old": "m", "new": None},
        {"kind": "added", "section": "equivalents", "code": "tree", "field": None, "old": None,
         "new": {"name": "Tree", "amount": 20}},
    ]


def test_a_section_missing_from_the_old_version_lists_each_new_entry_as_added():
    old = {key: value for key, value in OLD.items() if key != "models"}
    assert diff_canonical(old, OLD) == [Change("added", "models", "m", None, None, {"name": "M", "gpu_count": 1})]


def test_a_section_missing_from_the_new_version_lists_each_old_entry_as_removed():
    new = {key: value for key, value in OLD.items() if key != "profiles"}
    assert diff_canonical(OLD, new) == [Change("removed", "profiles", "chat", None, {"name": "Chat", "model": "m"}, None)]


def test_identical_methodologies_have_no_change():
    assert diff_canonical(OLD, dict(OLD)) == []


def test_a_change_defaults_to_no_old_and_no_new_value():
    assert Change("added", "regions", "x", None).as_dict() == {
        "kind": "added", "section": "regions", "code": "x", "field": None, "old": None, "new": None}
