"""A deck's ``vocabulary:``: concepts, each a term and its other forms, read from YAML nodes."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode, SequenceNode

from ..text.normalize import normalize
from ..text.wordforms import stem
from .model import Concept
from .yaml_nodes import NodeReader, line_of


class VocabularyReader:
    def __init__(self, reader: NodeReader) -> None:
        self.r = reader

    def read(self, node: Node | None) -> list[Concept]:
        """Concepts, each a term and its other forms; a form belongs to one concept only."""
        concepts: list[Concept] = []
        owner: dict[tuple[str, ...], tuple[str, int]] = {}  # form's key → (term, line)
        for item in self.r.sequence(node, "vocabulary"):
            fields = self.r.mapping(item, "a vocabulary concept", ("term", "also"), ("within",))
            if fields is None:
                continue
            term = self.r.string(fields.get("term"), "term")
            if term is None:
                continue
            also_node = fields.get("also")
            if isinstance(also_node, SequenceNode) and not also_node.value:
                self.r.problem(also_node, f"{term!r} has no other forms", "list them in `also`")
            term_ok = self._vocabulary_form(term, term, fields["term"], owner)
            also = self._forms(also_node, "also", term, owner)
            within = self._forms(fields.get("within"), "within", term, owner)
            if term_ok:
                concepts.append(Concept(term, tuple(also), line_of(item), tuple(within)))
        return concepts

    def _forms(
        self,
        node: Node | None,
        what: str,
        term: str,
        owner: dict[tuple[str, ...], tuple[str, int]],
    ) -> list[str]:
        """A concept's forms under ``also`` or ``within`` (a list, or one text)."""
        nodes = node.value if isinstance(node, SequenceNode) else [node] if node else []
        if node is not None and not isinstance(node, (SequenceNode, ScalarNode)):
            self.r.problem(node, f"{what} must be a list of texts", "write `[form, form]`")
            return []
        texts = [(t, n) for n in nodes if (t := self.r.string(n, f"a form in {what}"))]
        return [t for t, n in texts if self._vocabulary_form(t, term, n, owner)]

    def _vocabulary_form(
        self, form: str, term: str, node: Node, owner: dict[tuple[str, ...], tuple[str, int]]
    ) -> bool:
        key = tuple(stem(w) for w in normalize(form).split())  # as grading matches them
        if not key:
            self.r.problem(node, f"vocabulary form {form!r} has no letters", "write a word")
            return False
        if key in owner:
            other, line = owner[key]
            where = f"already a form of {other!r} on line {line}"
            if other == term:
                self.r.problem(
                    node,
                    f"{form!r} is listed twice under {term!r} (as a word form of another)",
                    "remove it: plurals, spellings and -ing/-ed/-ation forms match already",
                )
            else:
                self.r.problem(
                    node,
                    f"{form!r} is {where}",
                    "a form means one concept: remove it from one, or merge the two",
                )
            return False
        owner[key] = (term, line_of(node))
        return True
