"""``study``: today's questions in the terminal, every answer saved before the next one.

Start-up matters here: nothing heavy is imported before the first question is on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import click

from ..deck.question import Question
from ..errors import UsageError
from ..gc_pause import end_start_up
from ..study.parameters import choose_parameters
from ..study.session import Session
from ..study.store.store import Store
from ..wording import plural
from .common import check_topics, deck_options
from .study_options import (
    StartBackup,
    cache_dir,
    clock_option,
    local_zone,
    make_clock,
    open_store,
    seed_option,
    zone_option,
)
from .study_run import StudyRun
from .study_settings import SettingsGiven, saved_settings, settings_options
from .terminal import wrap

if TYPE_CHECKING:
    from ..bank.cache import Bank

NOT_ADVICE = (
    "Educational, not medical advice: the questions teach the facts of their source and are "
    "no substitute for a clinician."
)


# The help text (``study --help``), kept out of the function so that its code fits on a screen.
STUDY_HELP = """\
Study today's questions: due (re)learning, then due reviews, then new ones.

Choose multiple-choice answers by number or letter (options that are numbers: by typing
them), true/false with t/f (or y/n), type the
answer to typed questions (a list: items separated by commas), and press Enter to reveal the
others, then rate yourself 1–4. Every answer is saved before the next question is shown;
Ctrl-C or end of input stops the session and keeps everything answered. At any prompt:
:u takes back your last answer of this session, :q stops.

With --cram every selected question is practised once, in a shuffled order, and nothing is
saved; a question rated Again comes back later in the same sitting.

Educational, not medical advice: the questions teach the facts of their source and are no
substitute for a clinician.

\b
Examples:
  bonemets-quiz study
  bonemets-quiz study --topic symptoms --new 5
  bonemets-quiz study --cram --kind multiple_choice
  bonemets-quiz study --deck my-deck.yaml --retention 0.85
  printf '\\n3\\n' | bonemets-quiz study --new 1   # scripted: reveal, rate Good
"""


@click.command(help=STUDY_HELP)
@deck_options
@click.option(
    "--new", "new_limit", type=click.IntRange(min=0), help="New questions for today (default 20)."
)
@click.option(
    "--limit", "review_limit", type=click.IntRange(min=0), help="Reviews for today (default 200)."
)
@click.option("--cram", is_flag=True, help="Practise every selected question; schedule unchanged.")
@settings_options
@clock_option
@zone_option
@seed_option
@click.pass_context
def study(
    ctx: click.Context,
    decks: tuple[str, ...],
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    new_limit: int | None,
    review_limit: int | None,
    cram: bool,
    given: SettingsGiven,
    fixed_now: str | None,
    tz_name: str | None,
    seed: int | None,
) -> None:
    from ..bank.cache import load_bank

    clock = make_clock(fixed_now)
    zone = local_zone(tz_name)
    bank = load_bank(decks, 0, cache_dir())
    selected = _select(bank, topics, kinds)
    store = open_store(ctx, back_up_now=False)
    start_backup = StartBackup(store, clock)
    try:
        choice = choose_parameters(saved_settings(store, given), bank.decks)
        if choice.note:
            click.echo(wrap(choice.note))
        _sync(store, bank, clock)
        session = Session(
            store,
            selected,
            zone,
            clock(),
            settings=choice.settings,
            seed=seed if seed is not None else time.time_ns(),
            cram=cram,
            new_limit=new_limit,
            review_limit=review_limit,
        )
        code = StudyRun(
            session, clock, zone, store.path, _once_on_screen(store, start_backup)
        ).run()
        end_start_up()  # (a session that showed no question)
    finally:
        store.close()
    ctx.exit(code)


def _once_on_screen(store: Store, start_backup: StartBackup) -> Callable[[], None]:
    """What waits until the first question is on screen: the collector, the start's backup and
    the check of the store's pages that comes before its first write (~50 ms on a 100,000-review
    store: the first answer is then saved at once)."""

    def on_screen() -> None:
        end_start_up()
        start_backup()
        store.check()

    return on_screen


def _select(bank: Bank, topics: Sequence[str], kinds: Sequence[str]) -> list[Question]:
    """The questions to study; an unknown topic or an empty selection is a usage error."""
    check_topics(topics, bank.topics)
    selected = bank.select(topics, kinds)
    if not selected:
        raise UsageError("no question matches the --topic/--kind given; try fewer filters")
    return selected


def _sync(store: Store, bank: Bank, clock: Callable[[], datetime]) -> None:
    """Record the bank in the store; say what changed since the last time."""
    report = store.sync(bank.questions, clock(), bank.fingerprint, bank.snapshots)
    if report.added or report.renamed or report.retired:
        _say_sync(report.added, report.renamed, report.retired, len(bank.questions))


def _say_sync(added: int, renamed: int, retired: int, total: int) -> None:
    if added == total:  # the first run with this store
        click.echo(
            wrap(f"{plural(total, 'question')}, all new. Answers are saved as you go; :h for help.")
        )
        click.echo(wrap(NOT_ADVICE))
        return
    parts = []
    if added:
        parts.append(plural(added, "new question"))
    if renamed:
        parts.append(f"{renamed} renamed (progress kept)")
    if retired:
        parts.append(f"{retired} retired from the deck (history kept)")
    click.echo(wrap("Deck updated: " + ", ".join(parts) + "."))
