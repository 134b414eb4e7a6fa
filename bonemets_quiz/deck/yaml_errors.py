"""PyYAML's syntax errors in a teacher's words, at the line and column that show the mistake.

The parser says "mapping values are not allowed here" or "expected <block end>"; a deck author
needs "a colon inside an unquoted value: put it in quotes". The common mistakes are recognised
by the parser's wording; anything else keeps that wording, still located.
"""

from __future__ import annotations

import re

import yaml

from ..errors import Problem

_CANNOT_START = re.compile(r"found character '(.*)' that cannot start any token")
_INDENTATION = (
    "this line is indented differently from the lines above it",
    "keys of one entry line up at the same indentation, with spaces; "
    "a list entry starts with `- ` under its list",
)
_QUOTE_IT = 'put the whole value in quotes, e.g. note: "…"'


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    """One located problem for a YAML syntax error."""
    context, problem = exc.context or "", exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    message, hint = _translate(context, problem, exc, text)
    if _points_at_start(context, problem) and exc.context_mark is not None:
        mark = exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(name, line, column, message, hint)


def _points_at_start(context: str, problem: str) -> bool:
    """Errors found at the end of something are best shown where that something began."""
    return (
        ("quoted scalar" in context and "end of stream" in problem)
        or "flow sequence" in context
        or "flow mapping" in context
        or "simple key" in context
        or "an alias" in context
        or "an anchor" in context
    )


def _translate(context: str, problem: str, exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str]:
    found = _CANNOT_START.search(problem)
    if found and found.group(1) == "\\t":
        return "a tab character where YAML needs spaces", "indent with spaces only, never tabs"
    if found:
        return f"a value cannot start with {found.group(1)}", _QUOTE_IT
    if "mapping values are not allowed" in problem:
        if _colon_before(exc.problem_mark, text):
            return "a colon followed by a space inside an unquoted value", _QUOTE_IT
        return _INDENTATION
    if "quoted scalar" in context and "end of stream" in problem:
        return "a quote opened here is never closed", "end the value with the same quote mark"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return (
            f"a {bracket} opened here is not closed",
            f"close it with {']' if bracket == '[' else '}'}, or put text starting with "
            f"{bracket} in quotes",
        )
    if "an alias" in context or "an anchor" in context:
        sign = "*" if "alias" in context else "&"
        return f"a value starting with {sign} is read by YAML as a reference", _QUOTE_IT
    if "unknown escape character" in problem:
        return (
            "an unknown \\ escape inside double quotes",
            "write \\\\ for a backslash, or use single quotes",
        )
    if "simple key" in context and "expected ':'" in problem:
        return (
            "a line that is not `key: value` inside a mapping",
            "add `: ` after the key, indent a continued value under its key, or quote it",
        )
    if "expected <block end>, but found '<scalar>'" in problem and _after_quote(exc, text):
        return "text after the closing quote", "put the whole value inside the quotes"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return _INDENTATION
    if "single document" in context:
        return (
            "a second document starts here; a deck is a single document",
            "remove the `---` line (and anything after it that is not part of the deck)",
        )
    if "undefined alias" in problem:
        missing = problem.replace("found undefined alias", "").strip()
        return f"a value starting with * is read by YAML as a reference to {missing}", _QUOTE_IT
    what = " ".join(part for part in (context, problem) if part)
    return f"YAML syntax: {what}", "check indentation, colons and quotes on this line"


def _line_text(mark: yaml.Mark | None, text: str) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    return lines[mark.line] if mark.line < len(lines) else ""


def _colon_before(mark: yaml.Mark | None, text: str) -> bool:
    """True when the line already had its `key: ` before the colon complained about."""
    line = _line_text(mark, text)
    column = mark.column if mark else 0
    return ": " in line[:column].lstrip(" -")


def _after_quote(exc: yaml.MarkedYAMLError, text: str) -> bool:
    mark = exc.problem_mark
    before = _line_text(mark, text)[: mark.column if mark else 0].rstrip()
    return before.endswith(('"', "'"))
