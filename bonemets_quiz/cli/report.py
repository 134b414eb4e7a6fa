"""``report``: what a class knows and which questions are bad, from the learners' review logs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..wording import plural
from .common import command_inputs, format_options
from .study_options import clock_option, make_clock

if TYPE_CHECKING:
    from ..deck.model import Deck
    from ..insight.shape import ClassReport


@click.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--deck",
    "decks",
    multiple=True,
    type=click.Path(),
    help="Deck file or directory the logs are of (repeatable; default: built-in).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File, or - for stdout.")
@format_options("html", "A self-contained HTML page for people, JSON for scripts.")
@click.option(
    "--names",
    type=click.Path(dir_okay=False),
    help="CSV (file,pseudonym) or JSON file mapping log file names to pseudonyms.",
)
@click.option(
    "--min-learners",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Hide figures resting on fewer learners.",
)
@click.option("--show-answers", is_flag=True, help="Include the wrong answers learners typed.")
@click.option(
    "--fit-parameters",
    is_flag=True,
    help="Also fit FSRS parameters to the whole class's reviews and write them into the deck "
    "(needs one --deck file and the optimizer extra).",
)
@clock_option
def report(
    logs: tuple[str, ...],
    decks: tuple[str, ...],
    output: str | None,
    fmt: str,
    as_json: bool,
    names: str | None,
    min_learners: int,
    show_answers: bool,
    fit_parameters: bool,
    fixed_now: str | None,
) -> None:
    """What a class knows and which questions are bad, from the learners' review logs (`progress
    export`): per question facility (first try), later success, FSRS difficulty and stability,
    discrimination and answers chosen; recall per fact and topic, today and over time; flags
    with reasons. Learners are the log file names, or pseudonyms from --names; figures on fewer
    than --min-learners learners are hidden, typed answers shown only with --show-answers.

    \b
    Examples:
      bonemets-quiz report logs/ -o class.html
      bonemets-quiz report logs/*.jsonl --format json -o class.json
      bonemets-quiz report logs/ --deck my-deck.yaml --names names.csv --min-learners 10
      bonemets-quiz report logs/ --deck my-deck.yaml --fit-parameters -o class.html
    """
    from ..insight.report import class_report

    inputs = _inputs(logs, names)
    _refuse_output(output, inputs)
    deck_file = _fit_target(decks) if fit_parameters else None
    now = make_clock(fixed_now)()
    loaded, mapping = _load(decks, names)
    figures = class_report(
        logs, loaded, names=mapping, now=now, min_learners=min_learners, show_answers=show_answers
    )
    fmt = "json" if as_json else fmt
    if _emit(_render(figures, fmt), output, inputs):
        c = figures["counts"]
        learners, reviews = plural(c["learners"], "learner"), plural(c["reviews"], "review")
        click.echo(f"Wrote the report of {learners}, {reviews}, to {output} ({fmt}).")
    if deck_file is not None:
        _fit(logs, loaded, deck_file, mapping, now, to_stderr=output in (None, "-"))


def _refuse_output(output: str | None, inputs: list[str]) -> None:
    """Before any work: never over a log, the names map or a deck."""
    if output not in (None, "-"):
        from ..export.output import check_output

        check_output(output, inputs)


def _load(decks: tuple[str, ...], names: str | None) -> tuple[list[Deck], dict[str, str] | None]:
    from ..bank.loading import load_decks

    loaded = load_decks(decks)
    if names is None:
        return loaded, None
    from ..insight.names import read_names

    return loaded, read_names(names)


def _inputs(logs: tuple[str, ...], names: str | None) -> list[str]:
    """Every file the command reads (logs, folders' logs, the names map, decks, the store)."""
    files = [*command_inputs(), *logs, *([names] if names else [])]
    for log in logs:
        if Path(log).is_dir():
            files.extend(str(p) for p in Path(log).iterdir())
    return files


def _emit(text: str, output: str | None, inputs: list[str]) -> bool:
    """Print, or write through the checked writer; True if a file was written."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return False
    from ..export.output import write_output

    return not write_output(output, text.encode("utf-8"), inputs).stream


def _render(figures: ClassReport, fmt: str) -> str:
    if fmt == "json":
        import orjson

        return orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode() + "\n"
    try:
        from ..insight.html.page import render_html  # type: ignore[import-not-found, unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name != "bonemets_quiz.insight.html.page":
            raise
        raise UsageError("this build has no HTML report yet — use --format json") from None
    return str(render_html(figures))


def _fit_target(decks: tuple[str, ...]) -> Path:
    if len(decks) != 1 or not Path(decks[0]).is_file():
        raise UsageError(
            "--fit-parameters writes into one deck file — give exactly one --deck FILE.yaml"
        )
    return Path(decks[0])


def _fit(
    logs: tuple[str, ...],
    decks: list[Deck],
    deck_file: Path,
    names: dict[str, str] | None,
    now: datetime,
    *,
    to_stderr: bool,
) -> None:
    from ..bank.generate import generate_bank
    from ..insight.records import class_records

    try:
        from ..insight.cohort import fit_into_deck  # type: ignore[import-not-found, unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name != "bonemets_quiz.insight.cohort":
            raise
        raise UsageError("this build cannot fit cohort parameters yet") from None

    records = class_records(logs, generate_bank(decks, 0), now=now, names=names)
    click.echo(fit_into_deck(records, deck_file, now), err=to_stderr)
