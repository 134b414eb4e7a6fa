"""The package's shape: small modules (at most 400 lines), functions that fit on a screen (at
most 50 lines, from the ``def`` line to the last line, decorators not counted)."""

from __future__ import annotations

import ast
from pathlib import Path

import bonemets_quiz

MODULE_LINES = 400
FUNCTION_LINES = 50
PACKAGE = Path(bonemets_quiz.__file__).parent
ROOT = PACKAGE.parent

# TEMPORARY: modules other branches are changing now, over a limit today. Each entry is a module
# (``path``) or one function (``path:name``); the lead empties this after merging them.
ALLOWED: frozenset[str] = frozenset()


def function_lengths(source: str) -> list[tuple[str, int, int]]:
    """(name, line, length) of every function and method, nested ones too."""
    return [
        (node.name, node.lineno, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _modules() -> list[tuple[str, str]]:
    return [
        (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _too_long() -> dict[str, str]:
    """Every module and function over its limit, by allowlist key: the failure line for each."""
    found: dict[str, str] = {}
    for name, source in _modules():
        lines = len(source.splitlines())
        if lines > MODULE_LINES:
            found[name] = (
                f"{name}:1: module is {lines} lines (limit {MODULE_LINES}) — split it by concept"
            )
        for function, line, length in function_lengths(source):
            if length > FUNCTION_LINES:
                found[f"{name}:{function}"] = (
                    f"{name}:{line}: {function} is {length} lines (limit {FUNCTION_LINES}) — "
                    "split it into steps"
                )
    return found


def test_function_length_counts_from_the_def_line_to_the_last_line() -> None:
    source = (
        "@decorator\n"
        "def outer(\n"
        "    a: int,\n"
        ") -> int:\n"
        '    """Doc."""\n'
        "    def inner() -> int:\n"
        "        return a\n"
        "\n"
        "    return inner()\n"
        "\n"
        "class C:\n"
        "    async def method(self) -> None:\n"
        "        pass\n"
    )
    assert sorted(function_lengths(source)) == [("inner", 6, 2), ("method", 12, 2), ("outer", 2, 8)]


def test_no_module_or_function_is_too_long() -> None:
    over = [message for key, message in sorted(_too_long().items()) if key not in ALLOWED]
    assert not over, "\n".join(over)


def test_every_allowed_entry_is_still_too_long() -> None:
    stale = sorted(ALLOWED - set(_too_long()))
    assert not stale, "within the limits now, remove from ALLOWED: " + ", ".join(stale)
