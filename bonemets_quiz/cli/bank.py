"""``questions`` and ``validate``: look at the question bank."""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter
from collections.abc import Mapping

import click

from ..bank.generate import generate_bank
from ..bank.loading import check_decks
from ..deck.locate import Locator
from ..deck.model import Deck
from ..errors import Problem
from ..gc_pause import without_gc
from ..wording import option_letter, plural
from .common import (
    deck_options,
    echo_json,
    format_options,
    load_questions,
    problem_text,
    safe_path,
    safe_text,
)


@click.command()
@deck_options
@format_options("table", "Table for people, JSON for scripts.")
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
                f"  {option_letter(i)}. {safe_text(o)}" for i, o in enumerate(q.options)
            )
        for line in body.splitlines():
            click.echo(textwrap.fill(line, width, initial_indent="  ", subsequent_indent="    "))
    click.echo(plural(len(selected), "question"))


def _tty() -> bool:
    from .common import color_enabled

    return color_enabled()


def _public(row: Mapping[str, object]) -> dict[str, object]:
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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (for CI).")
@click.option(
    "--against",
    "against",
    multiple=True,
    type=click.Path(),
    metavar="OLD.yaml",
    help="The previous version of the deck: report question ids that changed (repeatable).",
)
@format_options("text", "Lines for people, JSON for tools.")
@without_gc  # loading, generating, linting and printing: no collection between the steps either
def validate(
    paths: tuple[str, ...], strict: bool, against: tuple[str, ...], fmt: str, as_json: bool
) -> None:
    """Check deck files like code: structure first, then lint checks.

    Every problem prints as FILE:LINE:COL: message — how to fix it. Errors: the deck cannot
    be loaded, or a question would be wrong (a distractor that is a right answer, a cloze that
    leaves nothing to ask). Warnings: likely mistakes (duplicate questions, an answer given
    away in its own prompt, distractors never used, a fact removed since OLD.yaml).

    Exit 0 when clean (warnings allowed), 1 with warnings under --strict, 2 on errors.
    With no PATHS, the built-in deck is checked.

    \b
    Examples:
      bonemets-quiz validate --strict               # the built-in deck
      bonemets-quiz validate my-deck.yaml
      bonemets-quiz validate --strict decks/
      bonemets-quiz validate my-deck.yaml --against old/my-deck.yaml
      bonemets-quiz validate --format json my-deck.yaml > lint.json
    """
    json_out = fmt == "json" or as_json
    loaded, problems, files, places = check_decks(paths)
    old_decks, old_problems, old_files, old_places = (
        check_decks(against, rules=False) if against else ([], [], [], [])
    )
    where = dict(zip(map(id, [*loaded, *old_decks]), [*places, *old_places], strict=True))
    summaries, found = _lint(loaded, old_decks, problems, where)
    problems = _in_file_order([*problems, *old_problems, *found], [*files, *old_files])
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if json_out:
        echo_json(
            {
                "ok": not problems,
                "errors": errors,
                "warnings": warnings,
                "decks": summaries,
                "problems": [p.to_dict() for p in problems],
            }
        )
    else:
        _print_text(summaries, problems, errors, warnings, strict)
    if errors:
        raise SystemExit(2)
    if warnings and strict:
        raise SystemExit(1)


def _in_file_order(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Each file's problems together, files in the order checked, each file's by position."""
    order = {path: index for index, path in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.path, -1), p.line, p.column))


def _lint(
    loaded: list[Deck], old_decks: list[Deck], loading: list[Problem], places: dict[int, Locator]
) -> tuple[list[dict[str, object]], list[Problem]]:
    """Warnings of every deck that loaded (its errors come from loading), and one summary each.

    ``places``: where each deck's facts are, by ``id(deck)`` (the nodes the loader built it from).
    """
    from ..bank.lint.against import check_against
    from ..bank.lint.lint import lint_warnings

    summaries: list[dict[str, object]] = []
    problems: list[Problem] = []
    old_by_id = {deck.id: deck for deck in old_decks}
    if len(loaded) == 1 and len(old_decks) == 1:
        old_by_id = {loaded[0].id: old_decks[0]}  # one file against its old version: pair them
    for deck in loaded:
        bank = generate_bank([deck])
        where = places[id(deck)]
        found = lint_warnings(deck, bank, where)
        old = old_by_id.pop(deck.id, None)
        if old is not None:
            old_bank = generate_bank([old])
            old_where = places[id(old)]
            found += check_against(old, deck, old_bank, bank, where, old_where)
        problems += found
        mine = [*found, *(p for p in loading if p.path == deck.path)]
        kinds = Counter(q.kind.value for q in bank)
        summaries.append(
            {
                "path": deck.path,
                "id": deck.id,
                "facts": len(deck.facts),
                "questions": len(bank),
                "kinds": dict(sorted(kinds.items())),
                "errors": sum(1 for p in mine if p.severity == "error"),
                "warnings": sum(1 for p in mine if p.severity == "warning"),
            }
        )
    for old in old_by_id.values():
        problems.append(
            Problem(
                old.path,
                0,
                0,
                f"no deck with id {old.id!r} among the checked files",
                "pass the new version of this deck too",
                "warning",
            )
        )
    return summaries, problems


def _line(problem: Problem) -> str:
    if problem.severity != "error":
        problem = Problem(
            problem.path,
            problem.line,
            problem.column,
            f"{problem.severity}: {problem.message}",
            problem.hint,
            problem.severity,
        )
    return problem_text(problem)


def _print_text(
    summaries: list[dict[str, object]],
    problems: list[Problem],
    errors: int,
    warnings: int,
    strict: bool,
) -> None:
    # One echo for all the lines: a big deck can have ~15,000 warnings.
    out = [_line(problem) for problem in problems]
    for row in summaries:
        kinds = row["kinds"]
        assert isinstance(kinds, dict)
        by_kind = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
        found = [plural(int(str(row[k])), k[:-1]) for k in ("errors", "warnings")]
        status = ", ".join(x for x in found if not x.startswith("0 ")) or "ok"
        out.append(
            f"{safe_path(row['path'])}: {status} — {row['facts']} facts, "
            f"{row['questions']} questions ({by_kind})"
        )
    if problems:
        tail = (
            " (warnings fail only with --strict)" if warnings and not errors and not strict else ""
        )
        out.append(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{tail}")
    if out:
        click.echo("\n".join(out))
