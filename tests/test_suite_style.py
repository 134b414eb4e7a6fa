"""The suite's own conventions: every ``pytest.raises`` says which message it expects, and shared
fixtures live in ``conftest.py`` (no test module imports a fixture by name)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def raises_without_match(source: str) -> list[int]:
    """Lines of the ``pytest.raises(...)`` (or ``raises(...)``) calls that pass no ``match=``."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) in ("pytest.raises", "raises")
        and not any(keyword.arg == "match" for keyword in node.keywords)
    )


def fixtures_defined(source: str) -> list[str]:
    """Names of the functions decorated with ``pytest.fixture`` (called or not)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    found.append(node.name)
    return found


def test_every_pytest_raises_names_the_message_it_expects() -> None:
    missing = [
        f"{path.name}:{line}"
        for path in sorted(TESTS.glob("*.py"))
        for line in raises_without_match(path.read_text(encoding="utf-8"))
    ]
    assert missing == [], "add match= to pytest.raises at " + ", ".join(missing)


def test_the_raises_check_sees_a_missing_match() -> None:
    source = (
        "import pytest\n"
        "with pytest.raises(ValueError):\n    pass\n"
        "with pytest.raises(ValueError, match='x'):\n    pass\n"
        "pytest.raises(KeyError, dict().pop, 'k')\n"
    )
    assert raises_without_match(source) == [2, 6]


def test_only_conftest_and_test_modules_define_fixtures() -> None:
    helpers = [p for p in TESTS.glob("*.py") if p.name != "conftest.py" and p.stem[:5] != "test_"]
    assert helpers, "the helper modules moved"
    misplaced = {p.name: fixtures_defined(p.read_text(encoding="utf-8")) for p in sorted(helpers)}
    assert {name: found for name, found in misplaced.items() if found} == {}


def test_the_fixture_check_sees_a_fixture() -> None:
    source = (
        "import pytest\n"
        "@pytest.fixture\ndef a(): pass\n"
        "@pytest.fixture(scope='module')\ndef b(): pass\n"
        "def c(): pass\n"
    )
    assert fixtures_defined(source) == ["a", "b"]


def test_one_write_deck_helper() -> None:
    defined = [
        path.name
        for path in sorted(TESTS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "write_deck"
    ]
    assert defined == ["deck_files.py"]
