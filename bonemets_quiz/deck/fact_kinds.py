"""The kinds of fact, in one registry: what each kind's YAML has, what it teaches, what it answers.

Every module that treats the kinds differently reads it here instead of switching on the kind:
the loader (``required``/``optional`` keys, then ``fact_fields.KindFieldsReader.<name>_fields``),
the generator (``generate._FactQuestions._<name>``), lint (``answers``) and ``validate
--against`` (``content``, ``content_key``). A new kind is a new entry here and a method in each
of those two classes (a test checks that every kind has both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .cloze import deletion_forms
from .model import Fact, FactKind


@dataclass(frozen=True)
class KindSpec:
    kind: FactKind
    required: tuple[str, ...]  # the YAML keys this kind needs (beyond id, kind, topic, section)
    optional: tuple[str, ...]  # the YAML keys it may have (beyond the common ones)
    answers: Callable[[Fact], list[str]]  # texts that are a right answer somewhere in the fact
    content: Callable[[Fact], list[str]]  # what it teaches, as text (to tell a renamed fact)
    terms: Callable[[Fact], list[str]]  # the named things it teaches (another fact's options)
    content_key: str | None = None  # the key whose entries its questions ask, one each

    @property
    def name(self) -> str:
        """The kind's name in YAML, and in the names of the methods that handle it."""
        return self.kind.value


def _every_item(fact: Fact) -> list[str]:
    return [a for item in fact.items for a in (item.text, *item.alternatives)]


KINDS: dict[FactKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            FactKind.DEFINITION,
            ("term", "definition"),
            ("aliases",),
            answers=lambda f: [f.term, *f.aliases],
            content=lambda f: [f.term, f.definition],
            terms=lambda f: [f.term, *f.aliases],
        ),
        KindSpec(
            FactKind.LIST,
            ("prompt", "items"),
            ("complete", "also_true"),
            answers=_every_item,
            content=lambda f: [f.prompt, *(item.text for item in f.items)],
            terms=_every_item,
            content_key="items",
        ),
        KindSpec(
            FactKind.STATEMENT,
            ("text",),
            (),
            answers=lambda f: deletion_forms(f.text),
            content=lambda f: [f.text],
            terms=lambda f: [],
            content_key="text",
        ),
        KindSpec(
            FactKind.CONTRAST,
            ("sides",),
            (),
            # either side is a right answer to one question and a wrong one to the other
            answers=lambda f: [],
            content=lambda f: [f"{s.term} {s.description}" for s in f.sides],
            terms=lambda f: [side.term for side in f.sides],
        ),
    )
}


def spec_of(kind: FactKind) -> KindSpec:
    return KINDS[kind]
