"""The SHA-256 of what a run counted: its daily cells in one canonical form, whatever the file's format.

Two uploads of the same usage (one YAML, one CSV) have different file hashes but the same cells, hence
the same counts hash; a re-evaluation keeps its run's cells, hence its hash. The canonical form is the
`cells` value of the audit ledger's run record (docs/audit-trail.md): a JSON array, sorted by (day,
profile), of `[day "YYYY-MM-DD", profile, inferences, explicit input tokens or null, explicit output
tokens or null]`, followed by the cached input tokens in the rows that report them (a sixth element,
absent otherwise: a run without cached tokens keeps the hash it always had), with no spaces, non-ASCII characters as themselves, in UTF-8
(`json.dumps(rows, separators=(",", ":"), ensure_ascii=False)`); docs/methodology.md section 10.

Plain Python, no Django: the save and the data migration of existing runs call the same function.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

import orjson

PLAIN_TEXT = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII but '"' and '\\': json and orjson write it alike
CHUNK_ROWS = 20_000
_INT_OR_NONE = {int, type(None)}


def counts_sha256(days: Sequence, profiles: Sequence[str], inferences: Sequence[int],
                  input_tokens: Sequence[int | None], output_tokens: Sequence[int | None],
                  cached_input_tokens: Sequence[int | None] | None = None) -> str:
    """The hex SHA-256 of the canonical cells (columns sorted by (day, profile), as CellColumns holds them)."""
    if cached_input_tokens is not None and any(n is not None for n in cached_input_tokens):
        rows = [[day.isoformat(), *rest] + ([] if cached is None else [cached])
                for day, *rest, cached in zip(days, profiles, inferences, input_tokens, output_tokens,
                                              cached_input_tokens)]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).hexdigest()
    counts = (inferences, input_tokens, output_tokens)
    plain = (all(PLAIN_TEXT.fullmatch(code) for code in set(profiles))
             and all(set(map(type, column)) <= _INT_OR_NONE for column in counts))  # the loop in C
    if not plain:  # the reference form, for codes orjson might write otherwise
        texts = {day: day.isoformat() for day in set(days)}
        rows = [list(row) for row in zip(map(texts.__getitem__, days), profiles, *counts)]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).hexdigest()
    digest = hashlib.sha256(b"[")
    hash_plain_rows(digest, days, profiles, *counts, chunk=CHUNK_ROWS)
    digest.update(b"]")
    return digest.hexdigest()


def hash_plain_rows(digest, days: Sequence, profiles: Sequence[str], *counts: Sequence,
                    chunk: int = CHUNK_ROWS) -> None:
    """Feed `digest` the rows `[day "YYYY-MM-DD", profile, *counts]` as JSON, comma-separated, without the
    brackets around them, `chunk` rows at a time (also the sealed record's cells, audit/canonical.py).

    For plain text (PLAIN_TEXT), ints and None, which the caller checks, orjson writes the bytes json.dumps
    writes, ~10x faster; a chunk at a time, a large upload's cells are hashed without holding their text."""
    texts = {day: day.isoformat() for day in set(days)}
    for start in range(0, len(days), chunk):
        window = slice(start, start + chunk)
        rows = list(zip(map(texts.__getitem__, days[window]), profiles[window], *(c[window] for c in counts)))
        digest.update((b"," if start else b"") + orjson.dumps(rows)[1:-1])
