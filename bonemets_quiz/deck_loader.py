"""YAML deck files → ``Deck``. All validation happens here; every problem is reported at once."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TypedDict

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .cloze import ANKI_CLOZE_MARKUP, grammar_problem
from .errors import DeckError, Problem
from .gc_pause import without_gc
from .image import IMAGE_SIDES
from .lint_locate import Locator
from .model import (
    AuthoredQuestion,
    Concept,
    Deck,
    Fact,
    FactKind,
    Image,
    ListItem,
    Side,
    Source,
    Topic,
)
from .normalize import normalize
from .wordforms import stem
from .yaml_nodes import NodeReader, compose, line_of, read_text

BUILTIN_DECK = "bone-metastasis.yaml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

COMMON_FIELDS = (
    "note",
    "category",
    "replaces",
    "distractors",
    "false_variants",
    "questions",
    "html",
    "image",
)
IMAGE_FIELDS = (("file", "alt"), ("caption", "credit", "side"))
KIND_FIELDS: dict[FactKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    FactKind.DEFINITION: (("term", "definition"), ("aliases",)),
    FactKind.LIST: (("prompt", "items"), ("complete", "also_true")),
    FactKind.STATEMENT: (("text",), ()),
    FactKind.CONTRAST: (("sides",), ()),
}


def builtin_deck_path() -> Path:
    """The built-in deck, shipped in the package (``decks/`` maps to ``bonemets_quiz.decks``)."""
    try:
        candidate = Path(str(resources.files("bonemets_quiz.decks") / BUILTIN_DECK))
        if candidate.is_file():
            return candidate
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "decks" / BUILTIN_DECK


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Deck files from files and directories (a directory: every ``*.yaml``/``*.yml`` in it)."""
    found, problems = _expand(paths)
    if problems:
        raise DeckError(problems)
    return found


def _expand(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if os.path.isdir(path):  # a stat only, and False for a name the system refuses
            inside = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not inside:
                problems.append(
                    Problem(str(path), 0, 0, "directory holds no .yaml deck", "pass a deck file")
                )
            found.extend(inside)
        else:
            found.append(path)
    return found, problems


def load_decks(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Deck]:
    """Load decks (the built-in one when none are given); every problem of every file at once."""
    decks, problems = check_decks(paths)[:2]
    if problems:
        raise DeckError(problems)
    return decks


class Checked(NamedTuple):
    decks: list[Deck]
    problems: list[Problem]
    files: list[str]  # the deck files looked at, in order
    places: list[Locator]  # positions in each deck's file (the nodes it was built from)


@without_gc
def check_decks(paths: Iterable[str | os.PathLike[str]] = (), rules: bool = True) -> Checked:
    """The decks that could be built and every problem of every file, never stopping at one.

    A deck whose only problems are broken rules (``lint.lint_errors``: a distractor that is a
    right answer, a false variant that is true…) is among the decks, so ``validate`` can say
    more about it; ``rules=False`` skips those checks (an old version of a deck, for comparison).
    """
    given = list(paths)
    files, problems = _expand(given)
    files = files if given else [builtin_deck_path()]
    decks: list[Deck] = []
    places: list[Locator] = []
    for file in files:
        deck, found, where = _check_file(file, rules)
        problems.extend(found)
        if deck is not None and where is not None:
            decks.append(deck)
            places.append(where)
    seen: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(
                    deck.path,
                    0,
                    0,
                    f"deck id {deck.id!r} is also used by {seen[deck.id].path}",
                    "give each deck its own id",
                )
            )
        seen[deck.id] = deck
    return Checked(decks, problems, [str(file) for file in files], places)


def load_deck(path: str | Path) -> Deck:
    return _loaded(*_check_file(Path(path))[:2])


def parse_deck(text: str, name: str = "<deck>") -> Deck:
    return _loaded(*_check_text(text, name)[:2])


def _loaded(deck: Deck | None, problems: list[Problem]) -> Deck:
    if problems or deck is None:
        raise DeckError(problems)
    return deck


Found = tuple[Deck | None, list[Problem], Locator | None]


def _check_file(path: Path, rules: bool = True) -> Found:
    try:
        text = read_text(path)
    except DeckError as exc:
        return None, exc.problems, None
    return _check_text(text, str(path), rules)


def _check_text(text: str, name: str, rules: bool = True) -> Found:
    """The deck, its problems and where its facts are: structure first; the error-level rules
    only on a sound deck."""
    try:
        root = compose(text, name)
    except DeckError as exc:
        return None, exc.problems, None
    if root is None:
        return (
            None,
            [Problem(name, 1, 1, "the file is empty", "start from `bonemets-quiz init FILE`")],
            None,
        )
    reader = NodeReader(name)
    deck = _DeckBuilder(reader).build(root)
    _refuse_stray_cloze_markup(root, reader)
    if reader.problems or deck is None:
        found = reader.problems or [Problem(name, 1, 1, "not a deck", "see docs/deck-format.md")]
        return None, sorted(found, key=lambda p: (p.line, p.column)), None
    where = Locator.of_root(root)
    if not rules:
        return deck, [], where
    from .lint import lint_errors  # imports generate: only on this slow path

    return deck, lint_errors(deck, where), where


def _refuse_stray_cloze_markup(root: Node, reader: NodeReader) -> None:
    """``{{ }}`` means a cloze deletion in a statement's ``text`` and nowhere else.

    Anywhere else it would be printed as is, or (in text that reaches an Anki cloze note, such
    as a list prompt) make extra cards; so it is refused wherever it appears, keys included.
    """
    allowed = _statement_texts(root)
    reported = {(p.line, p.column) for p in reader.problems}  # one problem per place
    for node in _braced_scalars(root):
        if id(node) in allowed:
            continue
        if (node.start_mark.line + 1, node.start_mark.column + 1) not in reported:
            reader.problem(
                node,
                "{{ }} marks a cloze deletion, which only a statement's `text` can have",
                "remove the braces; a list fact makes a cloze of each item by itself",
            )


def _statement_texts(root: Node) -> set[int]:
    facts = _value(root, "facts")
    found: set[int] = set()
    for fact in facts.value if isinstance(facts, SequenceNode) else ():
        kind, text = _value(fact, "kind"), _value(fact, "text")
        if isinstance(kind, ScalarNode) and kind.value == FactKind.STATEMENT.value and text:
            found.add(id(text))
    return found


def _value(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value
    return None


@cache
def _foreign_fields(kind: FactKind) -> dict[str, str]:
    """The fields of the other kinds (not of this one), each with the hint that says so."""
    required, optional = KIND_FIELDS[kind]
    return {
        key: f"it belongs to {other.value} facts; this fact is `kind: {kind.value}`"
        for other, (req, opt) in KIND_FIELDS.items()
        if other != kind
        for key in (*req, *opt)
        if key not in (*required, *optional)
    }


def _braced_scalars(root: Node) -> list[ScalarNode]:
    """Every scalar under ``root`` (keys too) with ``{{`` or ``}}`` in it, in document order,
    each once even when aliases repeat it.

    A deck has ~15 scalars a fact: scalars are checked where their parent is visited, and only
    collections go on the stack (each once, so aliases cannot make the walk blow up).
    """
    found: dict[int, ScalarNode] = {}
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            if "{{" in node.value or "}}" in node.value:
                found[id(node)] = node
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = (
            [part for pair in node.value for part in pair]
            if isinstance(node, MappingNode)
            else node.value
        )
        for child in children:
            if isinstance(child, ScalarNode):
                if "{{" in child.value or "}}" in child.value:
                    found[id(child)] = child
            elif isinstance(child, (MappingNode, SequenceNode)):
                stack.append(child)
    return sorted(found.values(), key=lambda n: n.start_mark.index)


class _CommonFields(TypedDict):
    """The ``Fact`` fields every kind of fact has."""

    id: str
    kind: FactKind
    topic: str
    line: int
    section: str
    note: str | None
    category: str | None
    replaces: tuple[str, ...]
    distractors: tuple[str, ...]
    false_variants: tuple[str, ...]
    questions: tuple[AuthoredQuestion, ...]
    html: bool
    image: Image | None


class _KindFields(TypedDict, total=False):
    """The ``Fact`` fields of one kind of fact (what ``_<kind>_fields`` returns)."""

    term: str
    definition: str
    aliases: tuple[str, ...]
    prompt: str
    items: tuple[ListItem, ...]
    complete: bool
    also_true: tuple[str, ...]
    text: str
    sides: tuple[Side, ...]


class _DeckBuilder:
    def __init__(self, reader: NodeReader) -> None:
        self.r = reader
        self._media: dict[str, tuple[str, str]] = {}  # media name → (file, whole digest)

    def build(self, root: Node) -> Deck | None:
        top = self.r.mapping(
            root,
            "the deck file",
            ("deck", "topics", "facts"),
            ("format", "vocabulary", "retired"),
        )
        if top is None:
            return None
        version = self.r.integer(top.get("format"), "format")
        if version not in (None, 1):
            self.r.problem(top["format"], f"unknown deck format {version}", "use `format: 1`")
        meta = self.r.mapping(top.get("deck"), "deck", ("id", "title", "description", "source"))
        topics = self._topics(top.get("topics"))
        vocabulary = self._vocabulary(top.get("vocabulary"))
        facts = self._facts(top.get("facts"), {t.id for t in topics})
        retired = self._retired(top.get("retired"), facts)
        if meta is None:
            return None
        deck_id = self._slug(meta.get("id"), "deck id")
        title = self.r.string(meta.get("title"), "deck title")
        description = self.r.string(meta.get("description"), "deck description")
        source = self._source(meta.get("source"))
        if deck_id is None or title is None or description is None or source is None:
            return None
        return Deck(
            deck_id,
            title,
            description,
            source,
            tuple(topics),
            tuple(facts),
            self.r.path,
            version or 1,
            tuple(vocabulary),
            tuple(retired),
        )

    def _slug(self, node: Node | None, what: str) -> str | None:
        value = self.r.string(node, what)
        if value is not None and not SLUG.match(value):
            self.r.problem(
                node,
                f"{what} {value!r} is not a slug",
                "use lower-case letters, digits and '-', e.g. `bone-pain`",
            )
            return None
        return value

    def _source(self, node: Node | None) -> Source | None:
        fields = self.r.mapping(node, "deck source", ("title",), ("author", "updated", "url"))
        if fields is None:
            return None
        title = self.r.string(fields.get("title"), "source title")
        extra = {
            k: self.r.string(fields.get(k), f"source {k}") or ""
            for k in ("author", "updated", "url")
        }
        return Source(title, **extra) if title else None

    def _topics(self, node: Node | None) -> list[Topic]:
        topics: list[Topic] = []
        seen: set[str] = set()
        items = self.r.sequence(node, "topics")
        if isinstance(node, SequenceNode) and not items:
            self.r.problem(node, "topics is empty", "add at least one `- id: …, title: …`")
        for item in items:
            fields = self.r.mapping(item, "a topic", ("id", "title"))
            if fields is None:
                continue
            topic_id = self._slug(fields.get("id"), "topic id")
            title = self.r.string(fields.get("title"), "topic title")
            if topic_id in seen:
                self.r.problem(
                    fields["id"], f"duplicate topic id {topic_id!r}", "give each topic its own id"
                )
            elif topic_id and title:
                seen.add(topic_id)
                topics.append(Topic(topic_id, title))
        return topics

    def _vocabulary(self, node: Node | None) -> list[Concept]:
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

    def _facts(self, node: Node | None, topic_ids: set[str]) -> list[Fact]:
        facts: list[Fact] = []
        first_line: dict[str, int] = {}
        items = self.r.sequence(node, "facts")
        if isinstance(node, SequenceNode) and not items:
            self.r.problem(node, "facts is empty", "add at least one fact")
        for item in items:
            fact = self._fact(item, topic_ids)
            if fact is None:
                continue
            if fact.id in first_line:
                self.r.problem(
                    item,
                    f"duplicate fact id {fact.id!r}",
                    f"it is already used on line {first_line[fact.id]}; rename one",
                )
                continue
            first_line[fact.id] = fact.line
            facts.append(fact)
        self._check_replaces(facts, set(first_line))
        return facts

    def _check_replaces(self, facts: list[Fact], live: set[str]) -> None:
        """An old id is renamed at most once, and never while it is still in the deck."""
        claimed: dict[str, str] = {}
        for fact in facts:
            for old in fact.replaces:
                if old in live:
                    problem = f"fact {fact.id!r} replaces {old!r}, which is still in the deck"
                    hint = "remove the old fact or the `replaces:` entry"
                elif old in claimed:
                    problem = f"fact {fact.id!r} replaces {old!r}, as fact {claimed[old]!r} does"
                    hint = "an old id can be renamed into one fact only"
                else:
                    claimed[old] = fact.id
                    continue
                self.r.problems.append(Problem(self.r.path, fact.line, 1, problem, hint))

    def _fact(self, node: Node, topic_ids: set[str]) -> Fact | None:
        kind = self._fact_kind(node)
        if kind is None:
            return None
        required, optional = KIND_FIELDS[kind]
        foreign = _foreign_fields(kind)
        what = f"a {kind.value} fact"
        fields = self.r.mapping(
            node,
            what,
            ("id", "kind", "topic", "section", *required),
            (*COMMON_FIELDS, *optional),
            foreign,
        )
        if fields is None:
            return None
        before = len(self.r.problems)
        fact_id = self._slug(fields.get("id"), "fact id")
        topic = self.r.string(fields.get("topic"), "topic")
        if topic is not None and topic not in topic_ids:
            self.r.problem(
                fields["topic"],
                f"unknown topic {topic!r}",
                f"use one of: {', '.join(sorted(topic_ids)) or '(define topics first)'}",
            )
        common = _CommonFields(
            id=fact_id or "",
            kind=kind,
            topic=topic or "",
            line=line_of(node),
            section=self.r.string(fields.get("section"), "section") or "",
            note=self.r.string(fields.get("note"), "note"),
            category=self.r.string(fields.get("category"), "category"),
            replaces=tuple(self._slugs(fields.get("replaces"), "replaces")),
            distractors=tuple(self.r.string_list(fields.get("distractors"), "distractors")),
            false_variants=tuple(
                self.r.string_list(fields.get("false_variants"), "false_variants")
            ),
            questions=tuple(self._questions(fields.get("questions"))),
            html=self.r.boolean(fields.get("html"), "html", False),
            image=self._image(fields.get("image")),
        )
        specific: _KindFields = getattr(self, f"_{kind.value}_fields")(fields)
        if len(self.r.problems) > before:
            return None
        return Fact(**common, **specific)

    def _fact_kind(self, node: Node) -> FactKind | None:
        if not isinstance(node, MappingNode):
            self.r.problem(
                node, "a fact must be a mapping of keys to values", "start it with `- id: …`"
            )
            return None
        kind_node = next((v for k, v in node.value if getattr(k, "value", None) == "kind"), None)
        if kind_node is None:
            self.r.problem(
                node,
                "a fact is missing the required key 'kind'",
                f"add `kind:` one of {', '.join(k.value for k in FactKind)}",
            )
            return None
        value = self.r.string(kind_node, "kind")
        if value is None:
            return None
        try:
            return FactKind(value)
        except ValueError:
            self.r.problem(
                kind_node,
                f"unknown fact kind {value!r}",
                f"use one of {', '.join(k.value for k in FactKind)}",
            )
            return None

    def _retired(self, node: Node | None, facts: list[Fact]) -> list[str]:
        """Facts removed on purpose: their ids, never again those of live or renamed facts."""
        if node is None:
            return []
        retired = self._slugs(node, "retired fact id")
        taken = {f.id: "is a fact of this deck" for f in facts}
        taken.update({old: f"is renamed into fact {f.id!r}" for f in facts for old in f.replaces})
        for fact_id in retired:
            if fact_id in taken:
                self.r.problem(
                    node,
                    f"retired fact id {fact_id!r} {taken[fact_id]}",
                    "list under `retired:` only ids of facts removed from the deck",
                )
        return retired

    def _slugs(self, node: Node | None, what: str) -> list[str]:
        values = self.r.string_list(node, what, allow_scalar=True)
        for value in values:
            if not SLUG.match(value):
                self.r.problem(node, f"{what} {value!r} is not a slug", "use the old fact's id")
        return values

    def _questions(self, node: Node | None) -> list[AuthoredQuestion]:
        questions: list[AuthoredQuestion] = []
        seen: set[str] = set()
        for item in self.r.sequence(node, "questions"):
            fields = self.r.mapping(
                item,
                "an authored question",
                ("id", "prompt", "answer"),
                ("alternatives", "options", "image"),
            )
            if fields is None:
                continue
            qid = self._slug(fields.get("id"), "question id")
            prompt = self.r.string(fields.get("prompt"), "question prompt")
            answer = self.r.string(fields.get("answer"), "question answer")
            if qid in seen:
                self.r.problem(fields["id"], f"duplicate question id {qid!r}", "rename one")
                continue
            options = self.r.string_list(fields.get("options"), "options")
            if options and len(options) < 2:
                self.r.problem(
                    fields["options"],
                    "options needs at least 2 wrong answers",
                    "add more, or remove `options`",
                )
            if len({normalize(o) for o in (*options, answer or "")}) < len(options) + 1:
                self.r.problem(
                    fields["options"],
                    "two options say the same (or repeat the answer)",
                    "make every option different",
                )
            if qid and prompt and answer:
                seen.add(qid)
                alternatives = tuple(self.r.string_list(fields.get("alternatives"), "alternatives"))
                image = self._image(fields.get("image"))
                questions.append(
                    AuthoredQuestion(qid, prompt, answer, alternatives, tuple(options), image)
                )
        return questions

    def _image(self, node: Node | None) -> Image | None:
        """A picture: its file checked here (see ``image_files``), each problem located."""
        from . import image_files  # hashlib and friends: only for decks with pictures

        required, optional = IMAGE_FIELDS
        fields = self.r.mapping(node, "image", required, optional)
        if fields is None or node is None:
            return None
        file = self.r.string(fields.get("file"), "image file")
        alt = self.r.string(fields.get("alt"), "image alt text")
        text = {k: self.r.string(fields.get(k), f"image {k}") or "" for k in ("caption", "credit")}
        side = self.r.string(fields.get("side"), "image side") or "question"
        if side not in IMAGE_SIDES:
            self.r.problem(fields["side"], f"unknown image side {side!r}", "use question or answer")
        if not file or not alt or side not in IMAGE_SIDES:
            return None
        root = os.path.dirname(os.path.abspath(self.r.path))
        try:
            data, kind = image_files.read_picture(root, file)
        except image_files.ImageRefused as refused:
            self.r.problem(fields["file"], refused.message, refused.hint)
            return None
        name, whole = image_files.media_name(data, kind), image_files.digest(data)
        first = self._media.setdefault(name, (file, whole))
        if first[1] != whole:
            self.r.problem(
                fields["file"],
                f"picture {file!r} would take the name {name} in Anki's media folder, "
                f"as the different picture {first[0]!r} does",
                "change one of the two pictures",
            )
            return None
        path = os.path.join(root, *file.split("/"))
        return Image(file, alt, path, root, side=side, **text)

    def _definition_fields(self, fields: dict[str, Node]) -> _KindFields:
        return _KindFields(
            term=self.r.string(fields.get("term"), "term") or "",
            definition=self.r.string(fields.get("definition"), "definition") or "",
            aliases=tuple(self.r.string_list(fields.get("aliases"), "aliases")),
        )

    def _list_fields(self, fields: dict[str, Node]) -> _KindFields:
        items: list[ListItem] = []
        nodes = self.r.sequence(fields.get("items"), "items")
        if isinstance(fields.get("items"), SequenceNode) and len(nodes) < 2:
            self.r.problem(
                fields["items"],
                "a list fact needs at least 2 items",
                "add items, or make it a statement fact",
            )
        for position, node in enumerate(nodes, start=1):
            item = self._list_item(node, position)
            if item is None:
                continue
            if any(other.id == item.id for other in items):
                self.r.problem(node, f"duplicate item id {item.id!r}", "give each item its own id")
            elif any(normalize(other.text) == normalize(item.text) for other in items):
                self.r.problem(node, f"item {item.text!r} is listed twice", "remove one")
            elif ANKI_CLOZE_MARKUP.search(item.text):
                self.r.problem(
                    node,
                    "a list item cannot contain {{, }} or ::",
                    "these mark cloze deletions in Anki; reword the item",
                )
            items.append(item)
        complete = self.r.boolean(fields.get("complete"), "complete", True)
        return _KindFields(
            prompt=self.r.string(fields.get("prompt"), "prompt") or "",
            items=tuple(items),
            complete=complete,
            also_true=self._also_true(fields.get("also_true"), items, complete),
        )

    def _also_true(
        self, node: Node | None, items: list[ListItem], complete: bool
    ) -> tuple[str, ...]:
        """True answers beyond the items: only on a list that says it is not complete."""
        extras = self.r.string_list(node, "also_true")
        if extras and complete:
            self.r.problem(
                node,
                "also_true is for lists that are not complete",
                "add `complete: false`, or make these items",
            )
        listed = {normalize(a) for item in items for a in (item.text, *item.alternatives)}
        for extra in extras:
            if normalize(extra) in listed:
                self.r.problem(node, f"{extra!r} is already an item", "remove it from also_true")
        return tuple(extras)

    def _list_item(self, node: Node, position: int) -> ListItem | None:
        if isinstance(node, ScalarNode):
            text = self.r.string(node, "a list item")
            return ListItem(str(position), text) if text else None
        fields = self.r.mapping(node, "a list item", ("text",), ("id", "alternatives"))
        if fields is None:
            return None
        text = self.r.string(fields.get("text"), "item text")
        item_id = self._slug(fields["id"], "item id") if "id" in fields else str(position)
        alternatives = tuple(self.r.string_list(fields.get("alternatives"), "alternatives"))
        return ListItem(item_id, text, alternatives) if text and item_id else None

    def _statement_fields(self, fields: dict[str, Node]) -> _KindFields:
        node = fields.get("text")
        text = self.r.string(node, "text") or ""
        problem = grammar_problem(text) if text else None
        if problem is not None:
            self.r.problem(node, *problem)
        return _KindFields(text=text)

    def _contrast_fields(self, fields: dict[str, Node]) -> _KindFields:
        sides: list[Side] = []
        nodes = self.r.sequence(fields.get("sides"), "sides")
        if fields.get("sides") is not None and len(nodes) != 2:
            self.r.problem(
                fields["sides"],
                f"a contrast needs exactly 2 sides, not {len(nodes)}",
                "give two `- term: …, description: …` entries",
            )
        for node in nodes:
            side = self.r.mapping(node, "a contrast side", ("term", "description"))
            if side is None:
                continue
            term = self.r.string(side.get("term"), "term")
            description = self.r.string(side.get("description"), "description")
            if term and description:
                sides.append(Side(term, description))
        if len(sides) == 2 and normalize(sides[0].term) == normalize(sides[1].term):
            self.r.problem(
                fields["sides"],
                "both sides of the contrast have the same term",
                "a contrast compares two different things",
            )
        return _KindFields(sides=tuple(sides))
