"""What the parser hands the engine: daily usage cells, never the raw upload."""

from __future__ import annotations

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

    cells: list[Cell]
    format: str  # yaml, json, csv, fluidtopics-ai-activity, fluidtopics-genai-activity, openai-usage
    sha256: str
    size_bytes: int
    mappings: list[ProfileMapping] = field(default_factory=list)

    @property
    def first_day(self) -> date | None:
        return self.cells[0].day if self.cells else None

    @property
    def last_day(self) -> date | None:
        return self.cells[-1].day if self.cells else None

    @property
    def days(self) -> int:
        """Distinct days with usage."""
        return len({cell.day for cell in self.cells})


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
