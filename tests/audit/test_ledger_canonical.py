"""The canonical bytes of a record: json.dumps with sorted keys and no spaces, whichever way they are written."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from audit import canonical

FIELDS = {
    "id": 7, "created_at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc), "user": "zoë", "source": "api",
    "label": "Rapport « 2025 »", "project": None, "methodology_number": 1, "methodology_sha256": "a" * 64,
    "region": "france", "profile_option": "", "engine_version": "1.0.0", "input_sha256": "b" * 64,
    "input_bytes": 12, "input_format": "csv", "first_day": date(2025, 1, 1), "last_day": date(2025, 1, 2),
    "days": 2, "mappings": [{"profile": "chatbot", "rule": "type", "source_groups": 2}], "derived_from": None,
    "uncertainty": None, "counts_sha256": "c" * 64, "inferences_reported": True, "generic_models": [],
}
# A stored Monte Carlo as a database may give it back: keys in another order, a float read as an integer.
STORED_UNCERTAINTY = {
    "totals": {"energy_kwh": {"p95": 2.0, "p50": 0.1, "p5": 10000000000000000, "mean": 1e-20}, "water_l": None},
    "seed": 5001.0, "draws": 20000,
    "profiles": {"chatbot": {"energy_kwh": {"p5": 0.5, "p50": 1, "p95": 2.0, "mean": 1.4000000000000001e-05}}},
    "drivers": [{"section": "regions", "code": "france", "parameter": "pue", "energy_kwh": 1, "carbon_gco2e": 0.25}],
    "histogram": {"metric": "carbon_gco2e", "edges": [0, 0.5], "counts": [20000.0]},
}
UNCERTAINTY_BYTES = (
    b'"uncertainty":{"draws":20000,"drivers":[{"carbon_gco2e":0.25,"code":"france","energy_kwh":1.0,'
    b'"parameter":"pue","section":"regions"}],"histogram":{"counts":[20000],"edges":[0.0,0.5],'
    b'"metric":"carbon_gco2e"},"profiles":{"chatbot":{"energy_kwh":{"mean":1.4000000000000001e-05,'
    b'"p5":0.5,"p50":1.0,"p95":2.0}}},"seed":5001,"totals":{"energy_kwh":{"mean":1e-20,"p5":1e+16,'
    b'"p50":0.1,"p95":2.0},"water_l":null}}'
)
TOTALS = {"inferences": 3, "input_tokens": 1500, "output_tokens": 2.5e-05, "energy_kwh": (1.0, 0.5, 2.0),
          "carbon_gco2e": (0.1, 0.05, 1e-20), "embodied_gco2e": None, "carbon_total_gco2e": None, "water_l": None}


def _record(profiles: list[str], explicit=(None, None), uncertainty=None):
    days = [date(2025, 1, 1), date(2025, 1, 2)]
    columns = (days, profiles, [1, 2], [explicit[0], 5], [None, explicit[1]])
    return canonical.run_record(FIELDS | {"uncertainty": uncertainty}, columns, TOTALS, [{"profile": "chatbot", "model": "m", **TOTALS}])


def _plain_json(record) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize("uncertainty", [None, STORED_UNCERTAINTY])
@pytest.mark.parametrize(("profiles", "explicit", "fast"), [
    (["chatbot", "completion"], (None, None), True),
    (["chat-bot_2", "x.y"], (10**12, 0), True),
    (["chatbot", 'quo"te'], (None, None), False),
    (["chatbot", "émoji-☃"], (None, None), False),
    (["chatbot", "tab\there"], (None, None), False),
    (["chatbot", "completion"], (2**70, None), False),
])
def test_canonical_bytes_are_json_dumps_with_sorted_keys_and_no_spaces(profiles, explicit, fast, uncertainty):
    record = _record(profiles, explicit, uncertainty)
    assert record["cells"].plain is fast
    assert canonical.canonical_bytes(record) == _plain_json(record)


@pytest.mark.parametrize("uncertainty", [None, STORED_UNCERTAINTY])
def test_a_record_read_back_from_json_has_the_same_bytes(uncertainty):
    record = _record(["chatbot", "completion"], uncertainty=uncertainty)
    assert canonical.canonical_bytes(json.loads(_plain_json(record))) == canonical.canonical_bytes(record)


def test_numbers_are_floats_in_repr_form_and_counts_are_integers():
    text = canonical.canonical_bytes(_record(["chatbot", "completion"])).decode()
    assert '"input_tokens":1500.0' in text and '"output_tokens":2.5e-05' in text
    assert '"carbon_gco2e":[0.1,0.05,1e-20]' in text
    assert '"cells":[["2025-01-01","chatbot",1,null,null],["2025-01-02","completion",2,5,null]]' in text
    assert '"created_at":"2026-01-02T03:04:05.000006Z"' in text


def test_a_run_without_monte_carlo_has_a_null_uncertainty():
    assert b',"uncertainty":null,"user":' in canonical.canonical_bytes(_record(["chatbot", "completion"]))


def test_the_stored_monte_carlo_is_sealed_with_counts_as_integers_and_every_other_number_a_float():
    text = canonical.canonical_bytes(_record(["chatbot", "completion"], uncertainty=STORED_UNCERTAINTY))
    assert b"," + UNCERTAINTY_BYTES + b',"user":' in text


def test_the_documented_bytes_of_a_monte_carlo_are_the_canonical_ones():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "audit-trail.md").read_text(encoding="utf-8")
    assert UNCERTAINTY_BYTES.decode() in docs.replace("\\n\n", "")


def test_an_edited_count_of_the_monte_carlo_changes_the_bytes():
    edited = STORED_UNCERTAINTY | {"draws": 20000.5}
    assert (canonical.canonical_bytes(_record(["chatbot"] * 2, uncertainty=edited))
            != canonical.canonical_bytes(_record(["chatbot"] * 2, uncertainty=STORED_UNCERTAINTY)))


def test_the_seal_chains_the_previous_seal_and_the_content_hash():
    import hashlib

    content = canonical.content_sha256(_record(["chatbot", "completion"]))
    assert canonical.seal(canonical.GENESIS_SEAL, content) == hashlib.sha256(
        ("0" * 64 + "\n" + content).encode()).hexdigest()


@pytest.mark.parametrize("uncertainty", [None, STORED_UNCERTAINTY])
@pytest.mark.parametrize("chunk", [1, 2, 3, 20_000])
@pytest.mark.parametrize("profiles", [["chatbot", "completion"], ["chatbot", "émoji-☃"]])
def test_the_streamed_content_hash_is_the_record_s(profiles, chunk, uncertainty):
    days = [date(2025, 1, 1), date(2025, 1, 2)]
    columns = (days, profiles, [1, 2], [None, 5], [None, None])
    parts = (FIELDS | {"uncertainty": uncertainty}, columns, TOTALS, [{"profile": "chatbot", "model": "m", **TOTALS}])
    assert canonical.run_content_sha256(*parts, chunk=chunk) == canonical.content_sha256(canonical.run_record(*parts))


@pytest.mark.parametrize("uncertainty", [None, STORED_UNCERTAINTY])
def test_the_streamed_content_hash_of_a_run_without_cells_is_the_record_s(uncertainty):
    parts = (FIELDS | {"uncertainty": uncertainty}, ([], [], [], [], []), TOTALS, [])
    assert canonical.run_content_sha256(*parts) == canonical.content_sha256(canonical.run_record(*parts))


def test_a_run_record_of_format_2_seals_the_counts_hash_and_format_1_does_not():
    days = [date(2025, 1, 1)]
    columns = (days, ["chatbot"], [1], [None], [None])
    profiles = [{"profile": "chatbot", "model": "m", **TOTALS}]
    current = canonical.run_record(FIELDS, columns, TOTALS, profiles)
    older = canonical.run_record(FIELDS, columns, TOTALS, profiles, 1)
    assert (current["format"], current["counts_sha256"]) == (2, "c" * 64)
    assert older["format"] == 1 and "counts_sha256" not in older
    assert "cached_input_tokens" in current["totals"] and "cached_input_tokens" not in older["totals"]


def test_cached_input_tokens_are_a_sixth_element_of_the_cells_that_have_them():
    days = [date(2025, 1, 1), date(2025, 1, 2)]
    columns = (days, ["chatbot", "chatbot"], [1, 2], [100, 5], [None, None], [60, None])
    record = canonical.run_record(FIELDS, columns, TOTALS, [])
    assert [list(row) for row in record["cells"]] == [["2025-01-01", "chatbot", 1, 100, None, 60],
                                                      ["2025-01-02", "chatbot", 2, 5, None]]
    assert canonical.run_content_sha256(FIELDS, columns, TOTALS, []) == canonical.content_sha256(record)
