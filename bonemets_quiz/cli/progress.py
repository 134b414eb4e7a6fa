"""``progress export`` and ``progress import``: the review log that carries progress between
machines."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..wording import plural
from .common import echo_json, store_path
from .study_options import cache_dir, no_progress, open_existing_store, open_store

if TYPE_CHECKING:
    from ..bank.cache import Bank
    from ..study.scheduling import Settings
    from ..study.store.store import Store

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
# Test hook: print a line to stderr every N rows handled during an import (the crash test kills
# the process after a chosen number of them, mid-transaction).
PROGRESS_ENV = "BONEMETS_QUIZ_PROGRESS_EVERY"


@click.group()
def progress() -> None:
    """Carry your progress: export the review log, merge logs from other machines.

    \b
    Examples:
      bonemets-quiz progress export -o laptop.jsonl
      bonemets-quiz progress export -o revlog.csv        # FSRS optimizer layout
      bonemets-quiz progress import laptop.jsonl phone.jsonl --json
      bonemets-quiz progress import-anki ~/Desktop/phone.apkg
    """


@progress.command("export")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="File, or - for stdout."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="JSON Lines (ours, importable) or the FSRS revlog CSV (default: from the -o suffix).",
)
@click.option("--deck", "decks", multiple=True, type=click.Path(), help="Deck file(s) (GUIDs).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def export_cmd(
    ctx: click.Context, output: str, fmt: str | None, decks: tuple[str, ...], as_json: bool
) -> None:
    """Write every review in the store: question id, Anki GUID, time (UTC), rating, duration, your
    answer, the grader's verdict and the card's state before and after.

    \b
    Examples:
      bonemets-quiz progress export -o progress.jsonl
      bonemets-quiz progress export -o revlog.csv
      bonemets-quiz progress export -o - --format jsonl | gzip > progress.jsonl.gz
    """
    from ..bank.cache import load_bank
    from ..progress.logs import export_log

    fmt = _format(fmt, output)
    bank = load_bank(decks, 0, cache_dir())
    store = open_existing_store(ctx)
    if store is None:
        raise UsageError(no_progress(store_path(ctx)))
    try:
        target = sys.stdout if output == "-" else output
        if output != "-" and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
            raise UsageError(f"cannot write {output}: its folder does not exist — create it")
        try:
            count = export_log(store, bank.questions, target, fmt, now=datetime.now(UTC))
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        store.close()
    if output == "-":
        return
    summary = {"output": output, "format": fmt, "reviews": count}
    if as_json:
        echo_json(summary)
    else:
        click.echo(f"Wrote {plural(count, 'review')} to {output} ({fmt}).")


def _format(fmt: str | None, output: str) -> str:
    named = next((f for s, f in SUFFIXES.items() if output.lower().endswith(s)), None)
    if fmt and named and fmt != named:
        raise UsageError(
            f"-o {output} names a .{named} file but --format is {fmt}: make them agree"
        )
    if not fmt and output != "-" and named is None:
        raise UsageError(f"cannot tell the format from {output!r}: add --format jsonl|csv")
    return fmt or named or "jsonl"


@progress.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--deck", "decks", multiple=True, type=click.Path(), help="Deck file(s).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def import_cmd(
    ctx: click.Context, files: tuple[str, ...], decks: tuple[str, ...], as_json: bool
) -> None:
    """Merge review logs (.jsonl from `progress export`) into the store, in one transaction.

    Importing the same log twice changes nothing, and logs merge to the same result in any
    order; each touched question's schedule is recomputed from its merged history. A bad file
    changes nothing.

    \b
    Examples:
      bonemets-quiz progress import laptop.jsonl
      bonemets-quiz --store work.sqlite3 progress import home.jsonl phone.jsonl --json
    """
    from ..bank.cache import load_bank
    from ..gc_pause import gc_paused
    from ..progress.logs import import_records
    from ..progress.review_log import read_log

    now = datetime.now(UTC)
    # every file is read and checked before the store is even opened
    with gc_paused():
        records = [r for name in files for r in read_log(name, now, states=False)[1]]
    bank = load_bank(decks, 0, cache_dir())
    store = open_store(ctx)
    try:
        summary = import_records(
            store, bank.questions, records, scheduled_with(store, bank), now=now, progress=_hook()
        )._replace(files=files)
    finally:
        store.close()
    if as_json:
        echo_json(summary.to_dict())
        return
    retired = f", {summary.retired} of retired questions" if summary.retired else ""
    click.echo(
        f"Imported {plural(summary.added, 'review')} "
        f"({summary.duplicates} already there{retired}); "
        f"{plural(summary.recomputed, 'question')} rescheduled from their history."
    )


@progress.command("import-anki")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--deck", "decks", multiple=True, type=click.Path(), help="Deck file(s).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def import_anki_cmd(ctx: click.Context, file: str, decks: tuple[str, ...], as_json: bool) -> None:
    """Merge the reviews you did in Anki into the store (.apkg, .colpkg or collection.anki2).

    Export from Anki with scheduling included (File → Export…, “Include scheduling
    information”). Our notes are found by their GUID; other notes are counted and ignored. As
    with `progress import`, reviews already in the store are not added again, and each touched
    question is rescheduled from its merged history. A bad file changes nothing.

    \b
    Examples:
      bonemets-quiz progress import-anki phone.apkg
      bonemets-quiz progress import-anki collection.colpkg --json
    """
    from ..bank.cache import load_bank
    from ..progress.anki_import import import_anki, read_revlog

    now = datetime.now(UTC)
    read_revlog(file)  # the file is checked before the store is even opened
    bank = load_bank(decks, 0, cache_dir())
    store = open_store(ctx)
    try:
        summary = import_anki(store, bank.questions, file, scheduled_with(store, bank), now=now)
    finally:
        store.close()
    if as_json:
        echo_json(summary.to_dict())
        return
    merged = summary.merged
    click.echo(
        f"Imported {plural(merged.added, 'review')} from Anki "
        f"({merged.duplicates} already there) of "
        f"{plural(summary.notes, 'note')}; {plural(summary.other_notes, 'other note')} ignored; "
        f"{plural(merged.recomputed, 'question')} rescheduled from their history."
    )


def _hook() -> Callable[[int], None] | None:
    every = int(os.environ.get(PROGRESS_ENV) or 0)
    if every <= 0:
        return None

    def tick(count: int) -> None:
        if count % every == 0:
            print(f"progress {count}", file=sys.stderr, flush=True)

    return tick


def scheduled_with(store: Store, bank: Bank) -> Settings:
    """The settings ``study`` schedules with (the decks' cohort parameters included): a replay
    gives the states study would have saved."""
    from ..study.parameters import choose_parameters

    return choose_parameters(store.settings(), bank.decks).settings
