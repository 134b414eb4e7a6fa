"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..question import Question, QuestionKind

if TYPE_CHECKING:
    from ..model import Deck

F = TypeVar("F", bound=Callable[..., Any])
_CONTROL = re.compile(  # escape sequences, control characters, bidirectional overrides/isolates
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

KIND_CHOICE = click.Choice([k.value for k in QuestionKind])


def deck_options(func: F) -> F:
    """``--deck``, ``--topic`` and ``--kind``: which questions a command works on."""
    func = click.option(
        "--kind",
        "kinds",
        multiple=True,
        type=KIND_CHOICE,
        help="Only questions of this kind (repeatable).",
    )(func)
    func = click.option(
        "--topic",
        "topics",
        multiple=True,
        metavar="TOPIC",
        help="Only questions of this topic id (repeatable).",
    )(func)
    func = click.option(
        "--deck",
        "decks",
        multiple=True,
        type=click.Path(),
        help="Deck file or directory of decks (repeatable; default: built-in).",
    )(func)
    return func


def load_questions(
    decks: tuple[str, ...], topics: tuple[str, ...], kinds: tuple[str, ...], seed: int = 0
) -> tuple[list[Deck], list[Question]]:
    """The decks and the selected questions; an unknown topic is a usage error."""
    from ..generate import select

    loaded, bank = load_bank(decks, topics, seed)
    return loaded, select(bank, topics, kinds)


def load_bank(
    decks: tuple[str, ...], topics: tuple[str, ...], seed: int = 0
) -> tuple[list[Deck], list[Question]]:
    """The decks and every question they generate; an unknown topic is a usage error."""
    from ..deck_loader import load_decks
    from ..generate import generate_bank

    loaded = load_decks(decks)
    known = {t.id for deck in loaded for t in deck.topics}
    unknown = sorted(set(topics) - known)
    if unknown:
        raise click.BadParameter(
            f"unknown topic {', '.join(unknown)}; known topics: {', '.join(sorted(known))}",
            param_hint="--topic",
        )
    return loaded, generate_bank(loaded, seed)


def color_enabled(stream: Any = None) -> bool:
    """Colour only on a real terminal; never with NO_COLOR or TERM=dumb."""
    stream = stream or sys.stdout
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def style(text: str, **styles: Any) -> str:
    return click.style(text, **styles) if color_enabled() else text


def safe_text(text: str) -> str:
    """Deck text with escape sequences, control characters and bidi overrides removed."""
    return _CONTROL.sub("", text)


def emit_text(text: str, output: str | None) -> bool:
    """Print ``text`` (no ``output``, or ``-``), else write it atomically; True if written."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return False
    from ..errors import UsageError
    from ..export.atomic import write_text_atomic

    try:
        write_text_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror}") from None
    return True


def echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
