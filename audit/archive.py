"""The audit archive: one ZIP file an auditor checks on their own machine, with no database.

    manifest.json                         format, creation time, engine, head of the ledger, SHA-256 of every other file
    ledger.jsonl                          one ledger entry a line, in position order, each with its record
    methodology/v<N>/config.yaml          each published version as the YAML `load_methodology` reads
    methodology/v<N>/config_model.yaml

docs/audit-trail.md specifies each part. This module is plain Python (the engine and the standard
library, no Django): writing an archive from entries and records, reading one, and verifying one.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from calculations.engine.config import (
    MODELS_FILE,
    REGIONS_FILE,
    ConfigError,
    parameter_set_from_docs,
    parameter_set_to_docs,
)
from calculations.engine.parameters import ParameterSet

from . import canonical, checks

FORMAT = "env5001-audit-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LEDGER = "ledger.jsonl"


class ArchiveError(Exception):
    """The file is not a readable audit archive (as opposed to a readable one that does not verify)."""


@dataclass(frozen=True)
class ArchivedEntry:
    entry: checks.Entry
    record: dict[str, Any]


def version_dir(number: int) -> str:
    return f"methodology/v{number}"


def _entry_line(entry: checks.Entry, record: Mapping[str, Any]) -> bytes:
    line = {"position": entry.position, "kind": entry.kind, "id": entry.object_id,
            "content_sha256": entry.content_sha256, "seal": entry.seal, "record": record}
    return canonical.canonical_bytes(line) + b"\n"


def write_archive(target, versions: Mapping[int, ParameterSet], entries: Iterable[ArchivedEntry], *,
                  created_at: str, engine_version: str) -> dict[str, Any]:
    """Write the archive to `target` (a path or a binary file); returns its manifest."""
    files: dict[str, str] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, parameters in sorted(versions.items()):
            for name, doc in zip((REGIONS_FILE, MODELS_FILE), parameter_set_to_docs(parameters)):
                data = yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True,
                                 width=100).encode("utf-8")
                path = f"{version_dir(number)}/{name}"
                archive.writestr(path, data)
                files[path] = hashlib.sha256(data).hexdigest()
        digest, count, last = hashlib.sha256(), 0, None
        with archive.open(LEDGER, "w", force_zip64=True) as ledger:
            for archived in entries:  # streamed: one record in memory at a time
                line = _entry_line(archived.entry, archived.record)
                ledger.write(line)
                digest.update(line)
                count, last = count + 1, archived.entry
        files[LEDGER] = digest.hexdigest()
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created_at,
            "engine_version": engine_version, "entries": count,
            "head": {"position": last.position, "seal": last.seal} if last else None,
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


class Archive:
    """A readable archive: its manifest, its versions' parameter sets, and its entries (streamed)."""

    def __init__(self, source):
        try:
            self._zip = zipfile.ZipFile(source)
            self.manifest = json.loads(self._zip.read(MANIFEST))
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
            raise ArchiveError(f"not an audit archive: {error}") from None
        if self.manifest.get("format") != FORMAT or self.manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(f"not an {FORMAT} of format version {FORMAT_VERSION}")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def file_problems(self) -> list[checks.Problem]:
        """Every file against the manifest's SHA-256, and no file the manifest does not list."""
        listed = self.manifest.get("files", {})
        problems = []
        for name in sorted(set(self._zip.namelist()) - {MANIFEST} - set(listed)):
            problems.append(checks.Problem(f"file {name}", checks.INSERTED, "not listed in the manifest"))
        for name, expected in sorted(listed.items()):
            try:
                digest = hashlib.sha256()
                with self._zip.open(name) as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
            except KeyError:
                problems.append(checks.Problem(f"file {name}", checks.DELETED, "listed in the manifest, absent"))
                continue
            if digest.hexdigest() != expected:
                problems.append(checks.Problem(f"file {name}", checks.ALTERED, "its SHA-256 is not the manifest's"))
        return problems

    def parameter_set(self, number: int) -> ParameterSet | None:
        """Version `number` as its YAML files describe it (None when absent or invalid)."""
        try:
            docs = [yaml.load(self._zip.read(f"{version_dir(number)}/{name}"), Loader=yaml.CSafeLoader)
                    for name in (REGIONS_FILE, MODELS_FILE)]
            return parameter_set_from_docs(*docs, regions_file=REGIONS_FILE, models_file=MODELS_FILE,
                                           version=number)
        except (KeyError, yaml.YAMLError, ConfigError):
            return None

    def entries(self) -> Iterator[ArchivedEntry]:
        try:
            with self._zip.open(LEDGER) as handle:
                for number, line in enumerate(io.TextIOWrapper(handle, encoding="utf-8"), start=1):
                    try:
                        item = json.loads(line)
                        entry = checks.Entry(item["position"], item["kind"], item["id"], item["content_sha256"],
                                             item["seal"])
                        record = item["record"]
                    except (ValueError, KeyError, TypeError) as error:
                        raise ArchiveError(f"{LEDGER} line {number}: not a ledger entry ({error})") from None
                    yield ArchivedEntry(entry, record)
        except KeyError:
            raise ArchiveError(f"no {LEDGER} in the archive") from None


def verify_archive(archive: Archive) -> tuple[list[checks.Problem], int]:
    """Every file, every version's hash, every seal and the chain, and every run recomputed."""
    problems = archive.file_problems()
    parameter_sets: dict[int, ParameterSet | None] = {}
    entries: list[checks.Entry] = []
    current: dict[tuple[str, int], dict] = {}

    def streamed() -> Iterator[checks.Entry]:
        for archived in archive.entries():
            current.clear()
            current[archived.entry.kind, archived.entry.object_id] = archived.record
            problems.extend(_record_problems(archive, archived, parameter_sets))
            entries.append(archived.entry)
            yield archived.entry

    problems.extend(checks.check_chain(streamed(), lambda kind, object_id: current.get((kind, object_id))))
    head, manifest_head = (entries[-1] if entries else None), archive.manifest.get("head")
    if (manifest_head or None) != ({"position": head.position, "seal": head.seal} if head else None):
        problems.append(checks.Problem("manifest", checks.ALTERED, "its head is not the ledger's last entry"))
    return problems, len(entries)


def _record_problems(archive: Archive, archived: ArchivedEntry, parameter_sets: dict) -> list[checks.Problem]:
    record, entry = archived.record, archived.entry
    if not isinstance(record, dict):
        return []  # check_chain names it deleted
    name = checks.subject(entry.kind, entry.object_id)
    if entry.kind == canonical.METHODOLOGY_VERSION:
        parameters = archive.parameter_set(entry.object_id)
        if parameters is not None and parameters.sha256 != record.get("sha256"):
            parameters = None  # runs are not recomputed under parameters that are not the sealed ones
        parameter_sets[entry.object_id] = parameters
        if parameters is None:
            return [checks.Problem(name, checks.ALTERED, f"its YAML in {version_dir(entry.object_id)} does not "
                                   "hash to its sealed SHA-256")]
        return []
    number = record.get("methodology", {}).get("number")
    parameters = parameter_sets.get(number)
    if parameters is None:
        return [checks.Problem(name, checks.NOT_REPRODUCED, f"its methodology version {number} is not sealed before it")]
    try:
        differences, _ = checks.reproduce(record, parameters)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        return [checks.Problem(name, checks.ALTERED, f"its record cannot be read: {error!r}")]
    return [checks.not_reproduced(record, differences)] if differences else []
