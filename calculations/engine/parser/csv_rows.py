"""CSV (analytics-format.md section 2) read row by row: every refusal worded with its line and column.

Decisions where the spec is silent: headers are trimmed and case-insensitive, cells are trimmed,
blank lines are skipped, rows must have as many cells as the header. Unknown columns are refused
with the list of accepted ones, so that a typo never drops data. Empty token cells mean "not
given"; an empty inferences cell is refused. A plainly valid file is read whole columns at a time
first (`csv_columns.py`); this reader takes anything else (the same rules either way, tested).

Separator: `,`, `;` (spreadsheets in locales with a decimal comma, French Excel among them) or a tab,
whichever splits the first non-blank line into the most known column names (`,` on a tie).
"""

from __future__ import annotations

import csv
import io

from ..messages import Message, gettext_noop
from .issues import StopReading
from .reader import Reader
from .values import FIELD_NAMES


SEPARATORS = (",", ";", "\t")
SEPARATOR_SNIFF_CHARS = 1 << 16  # the header line is in there, nearly always


def header_separator(line: str) -> str | None:
    """The separator that splits a header line into the most known column names, or None if none finds a date column."""
    best, best_names = None, 0
    for separator in SEPARATORS:
        if separator not in line:
            continue
        names = [FIELD_NAMES.get(cell.strip().strip('"').strip().lower()) for cell in line.split(separator)]
        if "date" in names and len(list(filter(None, names))) > best_names:
            best, best_names = separator, len(list(filter(None, names)))
    return best


def csv_separator(text: str) -> str:
    """The separator of a CSV text, from its first non-blank line (`,` when nothing tells)."""
    for size in (4096, SEPARATOR_SNIFF_CHARS):  # a short look first: the header is the first line, nearly always
        for line in text[:size].splitlines()[:-1] if len(text) > size else text.splitlines():
            if line.strip():
                return header_separator(line) or ","
    return ","


class CsvRowReader(Reader):
    """A `Reader` that reads CSV text row by row."""

    def read_csv(self, text: str, separator: str = ",") -> None:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
        try:
            header = next((row for row in rows if any(cell.strip() for cell in row)), None)
            if header is None:
                return
            columns = self.read_header(header, rows.line_num)
            width = len(header)
            for row in rows:
                line = rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != width:
                    self.issues.add(
                        "invalid_analytics",
                        Message(gettext_noop("expected {width} cells like the header, got {count}"), width=width, count=len(row)),
                        line=line,
                        value=separator.join(row)[:80],
                    )
                    continue
                self.read_row([cell.strip() for cell in row], line, columns)
        except csv.Error as exc:
            self.issues.fatal("parse_error", Message(gettext_noop("not valid CSV: {detail}"), detail=str(exc)), line=rows.line_num)

    def cell_place(self, line: int, column: int) -> dict:
        """Where a header cell is, for an issue."""
        return {"line": line, "column": column}

    def read_header(self, header: list, line: int) -> dict[str, tuple[int, str]]:
        """canonical -> (index, header as written); unknown, repeated or missing columns are fatal."""
        columns: dict[str, tuple[int, str]] = {}
        for index, cell in enumerate(header):
            name = cell.strip()
            canonical = FIELD_NAMES.get(name.lower())
            if canonical is None:
                self.issues.add(
                    "invalid_analytics",
                    Message(gettext_noop("unknown column {name!r}; accepted columns: {accepted}"), name=name,
                            accepted=", ".join(FIELD_NAMES)),
                    **self.cell_place(line, index + 1),
                    value=name,
                )
            elif canonical in columns:
                self.issues.add(
                    "invalid_analytics",
                    Message(gettext_noop("column {name!r} repeats {first!r}"), name=name, first=columns[canonical][1]),
                    **self.cell_place(line, index + 1),
                    value=name,
                )
            else:
                columns[canonical] = (index, name)
                self.column_numbers[name] = index + 1
        missing = [name for name in ("date", "profile", "inferences") if name not in columns]
        if missing:
            self.issues.add("invalid_analytics", Message(gettext_noop("the header has no {columns} column"), columns=", ".join(missing)), line=line)
        if self.issues.items:
            raise StopReading
        return columns

    def read_row(self, row: list, line: int, columns: dict[str, tuple[int, str]]) -> None:
        issues_before = len(self.issues.items)
        index, name = columns["date"]
        day = self.day(row[index], line, name)
        index, name = columns["profile"]
        profile = self.profile(row[index], line, name)
        index, name = columns["inferences"]
        inferences = self.count(row[index], line, name)
        tokens = []
        for field in ("input_tokens", "output_tokens", "cached_input_tokens"):
            index, name = columns.get(field, (None, field))
            tokens.append(self.count(row[index], line, name) if index is not None and row[index] != "" else None)
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], line, tokens[2],
                          columns.get("cached_input_tokens", (None, "cached_input_tokens"))[1])

