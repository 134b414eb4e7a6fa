"""``export``: the question bank as an Anki package (or GIFT / CSV for other tools)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ..bank.generate import select
from ..deck.model import Deck, Question
from ..errors import StoreError, UsageError
from ..gc_pause import without_gc
from ..wording import plural
from .common import (
    color_enabled,
    command_inputs,
    deck_options,
    echo_json,
    load_bank,
    store_path,
    style,
)
from .study_options import clock_option, make_clock

EXTENSIONS = {"apkg": ".apkg", "gift": ".gift.txt", "csv": ".csv"}
PROGRESS_THRESHOLD = 2000  # notes: smaller exports finish well under a second


# The help text (``export --help``), kept out of the function so that its code fits on a screen.
EXPORT_HELP = """\
Export the questions as an Anki deck (.apkg) that updates in place when re-imported.

One subdeck per topic, tags bonemets::topic::… and bonemets::kind::…. Re-exporting after
the bank is corrected and importing again updates the changed notes in Anki, keeps review
history, and leaves unchanged notes (and your edits to them) alone, whatever file name you
export to (each note's stamp is remembered in the user data directory). Questions retired
from the bank since you studied them (per the progress store) are exported tagged `retired`
with a notice on the card; they arrive suspended only if you tick "Import any learning
progress" in Anki's import dialog.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) start with an apostrophe ('). Anki's own markup in deck text ([sound:…],
[anki:tts]…) is exported as plain text, never as sound.

\b
Examples:
  bonemets-quiz export                          # bone-metastasis.apkg
  bonemets-quiz export -o ~/anki/bonemets.apkg --tag school::onc
  bonemets-quiz export --topic symptoms --kind cloze --title "Bone mets: symptoms"
  bonemets-quiz export -o quiz.gift.txt         # Moodle GIFT, from the name
  bonemets-quiz export --format csv -o -        # CSV to standard output
  bonemets-quiz export --deck my-deck.yaml --json
  bonemets-quiz export --with-progress          # your schedule and reviews travel too
"""


@click.command(help=EXPORT_HELP)
@deck_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write (default: <deck id>.apkg, .gift.txt or .csv in this directory). "
    "Never a deck or the progress store, an existing .yaml, a read-only file, a symbolic link "
    "(give the file it names) or a device; a FIFO or /dev/stdout is written into.",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Extra Anki tag on every note (repeatable)."
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Only the first N selected questions (bank order)."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed for multiple-choice option order."
)
@click.option("--title", help="Name of the top-level Anki deck (default: the deck's title).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXTENSIONS)),
    help="Anki package, Moodle GIFT, or CSV (default: from the -o name, else apkg).",
)
@click.option(
    "--with-progress",
    is_flag=True,
    help="Anki only: write your schedule and review history from the progress store into the "
    "package (import it in Anki with “Import any learning progress”).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@clock_option
@click.pass_context
@without_gc  # loading, generating and writing notes: no collection between the steps either
def export(
    ctx: click.Context,
    decks: tuple[str, ...],
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    output: str | None,
    tags: tuple[str, ...],
    limit: int | None,
    seed: int,
    title: str | None,
    fmt: str | None,
    with_progress: bool,
    as_json: bool,
    fixed_now: str | None,
) -> None:
    loaded, bank = load_bank(decks, topics, seed, grading=False)  # no exporter grades
    selected = select(bank, topics, kinds)
    if limit is not None:
        selected = selected[:limit]
    if not selected:
        raise UsageError("nothing to export: no question matches the given --topic/--kind")
    fmt = _format(fmt, output)
    if with_progress and fmt != "apkg":
        raise UsageError("--with-progress is for Anki packages only: drop it, or export .apkg")
    if output == "-":
        _export_to_stdout(loaded, selected, fmt, title)
        return
    path, stream = _output_path(output, loaded, fmt)
    if fmt == "apkg":
        now = make_clock(fixed_now)()
        summary = _export_apkg(
            ctx, loaded, bank, selected, path, now, topics, kinds, tags, title, with_progress
        )
    else:
        summary = _export_text(loaded, selected, path, fmt, title)
    if stream:  # the output goes to a pipe or standard output: the summary must not mix in
        click.echo(json.dumps(summary) if as_json else _describe(summary), err=True)
    elif as_json:
        echo_json(summary)
    else:
        click.echo(_describe(summary))


def _format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the output name says, else apkg; never a mismatch."""
    name = (output or "").lower()
    named = next((f for f, ext in EXTENSIONS.items() if name.endswith(ext)), None)
    named = named or ("gift" if name.endswith(".gift") else None)
    if fmt and named and fmt != named:
        raise UsageError(
            f"-o {output} names a .{named} file but --format is {fmt}: make them agree"
        )
    if not fmt and output not in (None, "-") and named is None:
        raise UsageError(f"cannot tell the format from {output!r}: add --format apkg|gift|csv")
    return fmt or named or "apkg"


def _export_to_stdout(
    loaded: list[Deck], selected: list[Question], fmt: str, title: str | None
) -> None:
    if fmt == "apkg":
        raise UsageError("an .apkg is a binary file: give -o a file name, or use --format gift|csv")
    click.echo(_render_text(loaded, selected, fmt, title), nl=False)


def _output_path(output: str | None, loaded: Sequence[Deck], fmt: str) -> tuple[Path, bool]:
    """The file to write, checked before any work (and again when written); is it a stream?"""
    from ..export.output import check_output

    stem = loaded[0].id if len(loaded) == 1 else "bonemets-quiz"
    path = Path(output) if output else Path(stem + EXTENSIONS[fmt])
    return path, check_output(path, command_inputs()).stream


def show_progress(total: int, stream: Any = None) -> bool:
    """A progress bar only for a long export, on a real terminal, without NO_COLOR."""
    return total >= PROGRESS_THRESHOLD and color_enabled(stream or sys.stderr)


def _export_apkg(
    ctx: click.Context,
    loaded: list[Deck],
    bank: list[Question],
    selected: list[Question],
    path: Path,
    now: datetime,
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    tags: tuple[str, ...],
    title: str | None,
    with_progress: bool = False,
) -> dict[str, Any]:
    from ..export.anki import export_apkg
    from ..export.anki_notes import check_tags
    from ..export.anki_stamps import read_stamps
    from ..paths import stamps_dir

    check_tags(tags)  # before anything is opened or written
    retired = select(_retired_questions(ctx, bank), topics, kinds)
    options: dict[str, Any] = {
        "now": now,
        "retired": retired,
        "title": title,
        "tags": tags,
        "previous": read_stamps(path),
        "stamp_dir": stamps_dir(),
        "inputs": command_inputs(),
        "schedule": _schedule(ctx, [*selected, *retired], now) if with_progress else None,
    }
    total = len(selected) + len(retired)
    if show_progress(total):
        with click.progressbar(length=total, label="Writing notes", file=sys.stderr) as bar:
            summary = export_apkg(loaded, selected, path, progress=bar.update, **options)
    else:
        summary = export_apkg(loaded, selected, path, **options)
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    return {**summary.to_dict(), "questions": len(selected)}


def _schedule(ctx: click.Context, questions: list[Question], now: datetime) -> Any:
    """The learner's schedule and reviews from the progress store, for the package."""
    from ..export.anki_progress import schedule_of
    from .common import store_path
    from .study_options import local_zone, no_progress, open_existing_store

    store = open_existing_store(ctx, read_only=True)
    if store is None:
        raise UsageError(no_progress(store_path(ctx)) + " (--with-progress needs one)")
    try:
        return schedule_of(store, questions, store.settings(), zone=local_zone(), now=now)
    finally:
        store.close()


def _retired_questions(ctx: click.Context, bank: list[Question]) -> list[Question]:
    """Questions the progress store knows but the decks (``bank``: all they generate now) no
    longer generate; none without a store."""
    from ..study.store.store import Store

    path = Path(store_path(ctx))
    if not path.is_file():
        return []
    current = [q.id for q in bank]
    try:
        with Store.open(path, read_only=True) as store:
            return list(store.retired_questions(current))
    except StoreError as exc:
        click.echo(f"Warning: retired questions not exported: {exc}", err=True)
        return []


def _export_text(
    loaded: list[Deck], selected: list[Question], path: Path, fmt: str, title: str | None
) -> dict[str, Any]:
    from ..export.output import write_output

    data = _render_text(loaded, selected, fmt, title).encode("utf-8")
    write_output(path, data, command_inputs())
    return {"path": str(path), "format": fmt, "questions": len(selected), "bytes": len(data)}


def _render_text(loaded: list[Deck], selected: list[Question], fmt: str, title: str | None) -> str:
    if fmt == "gift":
        from ..export.gift import render_gift

        return render_gift(selected, title or " / ".join(deck.title for deck in loaded))
    from ..export.csv_export import render_csv

    return render_csv(selected)


def _describe(summary: dict[str, Any]) -> str:
    where = style(str(summary["path"]), bold=True)
    if summary["format"] != "apkg":
        app = (
            "Moodle: Question bank → Import → GIFT"
            if summary["format"] == "gift"
            else ("Anki: File → Import…; other apps: import as CSV (question, answer, tags)")
        )
        counted = plural(summary["questions"], "question")
        return f"Wrote {where}: {counted} ({summary['format']}).\nIn {app}."
    text = (
        f"Wrote {where}: {plural(summary['notes'], 'note')}, {plural(summary['cards'], 'card')} "
        f"in {plural(len(summary['decks']), 'subdeck')} ({_size(int(summary['bytes']))})."
    )
    if summary["retired"]:
        text += (
            f"\n{summary['retired']} retired questions included: tagged 'retired', marked on the "
            "card, suspended if imported with learning progress."
        )
    return text + "\nIn Anki: File → Import… (re-importing updates notes in place)."


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"
