"""The terminal side of a study session: asks, grades, shows feedback, confirms each saved answer.

At any prompt ``:u`` takes back the last answer of this session, ``:q`` stops and ``:h`` helps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

import click

from ..deck.question import Question, QuestionKind
from ..errors import StoreError
from ..study.grading.choice import choice_hint, choice_labels, grade_choice, parse_choice
from ..study.grading.modes import Mode, answer_mode
from ..study.scheduling import CardState, Rating, Status, preload
from ..study.session import Session
from ..study.store.store import UndoRefused
from ..wording import plural
from .common import safe_path, safe_text, style
from .terminal import comes_back, duration, read_line, wrap

if TYPE_CHECKING:
    from ..deck.image import Image
    from ..study.grading.grade import Grade
    from ..study.outcomes import LimitReached, Outcome

INTERRUPTED = 130
NEW_MORE = 10  # how many more new questions the "limit reached" message suggests allowing
HELP_KEYS = ":u take back your last answer · :q stop (everything answered is saved) · :h this help"
PICTURE_KEY = ":i opens the picture"


class _Undo(Exception):
    pass


class _Quit(Exception):
    pass


class StudyRun:
    """The terminal side of a session: asks, grades, shows feedback, confirms each saved answer."""

    def __init__(
        self,
        session: Session,
        clock: Callable[[], datetime],
        zone: tzinfo,
        path: str,
        on_screen: Callable[[], None] | None = None,
    ) -> None:
        self.session, self.clock, self.zone, self.path = session, clock, zone, path
        self.on_screen = on_screen  # called once the first prompt is out (the start's backup)
        self.count = 0
        self._preloading = False
        self._unsaved = ""  # the answer a store error kept from being saved
        self._picture: Image | None = None  # the picture on screen, which `:i` opens

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
            code = INTERRUPTED
        except StoreError:
            self.summary(stopped=True)
            if self._unsaved:  # the error below says why; this says exactly what is missing
                click.echo(wrap(f"Not saved: {self._unsaved}."), err=True)
            raise
        return self._end(code)

    def _end(self, code: int) -> int:
        """The summary; a second Ctrl-C while it is shown still ends the session as interrupted
        (every answer was committed when it was acknowledged: there is nothing left to save)."""
        try:
            if code == INTERRUPTED:
                click.echo()
            self.summary()
        except KeyboardInterrupt:
            return INTERRUPTED
        return code

    # ------------------------------------------------------------------ one question

    def ask(self, question: Question) -> None:
        self.count += 1
        card = self.session.card(question)
        self._header(question, card)
        self._picture = None
        if question.image is not None and question.image.side == "question":
            self._show_picture(question.image)
        click.echo(wrap(safe_text(question.prompt)))
        mode = answer_mode(question)
        started = time.monotonic()
        result, given = self._answer(question, mode)
        self._feedback(question, result)
        now = self.clock()  # the intervals shown are those for this moment: it is saved as shown
        rating = self._rating(question, result, now)
        elapsed = round((time.monotonic() - started) * 1000)
        try:
            outcome = self.session.answer(
                question, rating, now, result.verdict.value, elapsed, given.strip()
            )
        except StoreError:
            self._unsaved = f"your answer to “{safe_text(question.prompt)}” (rated {rating.label})"
            raise
        self._acknowledge(outcome)

    def _preload(self) -> None:
        """Once the first prompt is on screen, ``on_screen`` runs, and grading and fsrs load
        while the learner reads the question (started earlier, its thread competed for the GIL
        with showing the question)."""
        if not self._preloading:
            self._preloading = True
            if self.on_screen is not None:
                self.on_screen()
            threading.Thread(target=_load_answering, daemon=True).start()

    def _input(self, prompt: str) -> str:
        while True:
            line = read_line(wrap(prompt.rstrip()) + " ", shown=self._preload)
            command = line.strip().lower()
            if command in (":u", ":undo"):
                raise _Undo
            if command in (":q", ":quit"):
                raise _Quit
            if command in (":h", ":help"):
                click.echo(wrap(HELP_KEYS + (f" · {PICTURE_KEY}" if self._picture else "")))
                continue
            if command in (":i", ":image"):
                from .picture import open_picture  # shutil, subprocess: not on the start-up path

                shown = open_picture(self._picture) if self._picture else "No picture is shown."
                click.echo(wrap(shown))
                continue
            return line

    def _header(self, question: Question, card: CardState) -> None:
        now = self.clock()
        left = self.session.remaining(now)
        status = "cram" if self.session.cram else card.status.value
        if not self.session.cram and card.due is not None and card.due > now:
            status += f", early: due in {duration(card.due - now)}"  # learn-ahead, as in Anki
        if self.session.cram:
            counts = f"{left.new} left to practise"
        else:
            later = f" ({left.later} later today)" if left.later else ""
            counts = f"due: {left.learning} learning{later}, {left.review} review, {left.new} new"
        head = f"── {self.count} · {status} · {question.kind.value.replace('_', ' ')}  ({counts})"
        click.echo(style(wrap(head, "", "   "), dim=True))

    def _answer(self, question: Question, mode: Mode) -> tuple[Grade, str]:
        """The grade and what the learner gave: the text typed, or the option chosen. Grading is
        imported once the prompt is out (``_preload`` loads it while the learner reads)."""
        if mode is Mode.CHOOSE:
            _show_options(question)
            hint = choice_hint(question)
            while True:
                line = self._input(f"Answer ({hint}): ")
                index = parse_choice(question, line)
                if index is not None:
                    return grade_choice(question, index), (question.options or ())[index]
                click.echo(f"Please answer {hint}.")
        if mode is Mode.TYPE:
            hint = "items separated by commas; " if question.items else ""
            line = self._input(f"Your answer ({hint}Enter to reveal): ")
            if line.strip():
                from ..study.grading.grade import grade_text

                return grade_text(question, line), line
        else:
            self._input("Press Enter to reveal the answer. ")
        from ..study.grading.verdicts import Grade, Verdict

        return Grade(Verdict.REVEALED, question.answer), ""

    def _feedback(self, question: Question, result: Grade) -> None:
        from ..study.grading.verdicts import Verdict

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
        click.echo(wrap(f"Answer: {safe_text(_expected(question, result))}", "", "  "))
        if question.note:
            note = safe_text(question.note)
            label = "" if note.lower().startswith(("note", "clinical note")) else "Note: "
            click.echo(wrap(label + note, "", "  "))
        if question.section:
            click.echo(style(wrap(f"Section: {safe_text(question.section)}", "", "  "), dim=True))
        if question.image is not None and question.image.side == "answer":
            self._show_picture(question.image)

    def _show_picture(self, image: Image) -> None:
        self._picture = image
        click.echo(style(wrap(safe_text(image.label), "", "  "), fg="magenta"))
        click.echo(style(f"  ({PICTURE_KEY})", dim=True))

    def _rating(self, question: Question, result: Grade, now: datetime) -> Rating:
        default = result.rating
        if self.session.cram:
            choices = "  ".join(f"{int(r)} {r.label}" for r in Rating) + "  (cram: not scheduled)"
        else:
            previews = self.session.options(question, now)
            choices = "  ".join(f"{int(r)} {r.label} ({_interval(previews[r])})" for r in Rating)
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
        if outcome.saved:
            after = outcome.after
            assert after.due is not None and after.last_review is not None
            hour = self.session.settings.day_start_hour
            back = comes_back(after.due, after.last_review, self.zone, hour)
            click.echo(style(f"Saved: {outcome.rating.label}, back {back}.", fg="cyan"))
        elif outcome.rating is Rating.AGAIN:
            click.echo("Cram: not saved; it comes back later in this cram session.")
        else:
            click.echo("Cram: not saved.")
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
        for reached in self.session.limits_reached():
            click.echo(wrap(_limit_message(reached)))
        message = "Nothing more is due now."
        if later:
            when = comes_back(
                min(later), self.clock(), self.zone, self.session.settings.day_start_hour
            )
            message += f" The next question is due {when}."
        click.echo(message)

    def summary(self, stopped: bool = False) -> None:
        """The session's tally; ``stopped``: by a store error (which then says what was lost)."""
        s = self.session.summary
        counts = " · ".join(f"{r.label} {s.ratings[r]}" for r in Rating if s.ratings[r])
        line = f"Session: {s.answered} answered" + (f" ({counts})" if counts else "")
        if self.session.cram:
            line += "; cram practice, the schedule is unchanged."
        else:
            if s.answered or not stopped:
                where = safe_path(self.path)
                line += f"; {'these are' if stopped else 'every answer is'} saved in {where}"
            line += "."
        click.echo(wrap(line))


def _load_answering() -> None:
    """What the first answer needs and its question does not: grading's verdicts, fsrs."""
    from ..study.grading import grade  # noqa: F401

    preload()


def _show_options(question: Question) -> None:
    """The options, labelled with their keys; true/false as the words alone (keyed t/f)."""
    options = question.options or ()
    if question.kind is QuestionKind.TRUE_FALSE:
        click.echo(wrap("   ".join(map(safe_text, options)), "  "))
        return
    for label, option in zip(choice_labels(question), options, strict=True):
        head = f"{label}) " if label else "- "
        click.echo(wrap(f"{head}{safe_text(option)}", "  ", "  " + " " * len(head)))


def _interval(after: CardState) -> str:
    """The interval a rating saves, as the acknowledgement will state it."""
    assert after.due is not None and after.last_review is not None
    return duration(after.due - after.last_review)


def _expected(question: Question, result: Grade) -> str:
    """The right answer as shown: a true/false answer as the word alone (no option number)."""
    options, correct = question.options or (), question.correct_option
    if question.kind is QuestionKind.TRUE_FALSE and correct is not None and correct < len(options):
        return options[correct]
    return result.expected


def _limit_message(reached: LimitReached) -> str:
    """Which daily limit holds questions back, and the option that raises it for today."""
    if reached.kind == "new":
        what, option, more = "new question", "--new", min(reached.waiting, NEW_MORE)
    else:
        what, option, more = "review", "--limit", reached.waiting
    return (
        f"Today's limit of {plural(reached.limit, what)} is reached ({reached.done} done today, "
        f"{reached.waiting} more waiting): study again with `{option} {reached.done + more}` "
        f"to allow {more} more today."
    )
