"""``questions`` and ``validate``: look at the question bank."""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter

import click

from ..deck_loader import load_decks
from ..errors import DeckError
from ..generate import generate_bank
from .common import deck_options, echo_json, load_questions, safe_text


@click.command()
@deck_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Table for people, JSON for scripts.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed for multiple-choice option order."
)
def questions(
    decks: tuple[str, ...],
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    fmt: str,
    as_json: bool,
    seed: int,
) -> None:
    """List the questions generated from a deck.

    \b
    Examples:
      bonemets-quiz questions
      bonemets-quiz questions --topic symptoms --kind multiple_choice
      bonemets-quiz questions --format json > bank.json
      bonemets-quiz questions --deck my-deck.yaml
    """
    _, selected = load_questions(decks, topics, kinds, seed)
    if fmt == "json" or as_json:
        echo_json([_public(q.to_dict()) for q in selected])
        return
    width = min(shutil.get_terminal_size((100, 24)).columns, 120)
    for q in selected:
        click.echo(click.style(q.id, bold=True) if _tty() else q.id)
        body = f"{safe_text(q.prompt)}\n→ {safe_text(q.answer)}"
        if q.options:
            body += "\n" + "\n".join(
                f"  {chr(65 + i)}. {safe_text(o)}" for i, o in enumerate(q.options)
            )
        for line in body.splitlines():
            click.echo(textwrap.fill(line, width, initial_indent="  ", subsequent_indent="    "))
    click.echo(f"{len(selected)} questions")


def _tty() -> bool:
    from .common import color_enabled

    return color_enabled()


def _public(row: dict[str, object]) -> dict[str, object]:
    """The JSON shape promised to scripts: stable keys first."""
    keys = (
        "id",
        "fact_id",
        "deck_id",
        "kind",
        "variant",
        "topic",
        "prompt",
        "answer",
        "accepted",
        "options",
        "correct_option",
        "items",
        "cloze",
        "section",
        "note",
        "source",
        "replaces",
    )
    return {k: row[k] for k in keys}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths: tuple[str, ...]) -> None:
    """Check deck files; print every problem as FILE:LINE:COL.

    Exit 0 when every deck is valid, 2 when any problem is found.

    \b
    Examples:
      bonemets-quiz validate my-deck.yaml
      bonemets-quiz validate decks/
    """
    try:
        loaded = load_decks(paths)
    except DeckError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found", err=True)
        raise SystemExit(2) from None
    for deck in loaded:
        bank = generate_bank([deck])
        kinds = Counter(q.kind.value for q in bank)
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        click.echo(f"{deck.path}: ok — {len(deck.facts)} facts, {len(bank)} questions ({by_kind})")
