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

_PLAIN_TEXT = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII but '"' and '\\': json and orjson write it alike
_CHUNK = 20_000
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
    texts = {day: day.isoformat() for day in set(days)}
    counts = (inferences, input_tokens, output_tokens)
    plain = (all(_PLAIN_TEXT.fullmatch(code) for code in set(profiles))
             and all(set(map(type, column)) <= _INT_OR_NONE for column in counts))  # the loop in C
    if not plain:  # the reference form, for codes orjson might write otherwise
        rows = [list(row) for row in zip(map(texts.__getitem__, days), profiles, *counts)]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).hexdigest()
    # orjson writes plain ASCII text, ints and None byte for byte as json.dumps does, ~10x faster:
    # the cells of a large upload are hashed a chunk at a time without holding their text.
    digest = hashlib.sha256(b"[")
    for start in range(0, len(days), _CHUNK):
        window = slice(start, start + _CHUNK)
        rows = list(zip(map(texts.__getitem__, days[window]), profiles[window], *(c[window] for c in counts)))
        digest.update((b"," if start else b"") + orjson.dumps(rows)[1:-1])
    digest.update(b"]")
    return digest.hexdigest()
