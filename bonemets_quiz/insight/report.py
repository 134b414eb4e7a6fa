"""``class_report``: item analysis over a class's review logs, as the ``ClassReport`` shape."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from ..deck.model import Deck
from ..deck.question import Question, QuestionKind
from ..gc_pause import gc_paused
from ..progress.review_log import iso
from ..study.grading.grade import Mode, answer_mode
from ..study.scheduling import checked_now
from .answers import Choices, WrongTyped, choices, option_counts, wrong_typed
from .discrimination import Totals, discrimination, groups, totals
from .flags import Evidence, flags
from .items import ByQuestion, Item, by_question, facility, item, spread
from .logs import ClassLogs, read_class
from .recall import Recall, earliest, mean_of_learners, sample_days
from .resolve import Resolved, resolve
from .shape import (
    FORMAT,
    VERSION,
    ClassReport,
    FactStats,
    Flag,
    OptionCount,
    QuestionStats,
    RetentionPoint,
    TopicRetention,
    TopicStats,
    WrongAnswer,
)

PathLike = str | os.PathLike[str]
WRONG_ANSWERS_SHOWN = 5  # the most common wrong answers listed per typed question
SEVERITY_ORDER = {"broken": 0, "review": 1, "info": 2}


def class_report(
    logs: PathLike | Iterable[PathLike],
    decks: Sequence[Deck],
    *,
    names: Mapping[str, str] | PathLike | None = None,
    now: datetime,
    min_learners: int = 5,
    show_answers: bool = False,
) -> ClassReport:
    """Item analysis of many learners' review logs (``progress export`` files, or folders of
    them) against ``decks``: per question, per fact and topic, retention over time and flags.

    ``names`` maps log file names to pseudonyms (or is a CSV/JSON file of them); without it a
    learner is the file's stem. Figures resting on fewer than ``min_learners`` learners are None
    (``hidden``); typed answers appear only with ``show_answers``. A bad log raises ``LogError``
    (one located line) before anything is computed."""
    now = checked_now(now).astimezone(UTC)
    if min_learners < 1:
        raise ValueError("min_learners must be at least 1")
    if isinstance(names, (str, os.PathLike)):
        from .names import read_names

        names = read_names(names)
    paths = [logs] if isinstance(logs, (str, os.PathLike)) else list(logs)
    from ..bank.generate import generate_bank

    with gc_paused():  # hundreds of thousands of reviews, no reference cycles among them
        bank = generate_bank(decks, 0)
        read = read_class(paths, now, names)
        resolved = resolve(read, bank)
        return _Assembly(bank, decks, read, resolved, now, min_learners, show_answers).report()


class _Assembly:
    def __init__(
        self,
        bank: list[Question],
        decks: Sequence[Deck],
        read: ClassLogs,
        resolved: Resolved,
        now: datetime,
        min_learners: int,
        show_answers: bool,
    ) -> None:
        self.bank, self.decks, self.read, self.resolved = bank, decks, read, resolved
        self.now, self.min, self.show = now, min_learners, show_answers
        self.histories: ByQuestion = by_question(resolved.learners)
        self.items: dict[str, Item] = {q: item(h) for q, h in self.histories.items()}
        self.totals: Totals = totals([it.first for it in self.items.values()])
        first = earliest(h for per in self.histories.values() for h in per.values())
        self.moments = sample_days(first, now) if first is not None else [now]
        recall = Recall(self.moments)
        # question → learner → retrievability at each moment; the last moment is now
        self.series = {
            qid: {name: recall.series(h) for name, h in per.items()}
            for qid, per in self.histories.items()
        }
        self.today = {
            qid: {name: values[-1] for name, values in per.items()}
            for qid, per in self.series.items()
        }
        self.siblings: dict[str, list[Question]] = {}
        for q in bank:
            self.siblings.setdefault(q.sibling_key, []).append(q)

    def report(self) -> ClassReport:
        questions, found = [], []
        for q in self.bank:
            stats, raised = self._question(q)
            questions.append(stats)
            found.extend(raised)
        order = {q.id: n for n, q in enumerate(self.bank)}
        found.sort(key=lambda f: (SEVERITY_ORDER[f["severity"]], order[f["question_id"]]))
        r = self.resolved
        return {
            "format": FORMAT,
            "version": VERSION,
            "generated_at": iso(self.now) or "",
            "today": self.now.date().isoformat(),
            "decks": [d.id for d in self.decks],
            "min_learners": self.min,
            "show_answers": self.show,
            "counts": {
                "logs": self.read.files,
                "learners": len(self.read.learners),
                "reviews": r.reviews,
                "duplicate_logs": list(self.read.duplicate_logs),
                "other_deck_reviews": r.other_deck_reviews,
                "renamed_reviews": r.renamed_reviews,
                "retired_reviews": r.retired_reviews,
            },
            "questions": questions,
            "facts": self._facts(),
            "topics": self._topics(),
            "retention_over_time": self._retention(),
            "flags": found,
        }

    # ------------------------------------------------------------------ questions

    def _question(self, q: Question) -> tuple[QuestionStats, list[Flag]]:
        histories = self.histories.get(q.id, {})
        it = self.items.get(q.id) or item(histories)
        learners = len(it.first)
        hidden = learners < self.min
        mode = answer_mode(q)
        picked = choices(q, histories) if mode is Mode.CHOOSE else None
        wrong_total, wrong = wrong_typed(histories) if mode is Mode.TYPE else (0, [])
        split = groups(it.first, self.totals) if not hidden else None
        d = discrimination(it.first, split)
        stats: QuestionStats = {
            "question_id": q.id,
            "fact_id": q.fact_id,
            "topic": q.topic,
            "kind": q.kind.value,
            "prompt": q.prompt,
            "learners": learners,
            "reviews": it.reviews,
            "hidden": hidden,
            "facility": None if hidden else _round(facility(it.first)),
            "later_success": None if hidden else _share(it.later_right, it.later_reviews),
            "difficulty": None if hidden else spread(it.difficulty),
            "stability": None if hidden else spread(it.stability),
            "discrimination": _round(d),
            "options": self._options(q, picked, hidden),
            "wrong_answers": self._wrong(wrong, hidden),
            "wrong_answer_count": wrong_total,
        }
        if hidden or not it.first:
            return stats, []
        evidence = Evidence(
            q,
            it.first,
            facility(it.first) or 0.0,
            d,
            split,
            picked,
            wrong,
            self._sibling_firsts(q),
            self.show,
        )
        return stats, flags(evidence)

    def _options(
        self, q: Question, picked: Choices | None, hidden: bool
    ) -> list[OptionCount] | None:
        if hidden or picked is None or q.kind is not QuestionKind.MULTIPLE_CHOICE:
            return None
        return option_counts(q, picked)

    def _wrong(self, wrong: list[WrongTyped], hidden: bool) -> list[WrongAnswer] | None:
        if hidden or not self.show:
            return None
        return [
            {"text": w.text, "count": w.answers, "learners": w.learners}
            for w in wrong[:WRONG_ANSWERS_SHOWN]
        ]

    def _sibling_firsts(self, q: Question) -> list[tuple[Question, dict[str, bool]]]:
        return [
            (s, self.items[s.id].first)
            for s in self.siblings[q.sibling_key]
            if s.id != q.id and s.id in self.items
        ]

    # ------------------------------------------------------------------ facts and topics

    def _recall(self, qids: Iterable[str]) -> tuple[float | None, int]:
        per_learner: dict[str, list[float]] = {}
        for qid in qids:
            for name, value in self.today.get(qid, {}).items():
                if value is not None:
                    per_learner.setdefault(name, []).append(value)
        return mean_of_learners(per_learner), len(per_learner)

    def _facts(self) -> list[FactStats]:
        out: list[FactStats] = []
        for group in self.siblings.values():
            recall, learners = self._recall(q.id for q in group)
            hidden = learners < self.min
            out.append(
                {
                    "fact_id": group[0].fact_id,
                    "topic": group[0].topic,
                    "learners": learners,
                    "hidden": hidden,
                    "recall": None if hidden else _round(recall),
                }
            )
        return out

    def _topic_questions(self) -> dict[str, list[Question]]:
        topics: dict[str, list[Question]] = {}
        for q in self.bank:
            topics.setdefault(q.topic, []).append(q)
        return topics

    def _topics(self) -> list[TopicStats]:
        out: list[TopicStats] = []
        for topic, group in self._topic_questions().items():
            recall, learners = self._recall(q.id for q in group)
            hidden = learners < self.min
            out.append(
                {
                    "topic": topic,
                    "facts": len({q.fact_id for q in group}),
                    "learners": learners,
                    "hidden": hidden,
                    "recall": None if hidden else _round(recall),
                }
            )
        return out

    def _retention(self) -> list[TopicRetention]:
        if not self.histories:
            return []
        out: list[TopicRetention] = []
        for topic, group in self._topic_questions().items():
            # per moment: learner → retrievabilities of the topic's questions seen by then
            seen: list[dict[str, list[float]]] = [{} for _ in self.moments]
            for q in group:
                for name, values in self.series.get(q.id, {}).items():
                    for n, value in enumerate(values):
                        if value is not None:
                            seen[n].setdefault(name, []).append(value)
            points: list[RetentionPoint] = []
            for moment, per_learner in zip(self.moments, seen, strict=True):
                hidden = len(per_learner) < self.min
                points.append(
                    {
                        "day": moment.date().isoformat(),
                        "recall": None if hidden else _round(mean_of_learners(per_learner)),
                        "learners": len(per_learner),
                    }
                )
            out.append({"topic": topic, "points": points})
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
