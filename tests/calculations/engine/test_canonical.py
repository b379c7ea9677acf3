import hashlib
import json

from calculations.engine.canonical import canonical_json, parameter_set_from_canonical, parameter_set_sha256
from calculations.engine.diff import diff_canonical
from calculations.engine.canonical import canonical_dict
from calculations.engine.parameters import Param


def test_identical_parameter_sets_hash_the_same(default_parameters, replace_param):
    """A set rebuilt with a new, equal parameter object (not the very same one) hashes the same."""
    pue = default_parameters.regions["france"].pue
    same = replace_param(default_parameters, "regions", "france", "pue", Param(pue.value, pue.low, pue.high))
    assert same.regions["france"].pue is not pue
    assert parameter_set_sha256(same) == default_parameters.sha256


def test_the_hash_is_the_sha256_of_the_canonical_json(default_parameters):
    """What an auditor recomputes with any SHA-256 tool from the exported canonical text."""
    expected = hashlib.sha256(canonical_json(default_parameters).encode("utf-8")).hexdigest()
    assert default_parameters.sha256 == parameter_set_sha256(default_parameters) == expected


def test_an_integer_and_the_equal_float_hash_the_same(default_parameters, replace_param):
    as_int = replace_param(default_parameters, "models", "llm-large-4xh100", "gpu_count", Param(4, 4, 4))
    as_float = replace_param(default_parameters, "models", "llm-large-4xh100", "gpu_count", Param(4.0, 4.0, 4.0))
    assert parameter_set_sha256(as_int) == parameter_set_sha256(as_float)


def test_any_parameter_change_changes_the_hash(default_parameters, replace_param):
    changed = replace_param(default_parameters, "regions", "france", "carbon_intensity", Param(50, 21.7, 56))
    assert changed.sha256 != default_parameters.sha256


def test_canonical_json_has_sorted_keys_and_no_spaces(default_parameters):
    text = canonical_json(default_parameters)
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_a_snapshot_rebuilds_the_same_parameter_set(default_parameters):
    rebuilt = parameter_set_from_canonical(canonical_dict(default_parameters), version=3)
    assert rebuilt.sha256 == default_parameters.sha256
    assert rebuilt.version == 3
    assert rebuilt.profiles["chatbot"] == default_parameters.profiles["chatbot"]


def test_diff_lists_a_changed_parameter_with_old_and_new_range(default_parameters, replace_param):
    changed = replace_param(default_parameters, "regions", "france", "carbon_intensity", Param(50, 21.7, 56))
    [change] = diff_canonical(canonical_dict(default_parameters), canonical_dict(changed))
    assert (change.kind, change.section, change.code, change.field) == ("changed", "regions", "france", "carbon_intensity")
    assert change.old == {"value": 44.0, "low": 21.7, "high": 56.0}
    assert change.new == {"value": 50.0, "low": 21.7, "high": 56.0}


def test_diff_lists_added_and_removed_entries(default_parameters):
    old, new = canonical_dict(default_parameters), canonical_dict(default_parameters)
    new["regions"]["spain"] = new["regions"].pop("sweden")
    kinds = [(c.kind, c.code) for c in diff_canonical(old, new)]
    assert kinds == [("added", "spain"), ("removed", "sweden")]


# --------------------------------------------------------------------------- survivors of mutation testing


def test_the_hash_covers_the_region_and_model_extension_parameters(default_parameters, replace_param):
    """Water (wue) and embodied carbon are hypotheses like the others: changing one changes the hash."""
    water = replace_param(default_parameters, "regions", "france", "wue", Param(9, 8, 10))
    embodied = replace_param(default_parameters, "models", "llm-large-4xh100", "embodied_kgco2e", Param(9, 8, 10))
    assert len({default_parameters.sha256, water.sha256, embodied.sha256}) == 3


def test_canonical_json_keeps_non_ascii_text_as_written(default_parameters):
    """The canonical text is UTF-8, not ASCII escapes: "Électricité" stays one readable word."""
    from dataclasses import replace

    regions = {**default_parameters.regions, "france": replace(default_parameters.regions["france"], name="Électricité")}
    text = canonical_json(replace(default_parameters, regions=regions, _alias_index={}))
    assert '"Électricité"' in text and "\\u00c9" not in text


def test_canonical_json_refuses_a_nan_parameter(default_parameters, replace_param):
    import math

    import pytest

    with pytest.raises(ValueError):
        replace_param(default_parameters, "regions", "france", "pue", Param(math.nan, 1.0, 2.0))


def test_a_snapshot_rebuilds_every_entry_with_its_code(default_parameters):
    rebuilt = parameter_set_from_canonical(canonical_dict(default_parameters))
    assert rebuilt.regions == default_parameters.regions
    assert rebuilt.models == default_parameters.models
    assert rebuilt.equivalents == default_parameters.equivalents
    assert all(code == entry.code for section in (rebuilt.regions, rebuilt.models, rebuilt.equivalents)
               for code, entry in section.items())


def test_a_snapshot_from_before_equivalents_rebuilds_with_none(default_parameters):
    snapshot = canonical_dict(default_parameters)
    del snapshot["equivalents"]
    assert parameter_set_from_canonical(snapshot).equivalents == {}
