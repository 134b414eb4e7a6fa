"""`init` writes a starter deck that loads and lints clean; `schema` and the loader agree."""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import COMMON_FIELDS, KIND_FIELDS, builtin_deck_path
from bonemets_quiz.deck.model import FactKind, QuestionKind
from bonemets_quiz.educators.starter import (
    deck_schema,
    new_deck_id,
    slugify,
    starter_deck,
    title_from,
)
from bonemets_quiz.errors import DeckError

jsonschema = pytest.importorskip("jsonschema")

CORPUS = Path(__file__).parent / "malformed"
STARTER = starter_deck("starter-abc234", "Starter", "starter.yaml")


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
VALIDATOR = jsonschema.Draft202012Validator(json.loads(deck_schema()))


def schema_accepts(text: str) -> bool:
    """The schema's verdict on a deck file, as an editor sees it (YAML read as plain data)."""
    try:
        instance = yaml.load(text, Loader=FAST_LOADER)  # a safe loader: plain data only
    except yaml.YAMLError:
        return False
    return bool(VALIDATOR.is_valid(instance))


def loader_accepts(text: str) -> bool:
    try:
        parse_deck(text, "deck.yaml")
    except DeckError:
        return False
    return True


# --- init ----------------------------------------------------------------------------------------


def test_deck_ids_are_slugs_with_a_seeded_suffix() -> None:
    first = new_deck_id("Anatomía, week 3", random.Random(7))
    assert first == new_deck_id("Anatomía, week 3", random.Random(7))
    assert re.fullmatch(r"anatomia-week-3-[a-km-np-z2-9]{6}", first)
    assert first != new_deck_id("Anatomía, week 3", random.Random(8))
    assert new_deck_id("!!!", random.Random(1)).startswith("deck-")
    assert slugify("  Bone--Mets_2 ") == "bone-mets-2"
    assert title_from("my-deck_v2") == "My deck v2"


def test_init_writes_a_starter_deck_that_loads_and_lints_clean(tmp_path: Path) -> None:
    path = tmp_path / "anatomy.yaml"
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./deck.schema.json\n")
    deck = load_deck(path)
    assert re.fullmatch(r"anatomy-[a-km-np-z2-9]{6}", deck.id)
    assert deck.title == "Anatomy"
    assert f"id {deck.id} (4 facts, 18 questions)" in result.output
    assert sorted(f.kind for f in deck.facts) == sorted(FactKind), "every fact kind once"
    assert {q.kind for q in generate_questions(deck)} == set(QuestionKind)
    assert json.loads((tmp_path / "deck.schema.json").read_text()) == json.loads(deck_schema())
    lint = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert lint.exit_code == 0, lint.output
    assert lint.output.startswith(f"{path}: ok — 4 facts, 18 questions")


def test_two_inits_give_two_deck_ids(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a.yaml", "b.yaml"):
        assert runner.invoke(cli, ["init", str(tmp_path / name)]).exit_code == 0
    first, second = (load_deck(tmp_path / n).id for n in ("a.yaml", "b.yaml"))
    assert first[:2] == "a-" and second[:2] == "b-"
    assert first[2:] != second[2:]
    both = runner.invoke(cli, ["validate", str(tmp_path)])
    assert both.exit_code == 0, both.output


def test_init_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my precious work\n")
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path} already exists — choose another file name (init never overwrites)\n"
    )
    assert path.read_text() == "my precious work\n"
    assert not (tmp_path / "deck.schema.json").exists()


def test_init_keeps_an_existing_schema_file_and_honours_options(tmp_path: Path) -> None:
    (tmp_path / "deck.schema.json").write_text("{}")
    path = tmp_path / "class.yaml"
    result = CliRunner().invoke(
        cli, ["init", str(path), "--id", "class-2024", "--title", 'Week "3": bones']
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "deck.schema.json").read_text() == "{}"
    deck = load_deck(path)
    assert (deck.id, deck.title) == ("class-2024", 'Week "3": bones')
    other = tmp_path / "other.yaml"
    assert CliRunner().invoke(cli, ["init", str(other), "--no-schema"]).exit_code == 0


def test_init_rejects_a_bad_id_and_a_missing_directory(tmp_path: Path) -> None:
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "x.yaml"), "--id", "Not A Slug"])
    assert bad.exit_code == 2
    assert "--id" in bad.output and "lower-case letters" in bad.output
    missing = CliRunner().invoke(cli, ["init", str(tmp_path / "nope" / "x.yaml")])
    assert missing.exit_code == 2
    assert f"Error: {tmp_path / 'nope'}: no such directory — create it first" in missing.output
    assert not (tmp_path / "x.yaml").exists()


def test_starter_deck_shows_and_explains_every_field() -> None:
    authored = ("prompt", "answer", "alternatives", "options")
    fields = {
        "format", "id", "title", "description", "source", "author", "updated", "url",
        "topics", "facts", "kind", "topic", "section", "text",
        *COMMON_FIELDS, *authored,
        *(name for required, optional in KIND_FIELDS.values() for name in (*required, *optional)),
    }  # fmt: skip
    for field in sorted(fields):
        lines = [x for x in STARTER.splitlines() if re.match(rf"\s*(?:- |# )?{field}:", x)]
        assert lines, f"the starter deck does not show {field!r}"
        commented = any("#" in x for x in lines) or any(
            f"{field}:" in x for x in STARTER.splitlines() if x.lstrip().startswith("#")
        )
        assert commented, f"{field!r} is not explained"


# --- schema --------------------------------------------------------------------------------------


def test_schema_command_prints_a_valid_draft_2020_12_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    out = tmp_path / "deck.schema.json"
    assert CliRunner().invoke(cli, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_builtin_and_starter_decks_pass_both_schema_and_loader() -> None:
    builtin = builtin_deck_path().read_text(encoding="utf-8")
    for text in (builtin, STARTER):
        assert loader_accepts(text)
        assert schema_accepts(text)


# Rules a JSON Schema cannot state (they compare values across the file), or YAML that an editor
# rejects before any schema runs. Everything else in the corpus must be rejected by the schema too.
CROSS_REFERENCES = {"duplicate-id.yaml", "duplicate-key.yaml", "unknown-topic.yaml"}
CROSS_REFERENCES |= {"replaces-live.yaml", "replaced-twice.yaml"}
# Rules about the text inside strings, or comparing values, that JSON Schema cannot express.
CROSS_REFERENCES |= {
    "control-character.yaml",
    "cloze-markup-in-item.yaml",
    "duplicate-item.yaml",
    "contrast-same-term.yaml",
    "duplicate-options.yaml",
    "cloze-in-list-prompt.yaml",
    "cloze-in-term.yaml",
    "cloze-in-note.yaml",
    "false-variant-is-true.yaml",
    "cloze-hides-everything.yaml",
    "distractor-is-answer.yaml",
}


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_schema_rejects_the_malformed_corpus(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert schema_accepts(text) is (path.name in CROSS_REFERENCES)


def _mutations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(where, replacement) pairs: each key dropped, a key added, each value retyped."""
    if isinstance(node, dict):
        yield path, {**node, "colour": "red"}
        for key in node:
            yield path, {k: v for k, v in node.items() if k != key}
            yield from _mutations(node[key], (*path, key))
    elif isinstance(node, list):
        yield path, []
        yield path, node[:1]
        for index, item in enumerate(node):
            yield from _mutations(item, (*path, index))
    for value in (7, True, "", "Not A Slug", ["x", "y"], {"x": "y"}):
        if value != node:
            yield path, value


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return changed


def test_schema_and_loader_agree_on_every_mutation_of_the_starter_deck() -> None:
    document = yaml.safe_load(STARTER)
    extra_texts = [
        "The adult human skeleton has 206 bones.",
        "The adult human skeleton has {{ }} bones.",
        "The adult human skeleton has {{206}} {{bones.",
        "The adult human skeleton has {{206}}}} bones.",
    ]
    cases = list(_mutations(document))
    cases += [(("facts", 2, "text"), text) for text in extra_texts]
    disagreements, verdicts = [], []
    for where, value in cases:
        if where[:1] == ("topics",) and isinstance(value, list) and len(value) < 2:
            continue  # dropping a topic that facts still name: only the loader can see that
        mutated = yaml.dump(_replaced(document, where, value), Dumper=FAST_DUMPER, sort_keys=False)
        verdict = loader_accepts(mutated)
        verdicts.append(verdict)
        if verdict != schema_accepts(mutated):
            disagreements.append(f"{'/'.join(map(str, where))} = {value!r}")
    assert disagreements == []
    assert len(verdicts) > 500
    assert verdicts.count(True) > 50 and verdicts.count(False) > 400, "both verdicts occur"


# --- docs ----------------------------------------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "deck-format.md"


def test_docs_examples_load_and_every_field_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", docs, flags=re.DOTALL)
    facts = [b for b in blocks if b.startswith("  - id:") and "..." not in b]
    assert len(facts) >= 5
    skeleton = (
        "deck: {id: docs, title: Docs, description: From the docs., source: {title: Docs}}\n"
        "topics: [{id: basics, title: B}, {id: causes, title: C}, {id: cells, title: Cells}]\n"
        "facts:\n"
    )
    text = skeleton + "".join(facts)
    deck = parse_deck(text, "docs.yaml")
    assert sorted({f.kind for f in deck.facts}) == sorted(FactKind)
    assert schema_accepts(text)
    fields = {*COMMON_FIELDS, "alternatives", "options", "prompt", "answer", "author", "url"}
    fields |= {n for required, optional in KIND_FIELDS.values() for n in (*required, *optional)}
    for field in sorted(fields):
        assert f"`{field}`" in docs or f"{field}:" in docs, f"{field!r} is not documented"
