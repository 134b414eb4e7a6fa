"""What grading says about an answer: its verdict, per-item results and the rating it suggests
(the table in ``grading``'s docstring)."""

from __future__ import annotations

from enum import StrEnum

from ...records import Record
from ..scheduling import Rating

LIST_PASS = 0.75  # list items recalled, and answers in the list, that still make a (hard) pass


class Verdict(StrEnum):
    RIGHT = "right"
    ALMOST = "almost"
    PARTIAL = "partial"
    WRONG = "wrong"
    REVEALED = "revealed"  # the learner looked at the answer and rates themselves


class ItemResult(Record):
    item: str
    verdict: Verdict  # RIGHT, ALMOST or WRONG (missed)
    given: str = ""


class Grade(Record):
    verdict: Verdict
    expected: str
    items: tuple[ItemResult, ...] = ()
    extra: tuple[str, ...] = ()  # list recall: answers that are not in the list
    explanation: str = ""  # one line: what matched what, or which rule refused
    true_extra: tuple[str, ...] = ()  # list recall: true answers beyond the source's list

    @property
    def recalled(self) -> int:
        """Items recalled; on an incomplete list a declared true example stands in for a source
        item not given (the learner named as many true examples as the source lists)."""
        hits = sum(1 for item in self.items if item.verdict is not Verdict.WRONG)
        return hits + min(len(self.true_extra), len(self.items) - hits)

    @property
    def rating(self) -> Rating:
        """The rating this grade suggests; the learner may change it before moving on."""
        if self.verdict is Verdict.PARTIAL:  # a hard pass needs most items and few wrong extras
            recall = self.recalled / len(self.items) if self.items else 0.0
            precision = self.recalled / (self.recalled + len(self.extra)) if self.recalled else 0.0
            return Rating.HARD if min(recall, precision) >= LIST_PASS else Rating.AGAIN
        return _RATINGS[self.verdict]


_RATINGS = {
    Verdict.RIGHT: Rating.GOOD,
    Verdict.ALMOST: Rating.HARD,
    Verdict.WRONG: Rating.AGAIN,
    Verdict.REVEALED: Rating.GOOD,
}
