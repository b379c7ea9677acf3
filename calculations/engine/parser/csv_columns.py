"""A fast path for plainly valid CSV analytics (analytics-format.md section 2), whole columns at a time.

`read_csv_columns(text, parameters)` returns the `CellColumns` that `csv_rows.CsvRowReader.read_csv`
followed by `sorted_cells()` would return for the same decoded text, or None whenever anything is not plainly
valid: the caller then runs the row-by-row reader, which finds and words every issue with its line.
It never accepts what the row-by-row reader refuses, and never returns other cells; returning None
is always safe.

Where the per-row work goes:

- Rows and cells. A text without a quote character is split with `str.split` instead of
  `csv.reader`: line ends are normalised (`\\r\\n` and a lone `\\r` end a line, as they do for
  `csv.reader` over `io.StringIO(text, newline="")`), empty lines are dropped, and each chunk of
  lines is split on the separator (`,`, `;` or a tab) once after every line end has been turned
  into a cell of its own (`"\\n"` -> `",\\n,"`). The "\\n" cells must then sit exactly every width + 1 cells, which proves
  that every line has as many cells as the header. A text with quotes goes through `csv.reader`
  itself, then `zip`.
- Dates and profiles hold few distinct values: each distinct cell is checked once with the
  reader's own `day` and `profile`, then whole columns go through `map(dict.__getitem__, ...)`.
- Counts: the column joined with "," must hold only ASCII digits and commas, and `json.loads` of
  it as an array then reads the integers in C; JSON refuses an empty cell and a leading zero just
  as the count rule, `values.is_count_text`, does, and `max` checks the 10^12 cap. Empty token cells become JSON
  nulls (None). A column with spaces around its numbers is trimmed and tried once more.
- Order and duplicates, as `sorted_cells` sorts by (day, profile): when days are long (16 rows or
  more a day on average), the day column is compared with the sorted days each repeated as often
  as `bisect` finds it, then each day's profiles must be distinct (a set) and sorted (`sorted` on
  the code strings). Otherwise, or when that fails, one integer key per row (day index x profile
  count + profile rank) must be distinct, and the columns are sorted through an index permutation.

Work is done in chunks of about CHUNK characters so that the cell strings of one chunk are freed
(and their memory reused, still in cache) before the next is split.
"""

from __future__ import annotations

import csv
import io
import json
import operator
from bisect import bisect_right
from datetime import date

from ..analytics import MAX_COUNT, CellColumns
from ..parameters import ParameterSet
from .issues import Issues, StopReading
from .reader import Reader
from .values import FIELD_NAMES

CHUNK = 1 << 16  # characters split at a time
_COUNT_BYTES = b"0123456789,"
_CANONICAL = ("date", "profile", "inferences", "input_tokens", "output_tokens")


class FallBackToRows(Exception):
    """Anything the fast path does not take as is: the row-by-row reader decides and words the issues."""


def read_csv_columns(text: str, parameters: ParameterSet, separator: str = ",") -> CellColumns | None:
    """The sorted cells of a plainly valid CSV text, or None (then read it row by row)."""
    if "\x00" in text or csv.field_size_limit() < 64:  # plain digit cells are not measured against the limit
        return None
    try:
        columns = _Columns(parameters)
        if '"' in text:
            _read_quoted(text, columns, separator)
        else:
            _read_plain(text, columns, separator)
        return columns.result()
    except (FallBackToRows, csv.Error, ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError):
        return None


def _header(cells: list[str], limit: int) -> tuple[int, ...]:
    """Indexes of date, profile, inferences, input_tokens, output_tokens (-1: absent), as `CsvRowReader` reads the header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if len(cell) >= limit:
            raise FallBackToRows
        canonical = FIELD_NAMES.get(cell.strip().lower())
        if canonical is None or canonical in found:
            raise FallBackToRows
        found[canonical] = index
    if not found.keys() >= {"date", "profile", "inferences"} or "cached_input_tokens" in found:
        raise FallBackToRows  # cached input tokens: checked against the input tokens row by row
    return tuple(found.get(name, -1) for name in _CANONICAL)


def _read_plain(text: str, columns: _Columns, separator: str) -> None:
    """A text without quotes: `str.split` gives exactly the rows `csv.reader` would."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip("\n")
    while "\n\n" in text:  # blank lines are skipped
        text = text.replace("\n\n", "\n")
    end = text.find("\n")
    if end < 0:
        raise FallBackToRows  # a header and no rows (or nothing): the reader says so
    limit = csv.field_size_limit()
    header = text[:end].split(separator)
    indexes = _header(header, limit)
    width = len(header)
    step = width + 1  # the cells of a line and its "\n"
    start, size = end + 1, len(text)
    while start < size:
        end = text.find("\n", start + CHUNK)
        if end < 0:
            end = size
        chunk = text[start:end]
        lines = chunk.count("\n") + 1
        cells = chunk.replace("\n", f"{separator}\n{separator}").split(separator)
        if len(cells) != lines * step - 1 or cells[width::step].count("\n") != lines - 1:
            raise FallBackToRows  # a line with another number of cells than the header
        columns.add([cells[index::step] if index >= 0 else None for index in indexes], limit)
        start = end + 1


def _read_quoted(text: str, columns: _Columns, separator: str) -> None:
    """A text with quotes: `csv.reader` as the reader runs it, then whole columns."""
    rows = list(filter(None, csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)))  # [] is a blank line
    if len(rows) < 2:
        raise FallBackToRows
    limit = csv.field_size_limit()
    indexes = _header(rows[0], limit)
    width = len(rows[0])
    body = rows[1:]
    if set(map(len, body)) != {width}:
        raise FallBackToRows
    transposed = list(zip(*body))
    columns.add([list(transposed[index]) if index >= 0 else None for index in indexes], limit)


class _Columns:
    """The five output columns and the order keys, filled chunk by chunk."""

    def __init__(self, parameters: ParameterSet):
        self.reader = Reader(parameters, Issues(parameters), syntax="csv")
        self.day_of: dict[str, date] = {}  # date cell as written -> day
        self.profile_of: dict[str, str] = {}  # profile cell as written -> code
        self.days: list[date] = []
        self.profiles: list[str] = []
        self.inferences: list[int] = []
        self.tokens: tuple[list, list] = ([], [])

    def add(self, raw: list, limit: int) -> None:
        """One block of rows: raw cell columns (date, profile, inferences, input_tokens, output_tokens; None: absent)."""
        dates, profiles, inferences = raw[0], raw[1], raw[2]
        day_of, profile_of = self.day_of, self.profile_of
        for cell in set(dates).difference(day_of):  # a sorted file brings new dates in most blocks
            self._new_date(cell, limit)
        self.days += map(day_of.__getitem__, dates)
        before = len(self.profiles)
        try:  # after the first block, every profile is usually known
            self.profiles += map(profile_of.__getitem__, profiles)
        except KeyError:
            del self.profiles[before:]
            for cell in set(profiles).difference(profile_of):
                self._new_profile(cell, limit)
            self.profiles += map(profile_of.__getitem__, profiles)
        self.inferences += _counts(inferences, limit, optional=False)
        for column, cells in zip(self.tokens, raw[3:]):
            if cells is None or cells.count("") == len(cells):
                column += [None] * len(dates)
            else:
                column += _counts(cells, limit, optional=True)

    def _new_date(self, cell: str, limit: int) -> None:
        """A distinct date cell, checked by the reader's own `day` (as `CsvRowReader` calls it, trimmed)."""
        self.day_of[cell] = self._checked(self.reader.day, cell, limit, "date")

    def _new_profile(self, cell: str, limit: int) -> None:
        """A distinct profile cell, checked by the reader's own `profile` (trimmed)."""
        self.profile_of[cell] = self._checked(self.reader.profile, cell, limit, "profile")

    def _checked(self, read, cell: str, limit: int, column: str):
        """What the reader's `read` makes of a trimmed cell, or FallBackToRows if it refuses it."""
        if len(cell) >= limit:
            raise FallBackToRows
        try:
            value = read(cell.strip(), 0, column)
        except StopReading:
            raise FallBackToRows from None
        if value is None or self.reader.issues.items:
            raise FallBackToRows
        return value

    def result(self) -> CellColumns:
        days, profiles = self.days, self.profiles
        count = len(days)
        if not count:
            raise FallBackToRows  # no records: the reader refuses the file as empty
        columns = [days, profiles, self.inferences, *self.tokens]
        distinct_days = sorted(set(self.day_of.values()))
        if not self._in_order(distinct_days):
            scaled = {day: index * len(self.profile_of) for index, day in enumerate(distinct_days)}
            rank = {code: index for index, code in enumerate(sorted(set(self.profile_of.values())))}
            keys = list(map(operator.add, map(scaled.__getitem__, days), map(rank.__getitem__, profiles)))
            if len(set(keys)) != count:
                raise FallBackToRows  # the same (day, profile) twice
            order = sorted(range(count), key=keys.__getitem__)
            columns = [list(map(column.__getitem__, order)) for column in columns]
        return CellColumns(*columns)

    def _in_order(self, distinct_days: list[date]) -> bool:
        """True when the rows are strictly increasing by (day, profile), checked day by day."""
        days, profiles = self.days, self.profiles
        if len(days) < 16 * len(distinct_days):
            return False  # short days: one key per row is cheaper than a loop over days
        # The days in order, each as many times as bisect finds it: equal to the column only if it is sorted.
        runs, expected, start = [], [], 0
        for day in distinct_days:
            end = bisect_right(days, day, start)
            expected += [day] * (end - start)
            runs.append((start, end))
            start = end
        if expected != days:
            return False
        for start, end in runs:
            run = profiles[start:end]
            if len(set(run)) != len(run) or sorted(run) != run:
                return False
        return True


def _counts(cells: list[str], limit: int, *, optional: bool, trimmed: bool = False) -> list:
    """Integers 0..MAX_COUNT written as plain decimals (empty -> None when optional), as `quick_count` reads them."""
    joined = ",".join(cells)
    if not joined.isascii() or joined.encode("ascii").translate(None, _COUNT_BYTES):
        if trimmed:
            raise FallBackToRows
        if max(map(len, cells)) >= limit:
            raise FallBackToRows  # csv.reader refuses so long a cell
        return _counts(list(map(str.strip, cells)), limit, optional=optional, trimmed=True)
    nulls = optional and "" in cells
    if nulls:
        # ",,": an empty cell; twice, since non-overlapping replacement skips every second of a run
        joined = f",{joined},".replace(",,", ",null,").replace(",,", ",null,")[1:-1]
    values = json.loads(f"[{joined}]")  # an empty cell, a leading zero: refused (ValueError)
    if len(values) != len(cells):
        raise FallBackToRows
    if values and max(filter(None, values) if nulls else values, default=0) > MAX_COUNT:
        raise FallBackToRows
    return values
