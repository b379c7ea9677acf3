"""The native structures (analytics-format.md sections 1 and 2) read from a document tree (YAML or JSON).

Decisions where the spec is silent: field names are case-sensitive, aliases of section 3 are
accepted everywhere (also in `days[].usages.<profile>` mappings), a field given under two names is
refused, and unknown fields are refused (top level: `days`, `records`, `source`, `tenant`; both
`days` and `records` may be present). `input_tokens` and `output_tokens` are each optional;
`cached_input_tokens`, optional, needs `input_tokens` and is at most that count.
"""

from __future__ import annotations

from datetime import date

from ..analytics import Cell
from ..messages import Message, gettext_noop
from .reader import Reader
from .values import (
    COUNT_NAMES,
    DAY_ENTRY_NAMES,
    FIELD_NAMES,
    MISSING,
    RECORD_KEYS,
    TOP_LEVEL_KEYS,
    NotPlainlyValid,
)

_DATE_AND_USAGES = frozenset({"date", "usages"})
_CANONICAL_DAY_ENTRY = {"date": "date", "usages": "usages"}
RECORD, DAY, USAGE = (Message(gettext_noop("a record")), Message(gettext_noop("a day")),
                      Message(gettext_noop("a usage")))
ACCEPTED_KEYS = gettext_noop("unknown key; accepted: {accepted}")
ACCEPTED_FIELDS = gettext_noop("unknown field; accepted: {accepted}")


class NativeReader(Reader):
    """A `Reader` that also reads the native structures of a document tree."""

    def read_native(self, tree) -> None:
        if tree is None:
            return
        if type(tree) is list:
            self.read_records(tree, "")
            return
        if type(tree) is not dict:
            self.issues.fatal(
                "invalid_analytics",
                Message(gettext_noop("the document must be one mapping (days or records) or one list of records; got {found}"),
                        found=self.describe(tree)),
                line=1,
                column=1,
            )
        unknown = [key for key in tree if key not in TOP_LEVEL_KEYS]
        if unknown:
            for key in unknown:
                self.issue("invalid_analytics", Message(ACCEPTED_KEYS, accepted=", ".join(TOP_LEVEL_KEYS)), "", key)
            return
        if not tree.keys() & {"days", "records"}:
            return  # no records: refused as empty
        for key, read in (("days", self.read_days), ("records", self.read_records)):
            section = tree.get(key, MISSING)
            if section is MISSING:
                continue
            if type(section) is not list:
                message = Message(gettext_noop("{key} must be a list; got {found}"), key=key, found=self.describe(section))
                self.issue("invalid_analytics", message, "", key, value=section)
                continue
            read(section, key)

    def read_records(self, records: list, base: str) -> None:
        """Flat form: one mapping per (day, profile).

        The loop tries the common case inline (canonical names, good values, no duplicate) and hands
        anything else to `_read_record`, which finds and words the issues.
        """
        cells, codes, days = self.cells, self.codes, self.known_days
        new_day, quick_count = self.new_day, self.quick_count
        for index, record in enumerate(records):
            try:
                if not record.keys() <= RECORD_KEYS:
                    raise NotPlainlyValid
                raw = record["date"]
                day = days.get(raw) or new_day(raw)
                profile = codes[record["profile"]]
                raw = record["inferences"]
                inferences = quick_count(raw)
                raw = record.get("input_tokens", MISSING)
                input_tokens = None if raw is MISSING else quick_count(raw)
                raw = record.get("output_tokens", MISSING)
                output_tokens = None if raw is MISSING else quick_count(raw)
                entry = (Cell(day, profile, inferences, input_tokens, output_tokens), (base, index))
                if cells.setdefault((day, profile), entry) is not entry:
                    raise NotPlainlyValid  # a duplicate
            except (NotPlainlyValid, LookupError, TypeError, AttributeError):
                self._read_record(record, (base, index))

    def _read_record(self, record, where: tuple) -> None:
        names = self._field_names(record, where, FIELD_NAMES, RECORD)
        if names is None:
            return
        issues_before = len(self.issues.items)
        key = names["date"]
        day = self.day(record.get(key, MISSING), where, key)
        key = names["profile"]
        profile = self.profile(record.get(key, MISSING), where, key)
        key = names["inferences"]
        inferences = self.count(record.get(key, MISSING), where, key)
        tokens = []
        for key in (names["input_tokens"], names["output_tokens"], names["cached_input_tokens"]):
            raw = record.get(key, MISSING)
            tokens.append(None if raw is MISSING else self.count(raw, where, key))
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], where, tokens[2], names["cached_input_tokens"])

    def read_days(self, days: list, base: str) -> None:
        """Nested form: one mapping per day with its usages per profile."""
        cells, codes = self.cells, self.codes
        quick_count = self.quick_count
        for index, entry in enumerate(days):
            where = (base, index)
            if type(entry) is dict and entry.keys() == _DATE_AND_USAGES:
                names = _CANONICAL_DAY_ENTRY
            else:
                names = self._field_names(entry, where, DAY_ENTRY_NAMES, DAY)
                if names is None:
                    continue
            day = self.day(entry.get(names["date"], MISSING), where, names["date"])
            usages = entry.get("usages", MISSING)
            if type(usages) is not dict:
                self.issue(
                    "invalid_analytics",
                    Message(gettext_noop("usages must be a mapping of profile -> count; got {found}"), found=self.describe(usages)),
                    where,
                    "usages",
                    value=usages,
                )
                continue
            if day is None:
                continue
            for code, usage in usages.items():
                try:  # the common case inline, as in read_records
                    profile = codes[code]
                    inferences = quick_count(usage)
                    read = (Cell(day, profile, inferences), (base, index, "usages", code))
                    if cells.setdefault((day, profile), read) is not read:
                        raise NotPlainlyValid  # a duplicate
                except (NotPlainlyValid, LookupError, TypeError):
                    self._read_usage(day, code, usage, (base, index, "usages", code))

    def _read_usage(self, day: date, code: str, usage, where: tuple) -> None:
        """One `profile: count` or `profile: {inferences, input_tokens, output_tokens}` of a day."""
        issues_before = len(self.issues.items)
        profile = self.profile(code, where[:-1], code)
        tokens = [None, None, None]
        cached_key = "cached_input_tokens"
        if type(usage) is dict:
            fields = self._field_names(usage, where, COUNT_NAMES, USAGE)
            if fields is None:
                return
            inferences = self.count(usage.get(fields["inferences"], MISSING), where, fields["inferences"])
            for position, name in enumerate(("input_tokens", "output_tokens", "cached_input_tokens")):
                raw = usage.get(fields[name], MISSING)
                if raw is not MISSING:
                    tokens[position] = self.count(raw, where, fields[name])
            cached_key = fields["cached_input_tokens"]
        else:
            inferences = self.count(usage, where[:-1], code)
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], where, tokens[2], cached_key)

    def _field_names(self, mapping, where: str, accepted: dict[str, str], what: str) -> dict[str, str] | None:
        """canonical -> name as written (the canonical name when absent); None after an issue."""
        if type(mapping) is not dict:
            self.issue(
                "invalid_analytics",
                Message(gettext_noop("{what} must be a mapping with {fields}; got {found}"), what=what,
                        fields=", ".join(sorted(set(accepted.values()))), found=self.describe(mapping)),
                where,
                value=mapping,
            )
            return None
        names: dict[str, str] = {}
        ok = True
        for key in mapping:
            canonical = accepted.get(key)
            if canonical is None:
                self.issue(
                    "invalid_analytics", Message(ACCEPTED_FIELDS, accepted=", ".join(accepted)), where, key, value=mapping[key]
                )
                ok = False
            elif canonical in names:
                self.issue("invalid_analytics", Message(gettext_noop("{key} and {other} are the same field, given twice"), key=key, other=names[canonical]), where, key)
                ok = False
            else:
                names[canonical] = key
        if not ok:
            return None
        return {canonical: names.get(canonical, canonical) for canonical in set(accepted.values())}
