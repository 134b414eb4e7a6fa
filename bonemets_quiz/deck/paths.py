"""Which deck files a command reads: the built-in deck, or the files and directories given.

No YAML and no pathlib here: the quiz's cache-hit path (``bank_cache``) uses it too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import DeckError, Problem

if TYPE_CHECKING:
    from pathlib import Path

BUILTIN_DECK = "bone-metastasis.yaml"
DECK_SUFFIXES = (".yaml", ".yml")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bonemets_quiz/


def builtin_deck() -> str:
    """The built-in deck, shipped in the package (``decks/`` maps to ``bonemets_quiz.decks``;
    in a source checkout it sits beside the package)."""
    packaged = os.path.join(_PACKAGE, "decks", BUILTIN_DECK)
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(_PACKAGE), "decks", BUILTIN_DECK)


def builtin_deck_path() -> Path:
    from pathlib import Path

    return Path(builtin_deck())


def expand(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """Deck files from files and directories (a directory: every ``*.yaml``/``*.yml`` in it,
    hidden files aside, sorted), and a problem for each directory that holds none."""
    found: list[str] = []
    problems: list[Problem] = []
    for raw in [os.fspath(path) for path in paths]:
        if not os.path.isdir(raw):  # a stat only, and False for a name the system refuses
            found.append(raw)
            continue
        inside = sorted(
            os.path.join(raw, name)
            for name in os.listdir(raw)
            if name.endswith(DECK_SUFFIXES) and not name.startswith(".")
        )
        if not inside:
            from pathlib import PurePath  # the name as the loader spells files: rare, so late

            name = str(PurePath(raw))
            problems.append(
                Problem(name, 0, 0, "directory holds no .yaml deck", "pass a deck file")
            )
        found.extend(inside)
    return found, problems


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """As ``expand``, as paths; a directory without decks is a ``DeckError``."""
    from pathlib import Path

    found, problems = expand(paths)
    if problems:
        raise DeckError(problems)
    return [Path(file) for file in found]


def deck_files(paths: Iterable[str | os.PathLike[str]]) -> list[str] | None:
    """The deck files a command reads (the built-in one when none are given); None when any is
    missing or a directory holds none (the loader will say what is wrong)."""
    given = list(paths)
    if not given:
        return [builtin_deck()]
    found, problems = expand(given)
    return None if problems or not all(os.path.isfile(f) for f in found) else found
