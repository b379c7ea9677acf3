"""The counts hash (calculations/engine/counts_hash.py): the canonical cells of docs/audit-trail.md, hashed."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from calculations.engine import counts_hash
from calculations.engine.analytics import Cell, CellColumns

CELLS = CellColumns.of([Cell(date(2025, 1, 1), "chatbot", 12), Cell(date(2025, 1, 1), "summary", 3, 4500, None),
                        Cell(date(2025, 1, 2), "chatbot", 0, 10, 20)])


def _reference(rows) -> str:
    return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).hexdigest()


def test_the_hash_is_that_of_the_compact_json_of_the_sorted_cell_rows():
    assert counts_hash.counts_sha256(*CELLS.columns()) == hashlib.sha256(
        b'[["2025-01-01","chatbot",12,null,null],["2025-01-01","summary",3,4500,null],'
        b'["2025-01-02","chatbot",0,10,20]]').hexdigest()


def test_a_profile_code_outside_plain_ascii_is_written_as_itself():
    cells = CellColumns.of([Cell(date(2025, 1, 1), "résumé", 1), Cell(date(2025, 1, 1), 'quo"te', 2)])
    assert counts_hash.counts_sha256(*cells.columns()) == _reference(
        [["2025-01-01", "résumé", 1, None, None], ["2025-01-01", 'quo"te', 2, None, None]])


def test_chunks_give_the_hash_of_the_whole(monkeypatch):
    whole = counts_hash.counts_sha256(*CELLS.columns())
    monkeypatch.setattr(counts_hash, "CHUNK_ROWS", 2)
    assert counts_hash.counts_sha256(*CELLS.columns()) == whole


def test_no_cell_hashes_the_empty_array():
    assert counts_hash.counts_sha256([], [], [], [], []) == hashlib.sha256(b"[]").hexdigest()


def test_a_different_count_gives_a_different_hash():
    changed = CellColumns.of([*list(CELLS)[:2], Cell(date(2025, 1, 2), "chatbot", 1, 10, 20)])
    assert counts_hash.counts_sha256(*changed.columns()) != counts_hash.counts_sha256(*CELLS.columns())


def test_cells_without_cached_input_tokens_keep_the_hash_they_always_had():
    assert counts_hash.counts_sha256(*CELLS.all_columns()) == counts_hash.counts_sha256(*CELLS.columns())


def test_cached_input_tokens_are_a_sixth_element_of_the_rows_that_have_them():
    cells = CellColumns.of([Cell(date(2025, 1, 1), "chatbot", 1, 100, 5, 60), Cell(date(2025, 1, 2), "chatbot", 2)])
    assert counts_hash.counts_sha256(*cells.all_columns()) == _reference(
        [["2025-01-01", "chatbot", 1, 100, 5, 60], ["2025-01-02", "chatbot", 2, None, None]])


def test_every_row_reporting_cached_input_tokens_gets_its_sixth_element():
    cells = CellColumns.of([Cell(date(2025, 1, 1), "chatbot", 1, 100, 5, 60), Cell(date(2025, 1, 2), "chatbot", 2, 50, 7, 0)])
    assert counts_hash.counts_sha256(*cells.all_columns()) == hashlib.sha256(
        b'[["2025-01-01","chatbot",1,100,5,60],["2025-01-02","chatbot",2,50,7,0]]').hexdigest()


def test_a_profile_code_outside_ascii_is_written_as_itself_beside_cached_input_tokens():
    cells = CellColumns.of([Cell(date(2025, 1, 1), "résumé", 1, 100, 5, 60)])
    assert counts_hash.counts_sha256(*cells.all_columns()) == hashlib.sha256(
        '[["2025-01-01","résumé",1,100,5,60]]'.encode("utf-8")).hexdigest()
