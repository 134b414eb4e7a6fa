"""`validate` as a linter: each check fires on its mistake, points at it, and exits right."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from deck_files import write_deck

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.lint.lint import lint_deck
from bonemets_quiz.bank.loading import load_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path

BASE = """\
format: 1
deck:
  id: bones
  title: Bones
  description: A tiny deck for the linter tests.
  source:
    title: Lecture notes
    author: A. Teacher
topics:
  - id: cells
    title: Cells
facts:
  - id: osteoblast
    kind: definition
    topic: cells
    section: Bone cells
    term: osteoblast
    definition: a cell that builds new bone
    distractors: [osteoclast, chondrocyte, fibroblast]
  - id: forearm-bones
    kind: list
    topic: cells
    section: Bones of the arm
    prompt: bones of the forearm
    items: [radius, ulna]
  - id: skeleton-count
    kind: statement
    topic: cells
    section: The skeleton
    text: The adult human skeleton has {{206}} bones.
"""


def write(tmp_path: Path, extra: str = "", base: str = BASE, name: str = "deck.yaml") -> Path:
    """The linter tests' deck: ``base`` with the facts of ``extra`` appended."""
    return write_deck(tmp_path, base + extra, name)


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def problem_lines(lines: list[str], path: Path) -> list[str]:
    """Problem lines (``path:line:col: …``), not the per-deck summary (``path: ok — …``)."""
    return [x for x in lines if x.startswith(f"{path}:") and x[len(str(path)) + 1 :][:1].isdigit()]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_clean_deck_exits_0_even_with_strict(tmp_path: Path) -> None:
    path = write(tmp_path)
    code, lines = run("--strict", str(path))
    assert code == 0
    assert lines == [
        f"{path}: ok — 3 facts, 7 questions "
        "(basic 1, cloze 3, list_recall 1, multiple_choice 1, reversed 1)"
    ]


def test_duplicate_question_is_a_warning_failing_only_with_strict(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: skeleton-count-again
    kind: statement
    topic: cells
    section: The skeleton
    text: The adult human skeleton has {{206}} bones.
""",
    )
    code, lines = run(str(path))
    assert code == 0
    found = problem_lines(lines, path)
    assert len(found) == 1
    at = line_of(path, "id: skeleton-count-again")
    assert found[0].startswith(f"{path}:{at}:5: warning: question ")
    assert (
        "'bones/skeleton-count-again/cloze/c1' asks the same as 'bones/skeleton-count/cloze/c1'"
        in found[0]
    )
    assert " — merge the two facts" in found[0]
    assert run("--strict", str(path))[0] == 1


# Each check fires on its mistake: (extra facts, --strict?, exit code, words of one output line).
FLAGGED = {
    "near duplicate with the same answer": (
        """\
  - id: skeleton-count-2
    kind: statement
    topic: cells
    section: The skeleton
    text: The adult human skeleton has about {{206}} bones.
""",
        True,
        1,
        "nearly duplicates 'bones/skeleton-count/cloze/c1'",
    ),
    "authored options holding the answer": (
        """\
  - id: longest-bone
    kind: statement
    topic: cells
    section: The skeleton
    text: The longest bone of the body is the {{femur}}.
    questions:
      - id: which
        prompt: Which bone is the longest?
        answer: femur
        alternatives: [thigh bone]
        options: [tibia, Thigh bone, humerus]
""",
        False,
        2,
        "question 'which' lists its answer 'Thigh bone' among the wrong",
    ),
    "false variant that is true": (
        """\
  - id: marrow
    kind: statement
    topic: cells
    section: Bone marrow
    text: Red bone marrow makes {{blood cells}}.
    false_variants: ["Red bone marrow makes blood cells"]
""",
        False,
        2,
        "false variant of fact 'marrow' says the same as the fact",
    ),
}


@pytest.mark.parametrize("case", sorted(FLAGGED))
def test_each_check_fires_on_its_mistake(tmp_path: Path, case: str) -> None:
    extra, strict, exit_code, words = FLAGGED[case]
    path = write(tmp_path, extra)
    code, lines = run(*(["--strict"] if strict else []), str(path))
    assert code == exit_code
    assert any(words in x for x in lines), "\n".join(lines)


def test_different_answers_are_not_near_duplicates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: newborn-count
    kind: statement
    topic: cells
    section: The skeleton
    text: The newborn human skeleton has {{about 270}} bones.
""",
    )
    assert run("--strict", str(path)) == (0, run(str(path))[1])


def test_answer_given_away_in_its_prompt(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: osteocyte
    kind: definition
    topic: cells
    section: Bone cells
    term: osteocyte
    definition: a former osteoblast, now an osteocyte buried in the bone it made
""",
    )
    code, lines = run("--strict", str(path))
    assert code == 1
    found = problem_lines(lines, path)
    assert len(found) == 1
    assert "question 'bones/osteocyte/reversed' gives its answer 'osteocyte' away" in found[0]
    assert found[0].startswith(f"{path}:{line_of(path, 'id: osteocyte')}:5: warning: ")


def test_distractor_that_is_a_right_answer_is_an_error_at_the_distractor(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: arm-bones
    kind: list
    topic: cells
    section: Bones of the arm
    prompt: bones of the arm
    items: [humerus, radius, ulna]
    distractors:
      - femur
      - Ulna
      - tibia
""",
    )
    code, lines = run(str(path))
    assert code == 2
    errors = [x for x in problem_lines(lines, path) if ": warning: " not in x]
    assert errors == [
        f"{path}:{line_of(path, '- Ulna')}:9: distractor 'Ulna' of fact 'arm-bones' is one of "
        "its right answers — a distractor must be wrong: remove it or replace it"
    ]


def test_cloze_that_leaves_nothing_to_ask(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: resorb
    kind: statement
    topic: cells
    section: Bone cells
    text: "{{Osteoclasts resorb bone}}."
""",
    )
    code, lines = run(str(path))
    assert code == 2
    found = problem_lines(lines, path)
    assert len(found) == 1
    assert f"{path}:{line_of(path, 'Osteoclasts resorb')}:11: cloze {{{{Osteoclasts" in found[0]
    assert "leaves nothing to ask" in found[0]


def test_unused_topic_and_unused_distractors(tmp_path: Path) -> None:
    base = BASE.replace("    title: Cells\n", "    title: Cells\n  - id: joints\n    title: J\n")
    path = write(
        tmp_path,
        """\
  - id: osteoclast
    kind: definition
    topic: cells
    section: Bone cells
    term: osteoclast
    definition: a cell that breaks bone down
    distractors: [chondrocyte, fibroblast]
  - id: marrow
    kind: statement
    topic: cells
    section: Bone marrow
    text: Red bone marrow makes {{blood cells}}.
    distractors: [bile, insulin, sweat]
""",
        base,
    )
    code, lines = run("--strict", str(path))
    assert code == 1
    found = "\n".join(problem_lines(lines, path))
    assert f"{path}:{line_of(path, 'id: joints')}:5: warning: topic 'joints' has no facts" in found
    assert "fact 'osteoclast' gets no multiple-choice question" in found
    assert "distractors of statement fact 'marrow' are never used" in found


def test_fact_without_section_or_deck_without_source(tmp_path: Path) -> None:
    deck = load_deck(write(tmp_path))
    fact = replace(deck.facts[0], section=" ")
    broken = replace(deck, facts=(fact, *deck.facts[1:]), source=replace(deck.source, title=""))
    problems = lint_deck(broken, generate_questions(broken))
    messages = [(p.severity, p.message) for p in problems]
    assert ("error", "the deck names no source") in messages
    assert ("error", "fact 'osteoblast' names no section of the source") in messages


def test_json_format_for_tools(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
  - id: resorb
    kind: statement
    topic: cells
    section: Bone cells
    text: "{{Osteoclasts}} resorb."
""",
    )
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] == 1 and report["warnings"] == 0
    assert report["decks"][0]["id"] == "bones"
    assert report["decks"][0]["questions"] == 8
    (problem,) = report["problems"]
    assert problem["severity"] == "error"
    assert problem["line"] == line_of(path, "Osteoclasts")
    assert set(problem) == {"path", "line", "column", "severity", "message", "hint"}


def test_json_format_for_a_deck_that_does_not_load(tmp_path: Path) -> None:
    path = write(tmp_path, base=BASE.replace("term: osteoblast", "term: yes"))
    result = CliRunner().invoke(cli, ["validate", "--json", str(path)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"][0]["line"] == line_of(path, "term: yes")
    assert "read by YAML as a true/false value" in report["problems"][0]["message"]


def test_a_directory_of_decks(tmp_path: Path) -> None:
    write(tmp_path, name="a.yaml")
    write(tmp_path, base=BASE.replace("id: bones", "id: bones-two"), name="b.yaml")
    code, lines = run(str(tmp_path))
    assert code == 0
    assert [x.split(":")[0] for x in lines] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]


def test_validate_without_paths_checks_the_builtin_deck() -> None:
    code, lines = run("--strict")
    assert code == 0, "\n".join(lines)
    assert [x for x in lines if x.endswith("bone-metastasis.yaml: ok") or "yaml: ok —" in x], lines


def test_builtin_deck_lints_clean_under_strict() -> None:
    code, lines = run("--strict", str(builtin_deck_path()))
    assert problem_lines(lines, builtin_deck_path()) == [], "\n".join(lines)
    assert code == 0, "\n".join(lines)


# --- --against: ids that changed between two versions of a deck -------------------------------


def test_against_catches_a_silently_changed_id(tmp_path: Path) -> None:
    old = write(tmp_path, name="old.yaml")
    new = write(tmp_path, base=BASE.replace("id: skeleton-count", "id: bone-count"))
    assert run(str(new))[0] == 0, "without --against the rename looks fine"
    code, lines = run(str(new), "--against", str(old))
    assert code == 2
    found = problem_lines(lines, new)
    assert found == [
        f"{new}:{line_of(new, 'id: bone-count')}:9: fact 'bone-count' looks like "
        "'skeleton-count' renamed: learners lose progress on 1 question(s) — add "
        "`replaces: skeleton-count` to fact 'bone-count', or keep the old id"
    ]


WITH_IDS = "items:\n      - {id: radius, text: radius}\n      - {id: ulna, text: ulna}"
SWAPPED = "items:\n      - {id: ulna, text: ulna}\n      - {id: radius, text: radius}"
# Edits that keep every learner's progress: (old deck, new deck), clean under --strict --against.
KEPT = {
    "a rename with replaces": (
        BASE,
        BASE.replace(
            "  - id: skeleton-count\n", "  - id: bone-count\n    replaces: skeleton-count\n"
        ),
    ),
    "reordered list items that have ids": (
        BASE.replace("items: [radius, ulna]", WITH_IDS),
        BASE.replace("items: [radius, ulna]", SWAPPED),
    ),
    "rewording in place (not a move)": (
        BASE,
        BASE.replace("{{206}} bones", "{{206}} separate bones"),
    ),
}


@pytest.mark.parametrize("case", sorted(KEPT))
def test_against_accepts_an_edit_that_keeps_progress(tmp_path: Path, case: str) -> None:
    before, after = KEPT[case]
    old = write(tmp_path, base=before, name="old.yaml")
    new = write(tmp_path, base=after)
    assert run("--strict", str(new), "--against", str(old))[0] == 0


def test_against_keeps_the_oldest_id_first_on_a_second_rename(tmp_path: Path) -> None:
    """The first `replaces:` id names the Anki notes; putting a newer one first duplicates them."""
    renamed = BASE.replace(
        "  - id: skeleton-count\n", "  - id: bone-count\n    replaces: skeleton-count\n"
    )
    old = write(tmp_path, base=renamed, name="old.yaml")

    def again(replaces: str) -> Path:
        return write(
            tmp_path,
            base=BASE.replace(
                "  - id: skeleton-count\n", f"  - id: bone-tally\n    replaces: {replaces}\n"
            ),
        )

    assert (
        run("--strict", str(again("[skeleton-count, bone-count]")), "--against", str(old))[0] == 0
    )
    new = again("[bone-count, skeleton-count]")
    code, lines = run(str(new), "--against", str(old))
    assert code == 2
    assert (
        f"{new}:{line_of(new, 'replaces:')}:16: fact 'bone-tally' must list its oldest id "
        "'skeleton-count' first in `replaces:`"
    ) in "\n".join(problem_lines(lines, new))


def test_against_warns_about_a_removed_fact_at_its_old_line(tmp_path: Path) -> None:
    old = write(tmp_path, name="old.yaml")
    cut = BASE.index("  - id: skeleton-count")
    new = write(tmp_path, base=BASE[:cut])
    code, lines = run(str(new), "--against", str(old))
    assert code == 0
    assert problem_lines(lines, old) == [
        f"{old}:{line_of(old, 'id: skeleton-count')}:5: warning: fact 'skeleton-count' was "
        "removed: its 1 question(s) will be retired (their progress is kept, but they are no "
        "longer asked) — if it was renamed, add `replaces: skeleton-count` to the new fact; if "
        "it was removed on purpose, list it under the deck's `retired:`"
    ]
    assert run("--strict", str(new), "--against", str(old))[0] == 1


def test_against_catches_reordered_list_items_without_ids(tmp_path: Path) -> None:
    old = write(tmp_path, name="old.yaml")
    new = write(tmp_path, base=BASE.replace("items: [radius, ulna]", "items: [ulna, radius]"))
    code, lines = run(str(new), "--against", str(old))
    assert code == 2
    found = "\n".join(problem_lines(lines, new))
    assert "question 'bones/forearm-bones/cloze/1' now asks what 'bones/forearm-bones/cloze/2'" in (
        found
    )
    assert "give list items explicit `id:`s" in found


AS_STATEMENT = BASE.replace(
    "    kind: definition\n    topic: cells\n    section: Bone cells\n    term: osteoblast\n"
    "    definition: a cell that builds new bone\n",
    "    kind: statement\n    topic: cells\n    section: Bone cells\n"
    "    text: An osteoblast is a cell that {{builds new bone}}.\n",
).replace("    distractors: [osteoclast, chondrocyte, fibroblast]\n", "")
# Edits that lose progress, refused by --against (exit 2): (new deck, words of one output line).
CAUGHT = {
    "a cloze inserted in front": (
        BASE.replace(
            "The adult human skeleton has {{206}} bones.",
            "The {{adult}} human skeleton has {{206}} bones.",
        ),
        "'bones/skeleton-count/cloze/c1' now asks what",
    ),
    "a changed deck id": (
        BASE.replace("  id: bones\n", "  id: bones-2024\n"),
        "deck id changed from 'bones' to 'bones-2024'",
    ),
    "a changed kind": (AS_STATEMENT, "fact 'osteoblast' changed kind from definition to statement"),
}


@pytest.mark.parametrize("case", sorted(CAUGHT))
def test_against_catches_an_edit_that_loses_progress(tmp_path: Path, case: str) -> None:
    after, words = CAUGHT[case]
    old = write(tmp_path, name="old.yaml")
    new = write(tmp_path, base=after)
    code, lines = run(str(new), "--against", str(old))
    assert code == 2
    assert any(words in x for x in lines), "\n".join(lines)


def test_against_warns_about_a_misspelt_replaces(tmp_path: Path) -> None:
    old = write(tmp_path, name="old.yaml")
    new = write(
        tmp_path,
        base=BASE.replace(
            "  - id: skeleton-count\n", "  - id: bone-count\n    replaces: skeleton-cuont\n"
        ),
    )
    code, lines = run(str(new), "--against", str(old))
    assert code == 0
    text = "\n".join(lines)
    assert "fact 'bone-count' replaces 'skeleton-cuont', which the old deck does not have" in text
    assert "fact 'skeleton-count' was removed" in text


def _without_skeleton_count() -> str:
    return BASE[: BASE.index("  - id: skeleton-count\n")]


def test_against_is_clean_when_a_removed_fact_is_listed_as_retired(tmp_path: Path) -> None:
    old = write(tmp_path, name="old.yaml")
    retired = _without_skeleton_count().replace("topics:\n", "retired: [skeleton-count]\ntopics:\n")
    new = write(tmp_path, base=retired)
    code, lines = run("--strict", str(new), "--against", str(old))
    assert code == 0, "\n".join(lines)
    assert not [x for x in lines if "warning" in x or "error" in x]


@pytest.mark.parametrize(
    ("retired", "why"),
    [
        ("[skeleton-count]", "retired fact id 'skeleton-count' is a fact of this deck"),
        ("[old-count]", "retired fact id 'old-count' is renamed into fact 'skeleton-count'"),
        ("[Not A Slug]", "is not a slug"),
    ],
)
def test_a_retired_id_must_name_a_fact_that_is_gone(tmp_path: Path, retired: str, why: str) -> None:
    base = BASE.replace("topics:\n", f"retired: {retired}\ntopics:\n").replace(
        "  - id: skeleton-count\n", "  - id: skeleton-count\n    replaces: old-count\n"
    )
    code, lines = run(str(write(tmp_path, base=base)))
    assert code == 2
    assert any(why in x and ":" in x.split(why)[0] for x in lines), "\n".join(lines)


def test_lint_findings_match_the_golden_file() -> None:
    """Findings written before lint was made linear: the same, on the same lines, in order."""
    from golden_bank import GOLDEN, snapshot

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(snapshot()))
    for name, deck in golden.items():
        assert now[name]["lint"] == deck["lint"], name  # "against" too


def test_against_findings_match_the_golden_file() -> None:
    """`--against` with renamed facts: the same look-alikes as the all-pairs version found."""
    from golden_bank import GOLDEN, _against

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(_against())) == golden["against"]["lint"]


def test_near_duplicates_are_measured_only_where_they_can_be(monkeypatch: Any) -> None:
    """400 prompts with one answer, all alike in length and letters but none near another: the
    costly matcher must not run on every pair (it ran 20,000+ times; each a few ms at 2,000)."""
    import difflib
    import random

    from bonemets_quiz.bank.loading import parse_deck

    rng = random.Random(3)
    words = ["bone", "cell", "pain", "marrow", "scan", "nerve", "spine", "rib"]
    facts = "".join(
        f"  - {{id: s{i}, kind: statement, topic: t, section: S, "
        f"text: '{' '.join(rng.sample(words, len(words)))} {{{{femur}}}}'}}\n"
        for i in range(400)
    )
    text = (
        "deck: {id: big, title: Big, description: D, source: {title: S}}\n"
        f"topics: [{{id: t, title: T}}]\nfacts:\n{facts}"
    )
    deck = parse_deck(text, "big.yaml")
    questions = generate_questions(deck)
    calls = 0
    original = difflib.SequenceMatcher.ratio

    def counting(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal calls
        calls += 1
        return original(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counting)
    lint_deck(deck, questions)
    assert calls <= len(questions), f"{calls} full comparisons for {len(questions)} questions"


def test_against_measures_few_look_alikes_when_many_facts_are_renamed(monkeypatch: Any) -> None:
    """150 facts renamed without `replaces:`: each found at once, not matched against all 150
    added facts with the costly matcher (22,500 runs: hours for a large deck)."""
    import difflib

    from bonemets_quiz.bank.lint.against import check_against
    from bonemets_quiz.bank.loading import parse_deck

    def deck(suffix: str) -> str:
        facts = "".join(
            f"  - {{id: f{i}{suffix}, kind: definition, topic: t, section: S, "
            f"term: 'bone cell {i}', definition: 'a bone cell of kind {i} in the marrow'}}\n"
            for i in range(150)
        )
        return (
            "deck: {id: big, title: Big, description: D, source: {title: S}}\n"
            f"topics: [{{id: t, title: T}}]\nfacts:\n{facts}"
        )

    old, new = parse_deck(deck(""), "old.yaml"), parse_deck(deck("-new"), "new.yaml")
    calls = 0
    original = difflib.SequenceMatcher.ratio

    def counting(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal calls
        calls += 1
        return original(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counting)
    problems = check_against(old, new, generate_questions(old), generate_questions(new))
    renamed = [p for p in problems if "renamed" in p.message]
    assert len(renamed) == 150 and "'f7-new' looks like 'f7' renamed" in renamed[7].message
    assert calls <= 2 * 150, f"{calls} full comparisons for 150 renamed facts"
