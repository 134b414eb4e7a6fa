"""Where a generated question's flaw was written: the item-writing checks' located warnings."""

from __future__ import annotations

from collections.abc import Sequence

from ...deck.locate import Locator
from ...deck.model import AuthoredQuestion, Deck, Fact, FactKind, ListItem, Question, QuestionKind
from ...errors import Problem


def warn(deck: Deck, at: tuple[int, int], message: str, hint: str) -> Problem:
    return Problem(deck.path or "<deck>", at[0], at[1], message, hint, "warning")


class Places:
    """Where in the file a question's flawed part was written: the fact's distractors, false
    variant, list item, text or authored question. Item and question indexes are built once."""

    def __init__(self, where: Locator, facts: dict[str, Fact]) -> None:
        self.where, self.facts = where, facts
        self._indexes: dict[tuple[str, str], dict[str, int]] = {}

    def at(self, question: Question) -> tuple[int, int]:
        fact = self.facts[question.fact_id]
        key, index = self._place(question, fact)
        return self.where.fact(fact, key, index)

    def _index(self, fact: Fact, key: str, ident: str) -> int | None:
        table = self._indexes.get((fact.id, key))
        if table is None:
            entries: Sequence[ListItem | AuthoredQuestion] = fact.questions
            if key == "items":
                entries = fact.items
            table = {entry.id: n for n, entry in enumerate(entries)}
            self._indexes[(fact.id, key)] = table
        return table.get(ident)

    def _place(self, question: Question, fact: Fact) -> tuple[str | None, int | None]:
        if question.variant.startswith("q-"):
            return "questions", self._index(fact, "questions", question.variant[2:])
        if question.kind is QuestionKind.TRUE_FALSE and question.variant.startswith("false-"):
            return "false_variants", int(question.variant.split("-")[1]) - 1
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            return "distractors", None
        if fact.kind is FactKind.LIST:
            return "items", self._index(fact, "items", question.variant)
        if fact.kind is FactKind.STATEMENT:
            return "text", None
        return None, None
