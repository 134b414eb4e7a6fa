"""The import graph reads top-down: each package imports only from the packages below it.

Every import counts, including those inside functions and under TYPE_CHECKING: a lazy import is
still an arrow. The package's own ``__init__`` (the public API, loaded lazily) and ``__main__``
stand above everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bonemets_quiz

PACKAGE = Path(bonemets_quiz.__file__).parent
# bottom to top; "" is the package root's utility modules (errors, paths, wording, …)
LAYERS = ["", "text", "deck", "study", "bank", "export", "educators", "progress", "insight", "cli"]
TOP = {"__init__.py", "__main__.py"}


def layer_of(parts: tuple[str, ...]) -> str:
    """The layer of a module given by its path parts inside the package."""
    return parts[0] if len(parts) > 1 else ""


def imported(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, target's parts inside the package) of every import of our own modules in ``path``."""
    own = path.relative_to(PACKAGE).parts
    package = own[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            module = tuple(node.module.split(".")) if node.module else ()
            targets = [base + module] if module else [(*base, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
            )
            targets = [tuple(n.split(".")[1:]) for n in names if n.split(".")[0] == "bonemets_quiz"]
        else:
            continue
        found += [(node.lineno, target) for target in targets if target]
    return found


def arrows_up() -> list[str]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1 and parts[0] in TOP:
            continue
        here = LAYERS.index(layer_of(parts))
        for line, target in imported(path):
            there = layer_of(target) if (PACKAGE / target[0]).is_dir() else ""
            if LAYERS.index(there) > here:
                wrong.append(f"{'/'.join(parts)}:{line} imports {'.'.join(target)} ({there}/)")
    return wrong


def test_every_folder_has_its_place_in_the_layers() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(LAYERS) - {""}


def test_no_arrow_points_up() -> None:
    assert arrows_up() == [], "move the code down, or pass it in from above"


def test_an_arrow_up_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bonemets_quiz"
    (fake / "deck").mkdir(parents=True)
    (fake / "study").mkdir()
    (fake / "deck" / "model.py").write_text("def f():\n    from ..study.session import Session\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert arrows_up() == ["deck/model.py:2 imports study.session (study/)"]
