"""The names map: log file name → the learner's pseudonym, read from a small CSV or JSON file.

The map is only read, never copied: the report shows pseudonyms (or file stems) and nothing else
about who a learner is. CSV: ``file,pseudonym`` per line (a header line ``file,...`` is skipped);
JSON: one object ``{"file name": "pseudonym", ...}``.
"""

from __future__ import annotations

import csv
import io
import json
import os

from ..errors import Problem
from ..progress.review_log import LogError

FIX_CSV = "write one `file,pseudonym` pair per line"


def read_names(path: str | os.PathLike[str]) -> dict[str, str]:
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not UTF-8 text"
        problem = Problem(name, 0, 0, f"cannot read the names map ({why})", "check the path")
        raise LogError(problem) from None
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        return _json(name, text)
    return _csv(name, text)


def _json(name: str, text: str) -> dict[str, str]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(name, exc.lineno, exc.colno, f"bad JSON: {exc.msg}", "fix the JSON") from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise _error(name, 1, 1, "expected an object of file name → pseudonym strings",
                     'write {"file.jsonl": "pseudonym", ...}')  # fmt: skip
    return {k: v.strip() for k, v in value.items()}


def _csv(name: str, text: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("file", "filename", "log"):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise _error(name, number, 1, f"expected 2 columns, found {len(row)}", FIX_CSV)
        names[row[0].strip()] = row[1].strip()
    return names


def _error(name: str, line: int, column: int, what: str, fix: str) -> LogError:
    return LogError(Problem(name, line, column, what, fix))
