"""Loading decks for use: each file read (``deck_loader``), then the error-level item-writing
rules (``lint.lint_errors``) run on every sound deck, so every command refuses what ``validate``
calls an error. It sits above both, keeping the import arrows one way.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..deck.loader import Found, read_deck_file, read_deck_text
from ..deck.locate import Locator
from ..deck.model import Deck
from ..deck.paths import builtin_deck_path, expand
from ..errors import DeckError, Problem
from ..gc_pause import without_gc
from ..records import Record


def load_decks(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Deck]:
    """Load decks (the built-in one when none are given); every problem of every file at once."""
    decks, problems = check_decks(paths)[:2]
    if problems:
        raise DeckError(problems)
    return decks


class Checked(Record):
    decks: list[Deck]
    problems: list[Problem]
    files: list[str]  # the deck files looked at, in order
    places: list[Locator]  # positions in each deck's file (the nodes it was built from)


@without_gc
def check_decks(paths: Iterable[str | os.PathLike[str]] = (), rules: bool = True) -> Checked:
    """The decks that could be built and every problem of every file, never stopping at one.

    A deck whose only problems are broken rules (``lint.lint_errors``: a distractor that is a
    right answer, a false variant that is true…) is among the decks, so ``validate`` can say
    more about it; ``rules=False`` skips those checks (an old version of a deck, for comparison).
    """
    given = list(paths)
    named, problems = expand(given)
    files = [Path(f) for f in named] if given else [builtin_deck_path()]
    decks: list[Deck] = []
    places: list[Locator] = []
    for file in files:
        deck, found, where = _checked(read_deck_file(file), rules)
        problems.extend(found)
        if deck is not None and where is not None:
            decks.append(deck)
            places.append(where)
    seen: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(
                    deck.path,
                    0,
                    0,
                    f"deck id {deck.id!r} is also used by {seen[deck.id].path}",
                    "give each deck its own id",
                )
            )
        seen[deck.id] = deck
    return Checked(decks, problems, [str(file) for file in files], places)


def load_deck(path: str | Path) -> Deck:
    return _loaded(*_checked(read_deck_file(Path(path)))[:2])


def parse_deck(text: str, name: str = "<deck>") -> Deck:
    return _loaded(*_checked(read_deck_text(text, name))[:2])


def _loaded(deck: Deck | None, problems: list[Problem]) -> Deck:
    if problems or deck is None:
        raise DeckError(problems)
    return deck


def _checked(found: Found, rules: bool = True) -> Found:
    """The error-level rules on a structurally sound deck (they need its questions generated)."""
    deck, problems, where = found
    if not rules or deck is None or where is None or problems:
        return found
    from .lint.lint import lint_errors  # imports generate: only on this slow path

    return deck, lint_errors(deck, where), where
