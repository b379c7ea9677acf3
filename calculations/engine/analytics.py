"""What the parser hands the engine: daily usage cells, never the raw upload."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

MAX_COUNT = 10**12  # analytics-format.md section 4: at most 10^12 each
MAX_ERRORS = 20  # parsing stops after this many errors and reports them together


@dataclass(slots=True)
class Cell:
    """Usage of one profile on one day. Tokens are explicit counts or None (estimated from the profile)."""

    day: date
    profile: str
    inferences: int
    input_tokens: int | None = None
    output_tokens: int | None = None
    # The cached subset of `input_tokens` (methodology.md section 3); None: not reported. Only with explicit input tokens.
    cached_input_tokens: int | None = None


class CellColumns:
    """Cells as parallel columns, sorted by (day, profile): what the parser hands the engine.

    A large upload holds hundreds of thousands of cells; columns cost a few pointers a cell where
    `Cell` objects cost a few hundred bytes, and let the engine and the save loop run over them
    with C-level `zip`/`map`. Indexing or iterating still gives `Cell`s, for callers that want them.

    `columns()` gives the five columns every version had; `cached_input_tokens` is a sixth, all None
    when no cell reports cached tokens (`has_cached_input_tokens()` says whether one does).
    """

    __slots__ = ("days", "profiles", "inferences", "input_tokens", "output_tokens", "cached_input_tokens")

    def __init__(self, days: list[date], profiles: list[str], inferences: list[int],
                 input_tokens: list[int | None], output_tokens: list[int | None],
                 cached_input_tokens: list[int | None] | None = None):
        if cached_input_tokens is None:
            cached_input_tokens = [None] * len(days)
        if not (len(days) == len(profiles) == len(inferences) == len(input_tokens) == len(output_tokens)
                == len(cached_input_tokens)):
            raise ValueError("cell columns differ in length")
        self.days = days
        self.profiles = profiles
        self.inferences = inferences
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.cached_input_tokens = cached_input_tokens

    @classmethod
    def of(cls, cells: "Iterable[Cell] | CellColumns") -> "CellColumns":
        """Columns of `cells` in their order (no sorting: the caller's order is kept)."""
        if isinstance(cells, CellColumns):
            return cells
        cells = list(cells)
        return cls(
            [c.day for c in cells], [c.profile for c in cells], [c.inferences for c in cells],
            [c.input_tokens for c in cells], [c.output_tokens for c in cells],
            [c.cached_input_tokens for c in cells],
        )

    def columns(self) -> tuple[list, list, list, list, list]:
        """The five columns of every version: days, profiles, inferences, explicit input and output tokens."""
        return self.days, self.profiles, self.inferences, self.input_tokens, self.output_tokens

    def all_columns(self) -> tuple[list, list, list, list, list, list]:
        """The five columns and the cached input tokens."""
        return (*self.columns(), self.cached_input_tokens)

    def has_cached_input_tokens(self) -> bool:
        return any(n is not None for n in self.cached_input_tokens)

    def __len__(self) -> int:
        return len(self.days)

    def __iter__(self) -> Iterator[Cell]:
        return map(Cell, *self.all_columns())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return CellColumns(*(column[index] for column in self.all_columns()))
        return Cell(*(column[index] for column in self.all_columns()))

    def __eq__(self, other) -> bool:
        if isinstance(other, CellColumns):
            return self.all_columns() == other.all_columns()
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __repr__(self) -> str:
        return f"CellColumns({len(self)} cells)"


@dataclass(frozen=True, slots=True)
class ProfileMapping:
    """How a real export's source groups became one usage profile (analytics-format.md 5.3).

    `rule` is "alias", "name", "type" or "profile_option"; `matched` is the alias, code or type
    that matched, always taken from the methodology version, never from the upload.
    """

    profile: str
    rule: str
    matched: str
    source_groups: int


@dataclass
class Analytics:
    """Parsed analytics: cells sorted by (day, profile), one per (day, profile)."""

    cells: CellColumns
    format: str  # yaml, json, csv, xlsx, fluidtopics-ai-activity, fluidtopics-genai-activity, openai-usage, anthropic-usage
    sha256: str
    size_bytes: int
    mappings: list[ProfileMapping] = field(default_factory=list)
    # False when the report counts no requests (Anthropic's usage report): cells then hold 0 inferences,
    # shown as "not reported", never as a count (analytics-format.md 6.3).
    inferences_reported: bool = True
    # Model names mapped to the usage profile `generic` by the unknown_models option, sorted.
    generic_models: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.cells = CellColumns.of(self.cells)

    @property
    def first_day(self) -> date | None:
        return self.cells.days[0] if self.cells else None

    @property
    def last_day(self) -> date | None:
        return self.cells.days[-1] if self.cells else None

    @property
    def days(self) -> int:
        """Distinct days with usage."""
        return len(set(self.cells.days))


def key_path(path: str, key: str) -> str:
    """The key path of `key` under `path` ("days.3" + "profiles" -> "days.3.profiles"), as issues name it."""
    return f"{path}.{key}" if path else key


@dataclass(frozen=True, slots=True)
class AnalyticsIssue:
    """One refusal: where (line/column or key path), the offending value, and the rule it breaks."""

    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    value: str | None = None

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "path": self.path, "value": self.value, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column is not None else ""))
        if self.path:
            where.append(self.path)
        prefix = f"{'; '.join(where)}: " if where else ""
        value = f" (got {self.value})" if self.value is not None else ""
        return f"{prefix}{self.message}{value}"


class AnalyticsError(ValueError):
    """The analytics were refused. `code` is a stable machine-readable reason."""

    def __init__(self, issues: list[AnalyticsIssue], code: str = "invalid_analytics"):
        self.issues = issues
        self.code = code
        super().__init__("\n".join(str(issue) for issue in issues))
