"""Options and output helpers shared by the commands."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..deck.question import Question, QuestionKind
from ..errors import Problem

if TYPE_CHECKING:
    from ..deck.model import Deck

F = TypeVar("F", bound=Callable[..., Any])
# Patterns compiled on first use (``re`` caches them), not on the way to the first question:
# every character they match is a control, format or surrogate character, so text that
# ``isprintable()`` has none of them.
_CONTROL = (  # escape sequences, control characters, bidirectional overrides/isolates
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

_PATH_UNSAFE = r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"

_SURROGATE = "[\ud800-\udfff]"

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
    from ..bank.generate import select

    loaded, bank = load_bank(decks, topics, seed)
    return loaded, select(bank, topics, kinds)


def load_bank(
    decks: tuple[str, ...], topics: tuple[str, ...], seed: int = 0, grading: bool = True
) -> tuple[list[Deck], list[Question]]:
    """The decks and every question they generate (``grading``: with what grading reads; see
    ``generate_bank``); an unknown topic is a usage error."""
    from ..bank.generate import generate_bank
    from ..bank.loading import load_decks

    loaded = load_decks(decks)
    check_topics(topics, [t.id for deck in loaded for t in deck.topics])
    return loaded, generate_bank(loaded, seed, grading=grading)


def check_topics(topics: Iterable[str], known: Iterable[str]) -> None:
    """``--topic`` names only topics of the decks: an unknown one is a usage error."""
    known = sorted(set(known))
    unknown = sorted(set(topics) - set(known))
    if unknown:
        raise click.BadParameter(
            f"unknown topic {', '.join(unknown)}; known topics: {', '.join(known)}",
            param_hint="--topic",
        )


def store_path(ctx: click.Context) -> str:
    """The progress store's file: the top-level ``--store``, else the default location."""
    from ..paths import default_location

    return str((ctx.find_root().obj or {}).get("store") or default_location())


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
    if text.isprintable():
        return text
    return re.sub(_CONTROL, "", text)


def safe_path(path: object) -> str:
    """A file name for the terminal: control, bidi and undecodable characters shown as escapes."""
    text = str(path)
    if text.isprintable():
        return text
    return re.sub(_PATH_UNSAFE, lambda m: m.group().encode("unicode_escape").decode(), text)


def problem_text(problem: Problem) -> str:
    """A problem's one line, safe to print: its path escaped, deck text cleaned."""
    return safe_text(str(problem._replace(path=safe_path(problem.path))))


def emit_text(text: str, output: str | None) -> bool:
    """Print ``text`` (no ``output``, or ``-``), else write it to a checked path.

    True if a file was written (the caller then says so); False for standard output or a stream
    such as a FIFO or ``/dev/stdout``, where a "Wrote" line would mix with the text. The path is
    refused (exit 2, one line) if it is one of the command's inputs; see ``export.output``.
    """
    if output is None or output == "-":
        click.echo(text, nl=False)
        return False
    from ..export.output import write_output

    return not write_output(output, text.encode("utf-8"), command_inputs()).stream


def refuse_bad_output(output: str | None) -> None:
    """Refuse an output path before any work or warning (exit 2, one line); ``emit_text``
    checks it again when it writes."""
    if output is None or output == "-":
        return
    from ..export.output import check_output

    check_output(output, command_inputs())


def command_inputs() -> list[str]:
    """The files the running command reads: its decks (``--deck``, else built-in), the store."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return []
    files = [store_path(ctx)]
    if "decks" in ctx.params:
        from ..deck.paths import builtin_deck_path, expand_paths
        from ..errors import QuizError

        try:
            decks = expand_paths(ctx.params["decks"] or ()) or [builtin_deck_path()]
        except QuizError:
            decks = []
        files += [str(deck) for deck in decks] + list(ctx.params["decks"] or ())
    return files


def echo_json(value: object) -> None:
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    # a file name that is not UTF-8 holds lone surrogates: \u escapes keep the JSON valid
    click.echo(re.sub(_SURROGATE, lambda m: f"\\u{ord(m.group()):04x}", text))


def format_options(people: str, help_text: str) -> Callable[[F], F]:
    """``--format PEOPLE|json`` (``fmt``) and its shorthand ``--json`` (``as_json``)."""

    def decorate(command: F) -> F:
        command = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")(
            command
        )
        return click.option(
            "--format",
            "fmt",
            type=click.Choice([people, "json"]),
            default=people,
            show_default=True,
            help=help_text,
        )(command)

    return decorate
