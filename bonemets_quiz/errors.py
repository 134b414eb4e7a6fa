"""One small hierarchy of domain errors. The CLI turns them into messages and exit codes."""

from __future__ import annotations

from .records import Record


class Problem(Record):
    """One located problem in an input file: ``file:line:col: message — hint``.

    (A named tuple, not a dataclass: it is on the quiz's start-up path.)
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class QuizError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = 1


class DeckError(QuizError):
    """A deck file could not be loaded; carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StoreError(QuizError):
    """The progress store cannot be used as it is (corrupt, newer, read-only, busy)."""

    exit_code = 2


class UsageError(QuizError):
    """A request that cannot be met with the given options (no such topic, nothing to export)."""

    exit_code = 2
