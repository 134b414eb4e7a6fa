"""The terminal side of a study session: asks, grades, shows feedback, confirms each saved answer.

At any prompt ``:u`` takes back the last answer of this session, ``:q`` stops and ``:h`` helps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, tzinfo

import click

from ..errors import StoreError
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
from ..question import Question
from ..scheduling import CardState, Rating, Status, preload
from ..session import Outcome, Session
from ..store import UndoRefused
from .common import safe_text, style
from .terminal import comes_back, duration, read_line, wrap

INTERRUPTED = 130
HELP_KEYS = ":u take back your last answer · :q stop (everything answered is saved) · :h this help"


class _Undo(Exception):
    pass


class _Quit(Exception):
    pass


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
        now = self.clock()
        left = self.session.remaining(now)
        status = "cram" if self.session.cram else card.status.value
        if not self.session.cram and card.due is not None and card.due > now:
            status += f", early: due in {duration(card.due - now)}"  # learn-ahead, as in Anki
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
        if result.explanation and result.verdict is not Verdict.REVEALED:
            click.echo(style(wrap(safe_text(result.explanation), "  ", "    "), dim=True))
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
        self.count = max(0, self.count - 1)  # the question on screen is shown again
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
        self.count = max(0, self.count - 1)  # and so is the one taken back
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
