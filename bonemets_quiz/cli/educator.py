"""``init``, ``schema`` and ``worksheet``: for people who write decks and hand them out."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from .common import deck_options, emit_text

if TYPE_CHECKING:
    from ..educators.worksheet.sheet import Worksheet

SCHEMA_FILE = "deck.schema.json"
STARTER_PICTURE = "long-bone.png"  # the starter deck's commented `image:` example names it


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--title", help="Deck title (default: from the file name).")
@click.option(
    "--id", "deck_id", metavar="SLUG", help="Deck id (default: file name + a random suffix)."
)
@click.option("--no-schema", is_flag=True, help=f"Do not write {SCHEMA_FILE} beside the deck.")
def init(path: str, title: str | None, deck_id: str | None, no_schema: bool) -> None:
    """Write a commented starter deck to PATH: every kind of fact once, every field explained.

    The deck gets a fresh, stable id; an existing file is never overwritten. Unless
    --no-schema is given, the JSON Schema is saved as deck.schema.json beside the deck (if not
    there yet), so editors that read the deck's `yaml-language-server` line complete and check it.

    \b
    Examples:
      bonemets-quiz init my-deck.yaml
      bonemets-quiz init decks/anatomy.yaml --title "Anatomy, week 3"
      bonemets-quiz validate my-deck.yaml
    """
    from ..bank.generate import generate_questions
    from ..bank.loading import parse_deck
    from ..deck.loader import SLUG
    from ..educators.starter import new_deck_id, starter_deck, title_from

    target = Path(path)
    if deck_id is not None and not SLUG.match(deck_id):
        raise click.BadParameter("use lower-case letters, digits and '-'", param_hint="--id")
    if title is not None and not title.strip():
        raise click.BadParameter("the title is empty", param_hint="--title")
    stem = target.name.split(".")[0]
    deck_id = deck_id or new_deck_id(stem, random.Random())
    text = starter_deck(deck_id, title or title_from(stem), target.name)
    deck = parse_deck(text, str(target))
    questions = generate_questions(deck)
    _write_new(target, text)
    _write_picture(target.parent / STARTER_PICTURE)
    click.echo(
        f"Wrote {target}: a starter deck with id {deck_id} "
        f"({len(deck.facts)} facts, {len(questions)} questions)."
    )
    if not no_schema:
        schema_path = target.parent / SCHEMA_FILE
        if _write_schema_once(schema_path):
            click.echo(f"Wrote {schema_path}: the JSON Schema editors use to check the deck.")
    if target.suffix not in (".yaml", ".yml"):
        click.echo("Note: name deck files *.yaml so `--deck DIRECTORY` finds them.", err=True)
    click.echo(f"Next: edit it, then run `bonemets-quiz validate {target}`.")


def _write_new(target: Path, text: str) -> None:
    """Create ``target``; refuse (exit 2) if anything is already there."""
    from ..export.output import cannot_write, create_output

    try:
        os.stat(target.parent)
    except FileNotFoundError:
        raise UsageError(f"{target.parent}: no such directory — create it first") from None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    if not create_output(target, text.encode("utf-8")):
        raise UsageError(
            f"{target} already exists — choose another file name (init never overwrites)"
        )


def _write_picture(path: Path) -> None:
    """The starter deck's example picture, drawn here; an existing file is left alone."""
    from ..deck.png import long_bone_diagram

    try:
        with path.open("xb") as handle:
            handle.write(long_bone_diagram())
    except OSError:
        return  # only an example: the deck is written, and says how to add a picture
    click.echo(f"Wrote {path}: an example picture (see `image:` in the deck).")


def _write_schema_once(schema_path: Path) -> bool:
    from ..educators.starter import deck_schema
    from ..export.output import OutputRefused, create_output

    try:
        return create_output(schema_path, deck_schema().encode("utf-8"))
    except OutputRefused as exc:
        click.echo(f"Warning: {schema_path} not written: {exc}", err=True)
        return False


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write to this file, not stdout (never over a deck, a read-only file, a symbolic link "
    "or a device; a FIFO or /dev/stdout is written into).",
)
def schema(output: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the deck format, for editors and tools.

    Save it beside your decks and start a deck with
    `# yaml-language-server: $schema=./deck.schema.json` (init does both). The schema checks
    shapes and types as you type; `bonemets-quiz validate` also checks ids and topics.

    \b
    Examples:
      bonemets-quiz schema -o deck.schema.json
      bonemets-quiz schema | python3 -m json.tool
    """
    from ..educators.starter import deck_schema

    if emit_text(deck_schema(), output):
        click.echo(f"Wrote {output}.")


@click.command()
@deck_options
@click.option(
    "--count", type=click.IntRange(min=1), default=20, show_default=True, help="Questions."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Another seed, another worksheet."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    help="Markdown or HTML (default: from the -o suffix, else md).",
)
@click.option(
    "--answers",
    type=click.Choice(["end", "inline", "none"]),
    default="end",
    show_default=True,
    help="Answer key on its own page at the end, after each question, or none.",
)
@click.option("--title", help="Heading (default: the deck titles).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default: stdout).")
def worksheet(
    decks: tuple[str, ...],
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    count: int,
    seed: int,
    fmt: str | None,
    answers: str,
    title: str | None,
    output: str | None,
) -> None:
    """Make a printable worksheet: numbered questions, answer key with clinical notes.

    Multiple-choice options are laid out A-D, fill-in-the-blanks and typed answers get lines
    to write on. At most one question per fact is chosen (questions of one fact give each
    other away) unless --count needs more, with a warning; two questions of one fact, or two
    where one's answer is in the other's prompt, are never printed next to each other. The
    same seed gives the same worksheet; the HTML prints on A4 or Letter without splitting a
    question across pages or leaving one alone on a page.

    \b
    Examples:
      bonemets-quiz worksheet --count 15 --format html -o quiz.html
      bonemets-quiz worksheet --topic symptoms --kind multiple_choice --seed 2
      bonemets-quiz worksheet --deck my-deck.yaml --answers inline -o teacher.md
      bonemets-quiz worksheet --deck decks/ --answers none -o students.html
    """
    from ..educators.worksheet.sheet import build_worksheet
    from .common import load_questions, refuse_bad_output

    refuse_bad_output(output)
    loaded, selected = load_questions(decks, topics, kinds, seed)
    if not selected:
        raise UsageError("no questions match these --topic/--kind options — loosen them")
    if count > len(selected):
        click.echo(f"Note: only {len(selected)} questions match; using all of them.", err=True)
    sheet = build_worksheet(loaded, selected, count, seed, answers, title)
    for warning in sheet.warnings:
        click.echo(f"Warning: {warning}.", err=True)
    fmt = fmt or ("html" if output and output.lower().endswith((".html", ".htm")) else "md")
    if emit_text(_render_sheet(sheet, fmt, output), output):
        click.echo(f"Wrote {output}: {len(sheet.items)} questions ({fmt}, answers: {answers}).")


def _render_sheet(sheet: Worksheet, fmt: str, output: str | None) -> str:
    """The worksheet as HTML, or as Markdown with image paths relative to ``output``."""
    if fmt == "html":
        from ..educators.worksheet.html import render_html

        return render_html(sheet)
    from ..educators.worksheet.markdown import render_markdown

    base = os.path.dirname(os.path.abspath(output)) if output not in (None, "-") else "."
    return render_markdown(sheet, base)
