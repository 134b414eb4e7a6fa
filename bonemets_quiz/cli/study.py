"""``study``, ``stats`` and ``undo``: the terminal quiz over the progress store.

The only place that reads the clock and the local time zone; the core gets them passed in.
Start-up matters here: nothing heavy is imported before the first question is on screen.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import click

from ..errors import StoreError, UsageError
from ..grading import (
    Grade,
    Mode,
    Verdict,
    answer_mode,
    choice_hint,
    choice_labels,
    grade,
    grade_text,
)
from ..model import Question
from ..scheduling import (
    MAX_INTERVAL,
    CardState,
    Rating,
    Settings,
    Status,
    parse_steps,
    preload,
)
from ..session import Outcome, Session
from ..store import Store, UndoRefused, default_location, user_dir
from .common import deck_options, echo_json, safe_text, style
from .terminal import (
    bar_chart,
    column_chart,
    comes_back,
    duration,
    read_line,
    unicode_ok,
    width,
    wrap,
)

INTERRUPTED = 130
HELP_KEYS = ":u take back your last answer · :q stop (everything answered is saved) · :h this help"


class _Undo(Exception):
    pass


class _Quit(Exception):
    pass


# ---------------------------------------------------------------------- clock and place


# Hidden options (and environment variables) that tests use to fix the time, place and chance.
seed_option = click.option("--seed", type=int, envvar="BONEMETS_QUIZ_SEED", hidden=True)
zone_option = click.option("--tz", "tz_name", envvar="BONEMETS_QUIZ_TZ", hidden=True)
clock_option = click.option("--now", "fixed_now", envvar="BONEMETS_QUIZ_NOW", hidden=True)


def make_clock(fixed: str | None) -> Callable[[], datetime]:
    if not fixed:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise click.BadParameter(
            "use ISO 8601, e.g. 2026-03-29T09:00+01:00", param_hint="--now"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a UTC offset, e.g. 2026-03-29T09:00Z", param_hint="--now")
    return lambda: moment.astimezone(UTC)


def local_zone(name: str | None = None) -> tzinfo:
    """The learner's time zone: ``--tz``/``TZ`` if valid, else the system's, else a fixed offset."""
    from zoneinfo import ZoneInfo

    candidates = [name, os.environ.get("TZ", "").lstrip(":") or None]
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for candidate in candidates:
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ValueError, OSError):
                if candidate == name:
                    raise click.BadParameter(
                        f"unknown time zone {name!r}", param_hint="--tz"
                    ) from None
    return datetime.now().astimezone().tzinfo or UTC


def store_path(ctx: click.Context) -> str:
    return str((ctx.obj or {}).get("store") or default_location())


def open_store(ctx: click.Context) -> Store:
    return Store.open(store_path(ctx))


def open_existing_store(ctx: click.Context) -> Store | None:
    """The store, or None when its file does not exist (a read-only command creates nothing)."""
    path = store_path(ctx)
    return Store.open(path) if os.path.exists(path) else None


def no_progress(path: str) -> str:
    return f"No progress yet at {path} (`bonemets-quiz study` creates it with the first answer)."


def cache_dir() -> str | None:
    """Where the generated bank is cached (none with ``BONEMETS_QUIZ_NO_CACHE=1``)."""
    return None if os.environ.get("BONEMETS_QUIZ_NO_CACHE") else user_dir("cache")


# ---------------------------------------------------------------------- study


@click.command()
@deck_options
@click.option(
    "--new", "new_limit", type=click.IntRange(min=0), help="New questions for today (default 20)."
)
@click.option(
    "--limit", "review_limit", type=click.IntRange(min=0), help="Reviews for today (default 200)."
)
@click.option("--cram", is_flag=True, help="Practise every selected question; schedule unchanged.")
@click.option(
    "--retention",
    type=click.FloatRange(0.7, 0.99),
    help="Desired retention, 0.7–0.99 (default 0.9). Remembered.",
)
@click.option(
    "--max-interval",
    type=click.IntRange(1, MAX_INTERVAL),
    metavar="DAYS",
    help="Longest interval in days (default 36500). Remembered.",
)
@click.option(
    "--learning-steps",
    metavar="STEPS",
    help='Steps for new questions (default "1m 10m"). Remembered.',
)
@click.option(
    "--relearning-steps", metavar="STEPS", help='Steps after a lapse (default "10m"). Remembered.'
)
@click.option(
    "--day-starts",
    type=click.IntRange(0, 23),
    metavar="HOUR",
    help="Local hour at which a study day starts (default 4). Remembered.",
)
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
    retention: float | None,
    max_interval: int | None,
    learning_steps: str | None,
    relearning_steps: str | None,
    day_starts: int | None,
    fixed_now: str | None,
    tz_name: str | None,
    seed: int | None,
) -> None:
    """Study today's questions: due (re)learning, then due reviews, then new ones.

    Choose multiple-choice answers by number or letter (options that are numbers: by typing
    them), true/false with t/f (or y/n), type the
    answer to typed questions (a list: items separated by commas), and press Enter to reveal the
    others, then rate yourself 1–4. Every answer is saved before the next question is shown;
    Ctrl-C or end of input stops the session and keeps everything answered. At any prompt:
    :u takes back your last answer of this session, :q stops.

    \b
    Examples:
      bonemets-quiz study
      bonemets-quiz study --topic symptoms --new 5
      bonemets-quiz study --cram --kind multiple_choice
      bonemets-quiz study --deck my-deck.yaml --retention 0.85
      printf '\\n3\\n' | bonemets-quiz study --new 1   # scripted: reveal, rate Good
    """
    from ..bank_cache import load_bank

    clock = make_clock(fixed_now)
    zone = local_zone(tz_name)
    bank = load_bank(decks, 0, cache_dir())
    unknown = sorted(set(topics) - set(bank.topics))
    if unknown:
        raise click.BadParameter(
            f"unknown topic {', '.join(unknown)}; known topics: {', '.join(sorted(bank.topics))}",
            param_hint="--topic",
        )
    selected = bank.select(topics, kinds)
    if not selected:
        raise UsageError("no question matches the --topic/--kind given; try fewer filters")
    store = open_store(ctx)
    try:
        settings = _settings(
            store, retention, max_interval, learning_steps, relearning_steps, day_starts
        )
        report = store.sync(bank.questions, clock(), bank.fingerprint)
        if report.added or report.renamed or report.retired:
            _say_sync(report.added, report.renamed, report.retired, len(bank.questions))
        session = Session(
            store,
            selected,
            zone,
            clock(),
            settings=settings,
            seed=seed if seed is not None else time.time_ns(),
            cram=cram,
            new_limit=new_limit,
            review_limit=review_limit,
        )
        code = StudyRun(session, clock, zone, store.path).run()
    finally:
        store.close()
    ctx.exit(code)


def _settings(
    store: Store,
    retention: float | None,
    max_interval: int | None,
    learning: str | None,
    relearning: str | None,
    day_starts: int | None,
) -> Settings:
    """The stored settings, with any given on the command line saved for next time."""
    current = store.settings()
    changes: dict[str, object] = {}
    if retention is not None:
        changes["desired_retention"] = retention
    if max_interval is not None:
        changes["maximum_interval"] = max_interval
    if day_starts is not None:
        changes["day_start_hour"] = day_starts
    for name, text in (("learning_steps", learning), ("relearning_steps", relearning)):
        if text is not None:
            try:
                changes[name] = parse_steps(text)
            except ValueError as exc:
                hint = f"--{name.replace('_', '-')}"
                raise click.BadParameter(str(exc), param_hint=hint) from None
    if not changes:
        return current
    try:
        settings = current._replace(**changes).checked()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store.save_settings(settings)
    return settings


def _say_sync(added: int, renamed: int, retired: int, total: int) -> None:
    if added == total:
        click.echo(wrap(f"{total} questions, all new. Answers are saved as you go; :h for help."))
        return
    parts = []
    if added:
        parts.append(f"{added} new question{'s' * (added != 1)}")
    if renamed:
        parts.append(f"{renamed} renamed (progress kept)")
    if retired:
        parts.append(f"{retired} retired from the deck (history kept)")
    click.echo(wrap("Deck updated: " + ", ".join(parts) + "."))


class StudyRun:
    """The terminal side of a session: asks, grades, shows feedback, confirms each saved answer."""

    def __init__(
        self, session: Session, clock: Callable[[], datetime], zone: tzinfo, path: str
    ) -> None:
        self.session, self.clock, self.zone, self.path = session, clock, zone, path
        self.count = 0
        self._preloading = False

    def run(self) -> int:
        code = 0
        try:
            while (question := self.session.next(self.clock())) is not None:
                try:
                    self.ask(question)
                except _Undo:
                    self.undo()
            self._finished()
        except _Quit:
            pass
        except EOFError:
            pass
        except KeyboardInterrupt:
            click.echo()
            code = INTERRUPTED
        except StoreError:
            self.summary()
            raise
        self.summary()
        return code

    # ------------------------------------------------------------------ one question

    def ask(self, question: Question) -> None:
        self.count += 1
        card = self.session.card(question)
        self._header(question, card)
        click.echo(wrap(safe_text(question.prompt)))
        mode = answer_mode(question)
        started = time.monotonic()
        result = self._answer(question, mode)
        self._feedback(question, result)
        rating = self._rating(question, result)
        elapsed = round((time.monotonic() - started) * 1000)
        outcome = self.session.answer(question, rating, self.clock(), result.verdict.value, elapsed)
        self._acknowledge(outcome)

    def _input(self, prompt: str) -> str:
        if not self._preloading:  # fsrs loads while the learner reads the first question
            self._preloading = True
            threading.Thread(target=preload, daemon=True).start()
        while True:
            line = read_line(wrap(prompt.rstrip()) + " ")
            command = line.strip().lower()
            if command in (":u", ":undo"):
                raise _Undo
            if command in (":q", ":quit"):
                raise _Quit
            if command in (":h", ":help"):
                click.echo(wrap(HELP_KEYS))
                continue
            return line

    def _header(self, question: Question, card: CardState) -> None:
        left = self.session.remaining(self.clock())
        status = "cram" if self.session.cram else card.status.value
        head = (
            f"── {self.count} · {status} · {question.kind.value.replace('_', ' ')}  "
            f"(due: {left.learning} learning, {left.review} review, {left.new} new)"
        )
        click.echo(style(wrap(head, "", "   "), dim=True))

    def _answer(self, question: Question, mode: Mode) -> Grade:
        if mode is Mode.CHOOSE:
            labels = choice_labels(question)
            for label, option in zip(labels, question.options or (), strict=True):
                head = f"{label}) " if label else "- "
                click.echo(wrap(f"{head}{safe_text(option)}", "  ", "  " + " " * len(head)))
            hint = choice_hint(question)
            while True:
                result = grade(question, self._input(f"Answer ({hint}): "))
                if result is not None:
                    return result
                click.echo(f"Please answer {hint}.")
        if mode is Mode.TYPE:
            hint = "items separated by commas; " if question.items else ""
            line = self._input(f"Your answer ({hint}Enter to reveal): ")
            if line.strip():
                return grade_text(question, line)
        else:
            self._input("Press Enter to reveal the answer. ")
        return Grade(Verdict.REVEALED, question.answer)

    def _feedback(self, question: Question, result: Grade) -> None:
        extra = f", and {len(result.extra)} not in the list" if result.extra else ""
        words = {
            Verdict.RIGHT: style("Right.", fg="green", bold=True),
            Verdict.ALMOST: style("Almost (a small typo) — check the spelling.", fg="yellow"),
            Verdict.PARTIAL: style(
                f"Partly right: {result.recalled} of {len(result.items)}{extra}.", fg="yellow"
            ),
            Verdict.WRONG: style("Wrong.", fg="red", bold=True),
        }
        if result.verdict in words:
            click.echo(words[result.verdict])
        for item in result.items:
            mark = {Verdict.RIGHT: "+", Verdict.ALMOST: "~", Verdict.WRONG: "-"}[item.verdict]
            given = (
                f" (you wrote {safe_text(item.given)!r})" if item.verdict is Verdict.ALMOST else ""
            )
            click.echo(wrap(f"{mark} {safe_text(item.item)}{given}", "  ", "    "))
        if result.extra:
            click.echo(wrap("Not in the list: " + ", ".join(map(safe_text, result.extra)), "  "))
        click.echo(wrap(f"Answer: {safe_text(result.expected)}", "", "  "))
        if question.note:
            note = safe_text(question.note)
            label = "" if note.lower().startswith(("note", "clinical note")) else "Note: "
            click.echo(wrap(label + note, "", "  "))
        if question.section:
            click.echo(style(wrap(f"Section: {safe_text(question.section)}", "", "  "), dim=True))

    def _rating(self, question: Question, result: Grade) -> Rating:
        now = self.clock()
        default = result.rating
        previews = self.session.options(question, now)
        choices = "  ".join(
            f"{int(r)} {r.label} ({duration(previews[r].due - now)})"  # type: ignore[operator]
            for r in Rating
        )
        click.echo(wrap(choices, "  ", "  "))
        while True:
            line = self._input(f"Rate 1–4 [Enter = {int(default)} {default.label}]: ").strip()
            if not line:
                return default
            words = {r.label.lower(): r for r in Rating}
            if line in ("1", "2", "3", "4"):
                return Rating(int(line))
            if line.lower() in words:
                return words[line.lower()]
            click.echo("Please type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), or Enter.")

    def _acknowledge(self, outcome: Outcome) -> None:
        now = self.clock()
        due = outcome.after.due or now
        hour = self.session.settings.day_start_hour
        back = comes_back(due, now, self.zone, hour)
        if outcome.saved:
            click.echo(style(f"Saved: {outcome.rating.label}, back {back}.", fg="cyan"))
        else:
            click.echo(f"Cram: not saved ({outcome.rating.label} would bring it back {back}).")
        if outcome.became_leech:
            click.echo(
                style(
                    f"This question has lapsed {outcome.after.lapses} times: it is now a leech "
                    "(listed by `bonemets-quiz stats`). Consider rewording or studying its source.",
                    fg="yellow",
                )
            )
        click.echo()

    # ------------------------------------------------------------------ undo and endings

    def undo(self) -> None:
        try:
            undone = self.session.undo(self.clock())
        except UndoRefused as refused:
            question = self.session.queue.questions.get(refused.question_id)
            text = safe_text(question.prompt) if question else refused.question_id
            click.echo(
                wrap(f"Cannot take back your answer to: {text} — {refused}. It stays saved.")
            )
            click.echo()
            return
        if undone is None:
            click.echo(
                wrap(
                    "Nothing to undo in this session (`bonemets-quiz undo` takes back the last "
                    "answer saved, whenever it was)."
                )
            )
            return
        self.count = max(0, self.count - 2)
        text = safe_text(undone.question.prompt) if undone.question else undone.question_id
        click.echo(wrap(f"Took back your last answer ({undone.rating.label}) to: {text}"))
        click.echo()

    def _finished(self) -> None:
        if self.session.cram:
            click.echo("Cram done: every selected question practised.")
            return
        upcoming = [
            c.due
            for c in self.session.queue.cards.values()
            if c.due is not None and c.status is not Status.NEW
        ]
        later = [d for d in upcoming if d > self.clock()]
        message = "Nothing more is due now."
        if later:
            when = comes_back(
                min(later), self.clock(), self.zone, self.session.settings.day_start_hour
            )
            message += f" The next question is due {when}."
        click.echo(message)

    def summary(self) -> None:
        s = self.session.summary
        counts = " · ".join(f"{r.label} {s.ratings[r]}" for r in Rating if s.ratings[r])
        line = f"Session: {s.answered} answered" + (f" ({counts})" if counts else "")
        if self.session.cram:
            line += "; cram practice, the schedule is unchanged."
        else:
            line += f"; every answer is saved in {self.path}."
        click.echo(wrap(line))


# ---------------------------------------------------------------------- stats


@click.command()
@click.option(
    "--deck",
    "decks",
    multiple=True,
    type=click.Path(),
    help="Record the current questions of these decks first (new/retired counts follow edits).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@clock_option
@zone_option
@click.pass_context
def stats(
    ctx: click.Context,
    decks: tuple[str, ...],
    as_json: bool,
    fixed_now: str | None,
    tz_name: str | None,
) -> None:
    """Show progress: cards by state, due forecast, reviews per day, retention, hardest questions.

    \b
    Examples:
      bonemets-quiz stats
      bonemets-quiz stats --json
      bonemets-quiz stats --deck my-deck.yaml
    """
    from ..stats import compute

    now = make_clock(fixed_now)()
    zone = local_zone(tz_name)
    path = store_path(ctx)
    store = open_existing_store(ctx) or Store.in_memory(path)
    exists = os.path.exists(path)
    try:
        if decks:
            from ..bank_cache import load_bank

            bank = load_bank(decks, 0, cache_dir())
            store.sync(bank.questions, now, bank.fingerprint)
        figures = compute(store, now, zone, store.settings())
    finally:
        store.close()
    if as_json:
        echo_json({"store": path, "store_exists": exists, **figures})
        return
    render_stats(figures, path, exists)


def render_stats(figures: dict[str, Any], path: str, exists: bool = True) -> None:
    fancy = unicode_ok()
    c = figures["counts"]
    click.echo(f"Progress store: {path}" if exists else wrap(no_progress(path)))
    click.echo(
        f"Questions: {c['new']} new · {c['learning']} learning · {c['review']} review · "
        f"{c['retired']} retired · {c['leeches']} leeches"
    )
    click.echo(f"Due today: {figures['due_today']} · answers saved: {figures['reviews_total']}")
    click.echo(style("\nDue in the next 14 days", bold=True))
    rows = [
        (("today " if n == 0 else "") + f"{date.fromisoformat(d['date']):%a %d %b}", d["due"])
        for n, d in enumerate(figures["forecast"])
    ]
    for line in bar_chart(rows, width() - 2, fancy):
        click.echo("  " + line)
    days = figures["reviews_per_day"]
    counts = [d["reviews"] for d in days]
    click.echo(style(f"\nReviews per day, {days[0]['date']} to {days[-1]['date']}", bold=True))
    for line in column_chart(counts, 4, fancy):
        click.echo("  " + line)
    click.echo(f"  {sum(counts)} in 30 days, {sum(counts) / 30:.1f} a day, at most {max(counts)}")
    click.echo(style("\nTrue retention (answers to learned questions not forgotten)", bold=True))
    for span, label in (("7d", "last 7 days"), ("30d", "last 30 days")):
        r = figures["retention"][span]
        value = (
            f"{r['rate']:.0%} ({r['passed']} of {r['reviews']})" if r["rate"] is not None else "—"
        )
        click.echo(f"  {label}: {value}")
    if figures["hardest"]:
        click.echo(style("\nHardest questions", bold=True))
        for n, h in enumerate(figures["hardest"], start=1):
            head = f"{n}. {h['lapses']} lapses, difficulty {h['difficulty']:.1f}: "
            click.echo(wrap(head + safe_text(h["prompt"] or h["id"]), "  ", "     "))
    if figures["leeches"]:
        threshold = figures["settings"]["leech_lapses"]
        click.echo(style(f"\nLeeches ({threshold} or more lapses)", bold=True))
        for qid in figures["leeches"]:
            click.echo(f"  {safe_text(qid)}")


# ---------------------------------------------------------------------- undo


@click.command()
@zone_option
@click.pass_context
def undo(ctx: click.Context, tz_name: str | None) -> None:
    """Take back the last answer saved: the question's schedule returns to what it was.

    Repeat to take back earlier answers, one at a time.

    \b
    Examples:
      bonemets-quiz undo
    """
    zone = local_zone(tz_name)
    store = open_existing_store(ctx)
    if store is None:
        click.echo(wrap("Nothing to undo. " + no_progress(store_path(ctx))))
        return
    try:
        row = store.undo_last()
        snapshot = store.questions([row.question_id]).get(row.question_id) if row else None
    finally:
        store.close()
    if row is None:
        click.echo("Nothing to undo: no answer is saved.")
        return
    text = safe_text(snapshot.prompt) if snapshot else row.question_id
    when = row.reviewed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    click.echo(wrap(f"Took back your answer ({row.rating.label}, {when}) to: {text}"))
