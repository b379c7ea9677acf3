"""Checking a ledger, in plain Python (no Django): the chain of seals, and each run recomputed.

Used alike on the database (`verify_ledger`) and on an archive (`verify_archive`, no database), so
both name the same problems in the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from calculations.engine.analytics import CellColumns
from calculations.engine.compute import compute
from calculations.engine.counts_hash import counts_sha256
from calculations.engine.parameters import ParameterSet
from calculations.engine.uncertainty import simulate

from . import canonical

# What can be wrong, in the words the report uses.
ALTERED = "altered"  # the stored record no longer matches the hash sealed for it
DELETED = "deleted"  # sealed, but no longer stored
INSERTED = "inserted"  # stored, but never sealed
CHAIN_BROKEN = "chain broken"  # a seal does not follow from the previous one: reordered, removed or rewritten
MISSING = "missing entries"  # positions skipped in the ledger
NOT_REPRODUCED = "not reproduced"  # recomputing the stored counts does not give the stored results
TRUNCATED = "truncated"  # the ledger no longer reaches a head seen before

# A stored Monte Carlo is recomputed with its own draws and seed up to this many draws (50 times the
# default; memory grows with the draws): a larger number, which only an edit can give, is reported.
MAX_RECOMPUTED_DRAWS = 1_000_000


@dataclass(frozen=True)
class Entry:
    position: int
    kind: str
    object_id: int
    content_sha256: str
    seal: str


@dataclass(frozen=True)
class Problem:
    subject: str  # "run 12", "methodology version 2", "ledger position 7"
    problem: str  # one of the constants above
    detail: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.problem} ({self.detail})"

    def as_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "problem": self.problem, "detail": self.detail}


def subject(kind: str, object_id: int) -> str:
    return f"run {object_id}" if kind == canonical.RUN else f"methodology version {object_id}"


def check_chain(entries: Iterable[Entry], record_of: Callable[[str, int], Mapping | None]) -> list[Problem]:
    """Every entry's record against its content hash, and every seal against the previous one.

    `entries` in position order; `record_of(kind, id)` gives the record as stored now, or None.
    """
    problems: list[Problem] = []
    previous, expected_position = canonical.GENESIS_SEAL, 1
    for entry in entries:
        name = subject(entry.kind, entry.object_id)
        if entry.position != expected_position:
            problems.append(Problem(f"ledger position {expected_position}", MISSING,
                                    f"positions {expected_position} to {entry.position - 1} are gone"))
        expected_position = entry.position + 1
        record = record_of(entry.kind, entry.object_id)
        if record is None:
            problems.append(Problem(name, DELETED, f"sealed at position {entry.position}, no longer stored"))
        elif canonical.content_sha256(record) != entry.content_sha256:
            problems.append(Problem(name, ALTERED,
                                    f"what is stored no longer matches the content sealed at position {entry.position}"))
        if canonical.seal(previous, entry.content_sha256) != entry.seal:
            problems.append(Problem(name, CHAIN_BROKEN, f"the seal at position {entry.position} does not follow "
                                    "from the one before: entries were reordered, removed or rewritten"))
        previous = entry.seal
    return problems


def unsealed(stored: Iterable[tuple[str, int]], entries: Iterable[Entry]) -> list[Problem]:
    """Objects stored but absent from the ledger: written behind the app's back."""
    sealed = {(e.kind, e.object_id) for e in entries}
    return [Problem(subject(kind, object_id), INSERTED, "stored but never sealed")
            for kind, object_id in stored if (kind, object_id) not in sealed]


def cells_of(record: Mapping[str, Any]) -> CellColumns:
    """A run record's cells as the engine takes them."""
    rows = record["cells"]
    return CellColumns([date.fromisoformat(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                       [r[3] for r in rows], [r[4] for r in rows], [r[5] if len(r) > 5 else None for r in rows])


def reproduce(record: Mapping[str, Any], parameters: ParameterSet) -> tuple[list[str], Any]:
    """Recompute a run record's counts under `parameters` in its region.

    Returns the record's result fields that differ from the recomputation ("totals.energy_kwh",
    "profiles.chatbot", "methodology.sha256"...) and the engine's result, for further checks.
    """
    differences = []
    if parameters.sha256 != record["methodology"]["sha256"]:
        differences.append("methodology.sha256")
    cells = cells_of(record)
    result = compute(cells, parameters, record["region"])
    recomputed = canonical.results(
        canonical.figures_of(result.totals),
        [{"profile": p.profile, "model": p.model, **canonical.figures_of(p)} for p in result.profiles],
        record.get("format", canonical.RECORD_FORMAT),
    )
    if "counts_sha256" in record and record["counts_sha256"] != counts_sha256(*cells.all_columns()):
        differences.append("counts_sha256")
    for name, value in recomputed["totals"].items():
        if record["totals"].get(name) != value:
            differences.append(f"totals.{name}")
    stored_profiles = record["profiles"]
    for code in sorted(set(stored_profiles) | set(recomputed["profiles"])):
        if stored_profiles.get(code) != recomputed["profiles"].get(code):
            differences.append(f"profiles.{code}")
    if record["uncertainty"] is not None:
        differences += uncertainty_differences(record["uncertainty"], cells, parameters, result)
    return differences, result


def uncertainty_differences(stored: Any, cells: CellColumns, parameters: ParameterSet, result: Any) -> list[str]:
    """The parts of a run record's Monte Carlo ("uncertainty.totals.carbon_gco2e", "uncertainty.drivers"...)
    that differ from the same Monte Carlo recomputed: its cells, version and region, its draws and seed
    (bit-identical when nothing changed: calculations/engine/uncertainty.py)."""
    if not isinstance(stored, Mapping):
        return ["uncertainty"]
    draws, seed = stored.get("draws"), stored.get("seed")
    if type(draws) is not int or not 1 <= draws <= MAX_RECOMPUTED_DRAWS:
        return ["uncertainty.draws"]
    if type(seed) is not int or seed < 0:
        return ["uncertainty.seed"]
    redone = canonical.uncertainty(simulate(cells, parameters, result, draws=draws, seed=seed).as_dict())
    differences = []
    for key in sorted(set(stored) | set(redone)):
        if key in ("totals", "profiles") and isinstance(stored.get(key), Mapping):
            differences += [f"uncertainty.{key}.{name}" for name in sorted(set(stored[key]) | set(redone[key]))
                            if stored[key].get(name) != redone[key].get(name)]
        elif stored.get(key) != redone.get(key):
            differences.append(f"uncertainty.{key}")
    return differences


def not_reproduced(record: Mapping[str, Any], differences: list[str]) -> Problem:
    return Problem(subject(canonical.RUN, record["id"]), NOT_REPRODUCED,
                   f"recomputing its counts under methodology v{record['methodology']['number']} in "
                   f"{record['region']} changes {', '.join(differences)}")
