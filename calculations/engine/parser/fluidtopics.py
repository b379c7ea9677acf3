"""Fluid Topics AI profile activity (analytics-format.md 5.1), in JSON or the same structure in YAML.

Decisions where the spec is silent: `results` at the top level marks the export. The count key is
`aiQueryCount` or `genaiQueryCount` (both in one export is refused). A period may end on its start
day or the next one (exclusive or inclusive end); a longer one is refused once for the whole
export. An alias on the `id` is tried before one on the `name`. A source profile without periods
needs no mapping and is not counted as a source group. The same profile with two periods starting
on the same day is refused as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..analytics import Cell, ProfileMapping, key_path
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet

from .reader import Reader
from .source_mapping import Match, mappings_of, profiles_and_aliases, summed_cells
from .values import MISSING

FLUIDTOPICS_COUNT_KEYS = {"aiQueryCount": "fluidtopics-ai-activity", "genaiQueryCount": "fluidtopics-genai-activity"}


def is_fluidtopics_activity(tree) -> bool:
    return type(tree) is dict and "results" in tree


def read_document(tree, reader: Reader, profile_option: str | None) -> tuple[str, list[Cell], list[ProfileMapping]]:
    """The registry's entry: (format, cells, mappings) of a Fluid Topics export (the profile option is not used)."""
    return read_fluidtopics_activity(tree, reader)


def match_fluidtopics_profile(ident: str | None, name: str | None, kind: str | None, parameters: ParameterSet) -> Match | None:
    """The first rule that matches: alias on id or name, then name == code, then type == code (any case)."""
    aliases = parameters.alias_index()
    for candidate in (ident, name):
        if candidate is not None and candidate in aliases:
            return aliases[candidate], "alias", candidate
    if name is not None and name in parameters.profiles:
        return name, "name", name
    if kind is not None and kind.lower() in parameters.profiles:
        return kind.lower(), "type", kind.lower()
    return None


@dataclass
class _Export:
    """What reading one export gathers across its source profiles."""

    reader: Reader
    count_key: str
    totals: dict = field(default_factory=dict)  # (day, usage profile) -> [summed count]
    groups: dict[Match, set] = field(default_factory=dict)  # match -> indexes of its source profiles
    seen_ids: dict[str, str] = field(default_factory=dict)  # source profile id -> where
    refused_long_period: bool = False


def read_fluidtopics_activity(doc: dict, reader: Reader) -> tuple[str, list[Cell], list[ProfileMapping]]:
    results = doc["results"]
    if type(results) is not list:
        reader.issue(
            "invalid_analytics",
            Message(gettext_noop("results must be a list of Fluid Topics profiles; got {found}"), found=reader.describe(results)),
            "",
            "results",
        )
        return "fluidtopics-ai-activity", [], []
    export = _Export(reader, _fluidtopics_count_key(results, reader))
    for index, source in enumerate(results):
        _read_source(export, index, source)
    return FLUIDTOPICS_COUNT_KEYS[export.count_key], summed_cells(export.totals, reader, tokens=False), mappings_of(export.groups)


def _read_source(export: _Export, index: int, source) -> None:
    """One source profile: its identity, its mapping to a usage profile, its periods."""
    reader, where = export.reader, f"results[{index}]"
    if type(source) is not dict:
        reader.issue("invalid_analytics", Message(gettext_noop("a Fluid Topics profile must be a mapping; got {found}"), found=reader.describe(source)), where)
        return
    ident = reader.text(source.get("id"), where, "id")
    name = reader.text(source.get("name"), where, "name")
    kind = reader.text(source.get("type"), where, "type")
    if ident is not None:
        if ident in export.seen_ids:
            reader.issue(
                "duplicate",
                Message(gettext_noop("Fluid Topics profile id {ident!r} appears twice"), ident=ident),
                where,
                "id",
                value=ident,
                also=key_path(export.seen_ids[ident], "id"),
            )
            return
        export.seen_ids[ident] = where
    periods = source.get("periods", MISSING)
    if type(periods) is not list:
        reader.issue("invalid_analytics", Message(gettext_noop("periods must be a list; got {found}"), found=reader.describe(periods)), where, "periods")
        return
    if not periods:
        return
    match = match_fluidtopics_profile(ident, name, kind, reader.parameters)
    if match is None:
        reader.issue(
            "unmappable_profile",
            Message(gettext_noop("Fluid Topics profile {source} matches no usage profile: add its id or "
                                 "name to a usage profile's aliases in the methodology, or name it (or give it a type) after a "
                                 "usage profile code; usage profiles: {profiles}"),
                    source=_source_label(ident, name, kind), profiles=profiles_and_aliases(reader.parameters)),
            where,
            value=name if name is not None else ident,
        )
    else:
        export.groups.setdefault(match, set()).add(index)
    starts: dict[date, str] = {}
    for period_index, period in enumerate(periods):
        _read_period(export, f"{where}.periods[{period_index}]", period, match, starts)


def _read_period(export: _Export, where: str, period, match: Match | None, starts: dict[date, str]) -> None:
    """One daily period of a source profile, added to its usage profile's total."""
    reader = export.reader
    if type(period) is not dict:
        reader.issue("invalid_analytics", Message(gettext_noop("a period must be a mapping; got {found}"), found=reader.describe(period)), where)
        return
    issues_before = len(reader.issues.items)
    start = reader.day(period.get("periodStartDate", MISSING), where, "periodStartDate")
    end = reader.day(period.get("periodEndDate", MISSING), where, "periodEndDate")
    count = reader.count(period.get(export.count_key, MISSING), where, export.count_key)
    if start is None or end is None or len(reader.issues.items) > issues_before:
        return
    span = (end - start).days
    if span < 0:
        reader.issue("invalid_analytics", Message(gettext_noop("the period ends before it starts")), where, "periodEndDate")
        return
    if span > 1:
        if not export.refused_long_period:
            export.refused_long_period = True
            reader.issue(
                "period_not_daily",
                Message(gettext_noop("periods must be one day, this one runs {span} days from {start} to {end}: "
                                     "export with \"groupByPeriod\": \"day\""), span=span, start=start.isoformat(), end=end.isoformat()),
                where,
            )
        return
    if start in starts:
        reader.issue(
            "duplicate",
            Message(gettext_noop("this Fluid Topics profile has two periods starting on {start}"), start=start.isoformat()),
            where,
            "periodStartDate",
            also=key_path(starts[start], "periodStartDate"),
        )
        return
    starts[start] = where
    if match is not None:
        export.totals.setdefault((start, match[0]), [0])[0] += count


def _fluidtopics_count_key(results: list, reader: Reader) -> str:
    """aiQueryCount (profile-activity of the ai service) or genaiQueryCount (older genai service)."""
    present = {
        key
        for source in results
        if type(source) is dict and type(source.get("periods")) is list
        for period in source["periods"]
        if type(period) is dict
        for key in FLUIDTOPICS_COUNT_KEYS
        if key in period
    }
    if len(present) > 1:
        reader.issue(
            "invalid_analytics",
            Message(gettext_noop("periods mix aiQueryCount and genaiQueryCount: send the ai and genai exports separately")),
            "",
            "results",
        )
    return "genaiQueryCount" if present == {"genaiQueryCount"} else "aiQueryCount"


def _source_label(ident: str | None, name: str | None, kind: str | None) -> str:
    details = ", ".join(f"{label} {value!r}" for label, value in (("id", ident), ("type", kind)) if value is not None)
    if name is None:
        return Message(gettext_noop("(no name) ({details})"), details=details) if details else Message(gettext_noop("(no name)"))
    return f"{name!r} ({details})" if details else repr(name)
