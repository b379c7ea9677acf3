"""The sealed ledger's canonical bytes and seals, in plain Python (no Django): what an auditor recomputes.

A ledger entry is a *record* (a dict of JSON values: a run or a published methodology version) and
two SHA-256 digests, as docs/audit-trail.md specifies byte for byte:

    content_sha256 = SHA-256( canonical_bytes(record) )
    seal           = SHA-256( previous_seal + "\\n" + content_sha256 )      (ASCII hex digests)

where the previous seal of the first entry is GENESIS_SEAL and `canonical_bytes` is the record as
JSON with sorted keys, no spaces, UTF-8, and every number a float (`repr`, which reads back exactly)
except the counts, which are integers. Records are built here from plain values, so that the app (at
save time, and from the database when verifying) and an archive give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

import orjson

from calculations.engine.counts_hash import CHUNK_ROWS, PLAIN_TEXT, hash_plain_rows

GENESIS_SEAL = "0" * 64
# A record's "format" (docs/audit-trail.md). Runs: 1 until the counts hash and cached input tokens were
# sealed, 2 since (the run's counts_sha256; cached input tokens in its cells, totals and profiles). A
# record is verified in the format it was sealed in, which its content hash pins. Versions: still 1.
RECORD_FORMAT = 1
RUN_RECORD_FORMAT = 2
RUN_RECORD_FORMATS = (2, 1)  # newest first
# The estimates of a run, each as [value, low, high] or null ("not assessed"), in this order.
ESTIMATES = ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e", "embodied_gco2e", "carbon_total_gco2e", "water_l")
# Estimates a record holds only when assessed (absent: not assessed): market-based carbon came after runs were
# sealed, whose records have no such key and keep their bytes (docs/audit-trail.md).
WHEN_ASSESSED = frozenset({"carbon_market_gco2e"})
RUN = "run"
METHODOLOGY_VERSION = "methodology_version"


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """The exact bytes a record's content hash covers: `json.dumps(record, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)` in UTF-8 (docs/audit-trail.md)."""
    cells = record.get("cells")
    if isinstance(cells, CellRows) and cells.plain and min(record) == "cells":
        # A large run's cells are most of its record: orjson writes them ~10x faster, and for rows of
        # plain ASCII text, ints and None its bytes are json.dumps's (tests/audit/test_ledger_canonical.py).
        rest = _json({key: value for key, value in record.items() if key != "cells"})
        return b'{"cells":' + orjson.dumps(cells) + (b"," + rest[1:] if len(rest) > 2 else b"}")
    return _json(record)


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


class CellRows(list):
    """A run record's cell rows, knowing whether they hold only plain ASCII text, 64-bit ints and None
    (checked once on the columns they were built from), which json and orjson write alike."""

    plain = False


_INT64 = (-2**63, 2**63 - 1)
_IS_SET = functools.partial(operator.is_not, None)


def _plain_columns(texts: Iterable, inferences: Sequence, *explicit: Sequence) -> bool:
    """Whether `texts` (the profile codes) are plain ASCII and the counts 64-bit ints or None."""
    if not all(type(text) is str and PLAIN_TEXT.fullmatch(text) for text in texts):
        return False
    counts = [inferences, *(list(filter(_IS_SET, column)) for column in explicit)]
    return all(set(map(type, column)) <= {int} and (not column or _INT64[0] <= min(column) <= max(column) <= _INT64[1])
               for column in counts)


def content_sha256(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def seal(previous_seal: str, content_hash: str) -> str:
    """The seal of an entry: its content hash chained to the previous entry's seal."""
    return hashlib.sha256(f"{previous_seal}\n{content_hash}".encode("ascii")).hexdigest()


def timestamp(moment: datetime | None) -> str | None:
    """UTC, ISO 8601 to the microsecond, with a Z: the form databases store exactly."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def estimate(value: float | None, low: float | None, high: float | None) -> list[float] | None:
    return None if value is None else [float(value), float(low), float(high)]


def figures_of(row: Any) -> dict[str, Any]:
    """Inferences, tokens and each estimate as a (value, low, high) tuple or None, of a stored row
    (`<name>_value` columns) or of an engine result (`Estimate` attributes): what run_record takes.
    Cached input tokens are 0 where the row has none (historical models before calculations 0006)."""
    return {"inferences": row.inferences, "input_tokens": row.input_tokens, "output_tokens": row.output_tokens,
            "cached_input_tokens": getattr(row, "cached_input_tokens", 0),
            **{name: _estimate_tuple(row, name) for name in ESTIMATES}}


def _estimate_tuple(row: Any, name: str) -> tuple | None:
    if hasattr(row, f"{name}_value"):
        value = getattr(row, f"{name}_value")
        return None if value is None else (value, getattr(row, f"{name}_low"), getattr(row, f"{name}_high"))
    result = getattr(row, name, None)  # none: a historical model before the estimate existed (audit 0002)
    return None if result is None else (result.value, result.low, result.high)


def _figures(source: Mapping[str, Any], record_format: int) -> dict[str, Any]:
    """Inferences, tokens and every estimate of a total or a profile (`source`: name -> value/low/high tuple);
    from format 2, the cached input tokens too (an integer)."""
    cached = {"cached_input_tokens": int(source.get("cached_input_tokens") or 0)} if record_format >= 2 else {}
    return {
        "inferences": int(source["inferences"]),
        "input_tokens": float(source["input_tokens"]),
        **cached,
        "output_tokens": float(source["output_tokens"]),
        **{name: estimate(*source[name]) if source.get(name) is not None else None for name in ESTIMATES
           if source.get(name) is not None or name not in WHEN_ASSESSED},
    }


def run_record(
    fields: Mapping[str, Any],
    cells: tuple[Sequence, ...],
    totals: Mapping[str, Any],
    profiles: Iterable[Mapping[str, Any]],
    record_format: int = RUN_RECORD_FORMAT,
) -> dict[str, Any]:
    """A run's record, in `record_format` (RUN_RECORD_FORMATS).

    fields: id, created_at (aware datetime), user (username or None), source, label, project (or None),
    methodology_number, methodology_sha256, region, profile_option, engine_version, input_sha256,
    input_bytes, input_format, first_day, last_day, days, mappings, derived_from (id or None), uncertainty (the
    stored Monte Carlo, or None: saved before it existed), and from format 2 counts_sha256,
    inferences_reported (False: the report counts no requests) and generic_models (names mapped to `generic`).
    cells: five columns (days, profiles, inferences, explicit input tokens or None, explicit output tokens or
    None), sorted by (day, profile), and from format 2 a sixth, the cached input tokens or None: a cell that
    has them gets them as a sixth element (as in the counts hash). totals and each profile: inferences,
    input_tokens, output_tokens (format 2: cached_input_tokens) and each of ESTIMATES as a (value, low, high)
    tuple or None; profiles also carry `profile` and `model`.
    """
    counts_hash = {"counts_sha256": fields["counts_sha256"], "inferences_reported": bool(fields["inferences_reported"]),
                   "generic_models": list(fields["generic_models"])} if record_format >= 2 else {}
    return {
        "format": record_format,
        **counts_hash,
        "kind": RUN,
        "id": int(fields["id"]),
        "created_at": timestamp(fields["created_at"]),
        "user": fields["user"],
        "source": fields["source"],
        "label": fields["label"],
        "project": fields["project"],
        "methodology": {"number": int(fields["methodology_number"]), "sha256": fields["methodology_sha256"]},
        "region": fields["region"],
        "profile_option": fields["profile_option"],
        "engine_version": fields["engine_version"],
        "input": {
            "sha256": fields["input_sha256"],
            "bytes": int(fields["input_bytes"]),
            "format": fields["input_format"],
            "first_day": _day(fields["first_day"]),
            "last_day": _day(fields["last_day"]),
            "days": int(fields["days"]),
        },
        "mappings": list(fields["mappings"]),
        "derived_from": fields["derived_from"],
        "cells": _cell_rows(*cells[:5]) if record_format < 2 else _cell_rows(*cells),
        **results(totals, profiles, record_format),
        "uncertainty": uncertainty(fields["uncertainty"]),
    }


# The integers of a run's stored Monte Carlo (calculations/engine/uncertainty.py: Uncertainty.as_dict);
# every other number in it is a float.
_UNCERTAINTY_COUNTS = frozenset({"draws", "seed", "counts"})


def uncertainty(stored: Any) -> Any:
    """A run's stored Monte Carlo (or None) in canonical form: its structure as stored, "draws", "seed"
    and the histogram's "counts" as integers and every other number as a float.

    A database may give the numbers back in another type (PostgreSQL's jsonb stores 1e16 as an exact
    decimal, read back as the integer 10000000000000000) and the keys in another order (sorted by
    canonical_bytes): both read the same here. A value that is not a whole number where a count is
    expected is kept as it is, so that an edit shows as a changed hash.
    """
    return _numbers(stored, integral=False)


def _numbers(value: Any, *, integral: bool) -> Any:
    if isinstance(value, Mapping):
        return {key: _numbers(item, integral=key in _UNCERTAINTY_COUNTS) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_numbers(item, integral=integral) for item in value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if integral:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    try:
        return float(value)
    except OverflowError:  # an integer no double holds: never stored by the app, so kept as it is
        return value


def results(totals: Mapping[str, Any], profiles: Iterable[Mapping[str, Any]],
            record_format: int = RUN_RECORD_FORMAT) -> dict[str, Any]:
    """The "totals" and "profiles" parts of a run record (see run_record)."""
    return {
        "totals": _figures(totals, record_format),
        "profiles": {p["profile"]: {"model": p["model"], **_figures(p, record_format)} for p in profiles},
    }


def run_content_sha256(fields: Mapping[str, Any], cells: tuple[Sequence, ...],
                       totals: Mapping[str, Any], profiles: Iterable[Mapping[str, Any]],
                       record_format: int = RUN_RECORD_FORMAT, *, chunk: int = CHUNK_ROWS) -> str:
    """content_sha256(run_record(...)) without holding the record: the cells are written and hashed
    `chunk` rows at a time (a 50 MB upload's record would be tens of MB more at the end of its save)."""
    days, codes, *counts = cells[:5]
    cached = cells[5] if len(cells) > 5 and record_format >= 2 else ()
    # (A day's text, YYYY-MM-DD, is always plain: only the profile codes need the check.)
    if any(n is not None for n in cached) or not _plain_columns(set(codes), *counts):
        return content_sha256(run_record(fields, cells, totals, profiles, record_format))
    rest = _json(run_record(fields, ([], [], [], [], []), totals, profiles, record_format) | {"cells": None})
    digest = hashlib.sha256(b'{"cells":[')
    hash_plain_rows(digest, days, codes, *counts, chunk=chunk)
    # `rest` is the record with "cells" first (the smallest key) set to null: keep what follows it.
    digest.update(b"]" + rest[len(b'{"cells":null'):])
    return digest.hexdigest()


def version_record(*, number: int, sha256: str, published_at: datetime, published_by: str | None, label: str,
                   changelog: str) -> dict[str, Any]:
    """A published methodology version's record: its identity and the hash of its whole parameter set."""
    return {
        "format": RECORD_FORMAT,
        "kind": METHODOLOGY_VERSION,
        "number": int(number),
        "sha256": sha256,
        "published_at": timestamp(published_at),
        "published_by": published_by,
        "label": label,
        "changelog": changelog,
    }


def _cell_rows(days: Sequence[date], profiles: Sequence[str], *counts: Sequence) -> CellRows:
    """[day, profile, inferences, explicit input, explicit output] a cell (tuples: JSON arrays), and the cached
    input tokens as a sixth element in the cells that have them (a sixth column, format 2); each distinct
    day formatted once (a year of five profiles has 1 825 cells but 365 days)."""
    texts = {day: day.isoformat() for day in set(days)}
    if len(counts) > 3:
        counts, cached = counts[:3], counts[3]
        if any(n is not None for n in cached):
            rows = CellRows((text, code, *rest) if n is None else (text, code, *rest, n)
                            for text, code, *rest, n in zip(map(texts.__getitem__, days), profiles, *counts, cached))
            return rows  # not plain: json.dumps writes them
    rows = CellRows(zip(map(texts.__getitem__, days), profiles, *counts))
    rows.plain = _plain_columns(set(profiles), *counts)  # a day's text, YYYY-MM-DD, is always plain
    return rows


def _day(day: date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()
