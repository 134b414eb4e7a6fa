"""The class report (``class_report``, ``bonemets-quiz report``): item analysis of many learners'
review logs, checked on a simulated class whose abilities and difficulties are known."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from class_sim import NOW, START, SimClass, simulate
from click.testing import CliRunner

from bonemets_quiz import class_report
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.insight.shape import ClassReport

WHEN = NOW.isoformat()


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy)


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> SimClass:
    return simulate(tmp_path_factory.mktemp("class"))


@pytest.fixture(scope="module")
def report(sim: SimClass) -> ClassReport:
    return class_report(sim.logs, sim.decks, now=NOW)


@pytest.fixture()
def small(tmp_path: Path) -> SimClass:
    return simulate(tmp_path / "small", learners=6, facts=4, reviews=40)


def by_id(report: ClassReport) -> dict[str, dict]:  # type: ignore[type-arg]
    return {q["question_id"]: dict(q) for q in report["questions"]}


def rewrite(path: Path, target: Path, change: dict[str, str]) -> int:
    """Copy a log with question ids replaced by prefix (``old prefix → new prefix``); how many
    reviews were changed."""
    lines = path.read_bytes().split(b"\n")
    out, changed = [lines[0]], 0
    for line in lines[1:]:
        if not line:
            continue
        record = orjson.loads(line)
        for old, new in change.items():
            if record["question_id"].startswith(old):
                record["question_id"] = new + record["question_id"][len(old) :]
                changed += 1
        out.append(orjson.dumps(record))
    target.write_bytes(b"\n".join(out) + b"\n")
    return changed


# ---------------------------------------------------------------------------- the simulated class


def rewritten(
    logs: list[Path], folder: Path, change: Callable[[dict[str, Any]], None]
) -> list[Path]:
    """Copies of ``logs`` in ``folder``, each review passed through ``change`` (the header kept)."""
    copies = []
    for log in logs:
        header, *lines = log.read_bytes().split(b"\n")
        out = [header]
        for line in filter(None, lines):
            record = orjson.loads(line)
            change(record)
            out.append(orjson.dumps(record))
        copy = folder / log.name
        copy.write_bytes(b"\n".join(out) + b"\n")
        copies.append(copy)
    return copies


def test_facility_ranks_the_honest_questions_as_their_known_difficulty(
    sim: SimClass, report: ClassReport
) -> None:
    """Spearman ≥ 0.8 between facility and known difficulty, over the HONEST questions (the two
    broken ones have no difficulty that facility could follow)."""
    stats = by_id(report)
    ids = list(sim.difficulties)
    rho = spearman([stats[i]["facility"] for i in ids], [-sim.difficulties[i] for i in ids])
    print(f"Spearman(facility, -difficulty) over {len(ids)} honest questions: {rho:.3f}")
    assert rho >= 0.8


def test_both_broken_questions_are_flagged_broken_with_the_right_reason(
    sim: SimClass, report: ClassReport
) -> None:
    broken = {(f["question_id"], f["kind"]) for f in report["flags"] if f["severity"] == "broken"}
    assert broken == {
        (sim.wrong_key, "negative-discrimination"),
        (sim.given_away, "given-away"),
    }
    wrong_key = next(f for f in report["flags"] if f["question_id"] == sim.wrong_key)
    assert "key is likely wrong" in wrong_key["reason"]
    assert wrong_key["option"] in next(q.options for q in sim.questions if q.id == sim.wrong_key)


def test_the_wrong_key_flag_names_the_truly_right_answer(
    sim: SimClass, report: ClassReport
) -> None:
    """The built-in deck's key is right (the spine); the class studies a copy whose key is a
    distractor, so strong learners choose the built-in key and the flag names it, not a
    medically wrong option."""
    from bonemets_quiz.bank.generate import generate_bank

    truth = next(q for q in generate_bank(load_decks([]), 0) if q.id == sim.wrong_key)
    studied = next(q for q in sim.questions if q.id == sim.wrong_key)
    right = (truth.options or ())[truth.correct_option or 0]
    assert right == "the spine" and studied.options == truth.options
    assert studied.correct_option != truth.correct_option  # the studied deck's key is wrong
    flag = next(f for f in report["flags"] if f["question_id"] == sim.wrong_key)
    assert flag["option"] == right
    assert flag["reason"].startswith("Strong learners chose “the spine” over the key")


def test_the_class_figures_rest_on_every_learner(sim: SimClass, report: ClassReport) -> None:
    counts = report["counts"]
    assert counts["logs"] == counts["learners"] == 60
    assert counts["reviews"] == sum(len(p.read_text().splitlines()) - 1 for p in sim.logs)
    seen = [q for q in report["questions"] if q["learners"]]
    assert {q["question_id"] for q in seen} == {q.id for q in sim.questions}
    for q in seen:
        assert not q["hidden"] and q["learners"] == 60
        assert q["difficulty"] is not None and q["stability"] is not None
        assert q["difficulty"]["p25"] <= q["difficulty"]["median"] <= q["difficulty"]["p75"]
        assert -1 <= q["discrimination"] <= 1
    topics = {t["topic"]: t for t in report["topics"]}
    assert 0 < topics["symptoms"]["recall"] <= 1
    assert all(0 < p["recall"] <= 1 for p in report["retention_over_time"][0]["points"][-3:])


def test_multiple_choice_counts_every_chosen_option(sim: SimClass, report: ClassReport) -> None:
    stats = by_id(report)[sim.wrong_key]
    options = stats["options"]
    assert [o["text"] for o in options] == list(
        next(q.options for q in sim.questions if q.id == sim.wrong_key) or ()
    )
    assert sum(o["chosen"] for o in options) == stats["reviews"]
    assert sum(o["correct"] for o in options) == 1


# ---------------------------------------------------------------------------- counting


def test_the_same_log_twice_is_one_learner_named_as_duplicate(
    small: SimClass, tmp_path: Path
) -> None:
    twin = tmp_path / "small" / "zz-copy.jsonl"
    shutil.copy(small.logs[0], twin)
    once = class_report(small.logs, small.decks, now=NOW)
    twice = class_report([*small.logs, twin], small.decks, now=NOW)
    assert twice["counts"]["duplicate_logs"] == ["zz-copy"]
    assert twice["counts"]["logs"] == 7 and twice["counts"]["learners"] == 6
    assert twice["questions"] == once["questions"]


def test_a_folder_of_logs_reads_every_log(small: SimClass) -> None:
    folder = class_report(small.logs[0].parent, small.decks, now=NOW)
    assert folder["counts"]["learners"] == 6


def test_reviews_of_other_decks_are_counted_and_left_out(small: SimClass, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    changed = rewrite(small.logs[0], other, {"bone-metastasis/": "another-deck/"})
    got = class_report([*small.logs[1:], other], small.decks, now=NOW)
    assert got["counts"]["other_deck_reviews"] == changed > 0
    assert got["counts"]["reviews"] == sum(q["reviews"] for q in got["questions"])


def test_renamed_questions_count_under_their_successor_and_retired_ones_are_counted(
    small: SimClass, tmp_path: Path
) -> None:
    deck = tmp_path / "deck.yaml"
    text = builtin_deck_path().read_text(encoding="utf-8")
    text = text.replace(
        "  - id: cord-compression-emergency\n",
        "  - id: cord-compression-emergency\n    replaces: [old-cord]\n",
    )
    deck.write_text(text, encoding="utf-8")
    decks = load_decks([deck])
    logs = []
    renamed = retired = 0
    for n, log in enumerate(small.logs):
        target = tmp_path / log.name
        if n == 0:
            renamed = rewrite(
                log,
                target,
                {"bone-metastasis/cord-compression-emergency/": "bone-metastasis/old-cord/"},
            )
        elif n == 1:
            retired = rewrite(
                log, target, {"bone-metastasis/bone-pain-first-symptom/": "bone-metastasis/gone/"}
            )
        else:
            shutil.copy(log, target)
        logs.append(target)
    got = class_report(logs, decks, now=NOW)
    plain = class_report(small.logs, small.decks, now=NOW)
    assert renamed > 0 and retired > 0
    assert got["counts"]["renamed_reviews"] == renamed
    assert got["counts"]["retired_reviews"] == retired
    cord = "bone-metastasis/cord-compression-emergency/cloze/c1"
    assert by_id(got)[cord]["learners"] == by_id(plain)[cord]["learners"]
    assert by_id(got)[cord]["reviews"] == by_id(plain)[cord]["reviews"]


# ---------------------------------------------------------------------------- privacy


def test_figures_on_fewer_learners_than_the_minimum_are_hidden(small: SimClass) -> None:
    shown = class_report(small.logs, small.decks, now=NOW, min_learners=5)
    hidden = class_report(small.logs[:4], small.decks, now=NOW, min_learners=5)
    seen = [q for q in hidden["questions"] if q["learners"]]
    assert seen and all(q["hidden"] for q in seen)
    for q in seen:
        assert q["facility"] is q["discrimination"] is q["difficulty"] is q["options"] is None
        assert q["reviews"] > 0  # how much a figure would rest on is always said
    assert all(t["recall"] is None for t in hidden["topics"])
    assert all(p["recall"] is None for t in hidden["retention_over_time"] for p in t["points"])
    assert hidden["flags"] == []
    assert any(not q["hidden"] and q["facility"] is not None for q in shown["questions"])


def test_typed_answers_are_shown_only_when_asked(small: SimClass) -> None:
    without = class_report(small.logs, small.decks, now=NOW, min_learners=1)
    with_answers = class_report(small.logs, small.decks, now=NOW, min_learners=1, show_answers=True)
    typed = [q for q in with_answers["questions"] if q["wrong_answer_count"]]
    assert typed
    assert all(q["wrong_answers"] is None for q in without["questions"])
    texts = {w["text"] for q in typed for w in q["wrong_answers"] or []}
    assert texts <= {"no idea", "bone"} and texts
    dumped = json.dumps(without)
    assert "no idea" not in dumped
    assert [q["wrong_answer_count"] for q in without["questions"]] == [
        q["wrong_answer_count"] for q in with_answers["questions"]
    ]


def test_a_synonym_candidate_names_the_answer_only_when_asked(tmp_path: Path) -> None:
    sim = simulate(tmp_path / "syn", learners=6, facts=4, reviews=40)
    spine = "bone-metastasis/spine-most-common-site/cloze/c1"

    def change(record: dict[str, Any]) -> None:
        if record["question_id"] == spine and record["verdict"] == "wrong":
            record["answer"] = "Back bone"

    logs = rewritten(sim.logs, tmp_path, change)
    plain = class_report(logs, sim.decks, now=NOW)
    shown = class_report(logs, sim.decks, now=NOW, show_answers=True)
    flag = [f for f in plain["flags"] if f["kind"] == "synonym-candidate"]
    named = [f for f in shown["flags"] if f["kind"] == "synonym-candidate"]
    assert [f["question_id"] for f in flag] == [spine] == [f["question_id"] for f in named]
    assert flag[0]["option"] is None and "ack bone" not in flag[0]["reason"]
    assert named[0]["option"] == "Back bone" and "“Back bone”" in named[0]["reason"]


def test_learners_are_named_by_the_names_map(small: SimClass, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    rows = [f"{p.name},pupil-{n}" for n, p in enumerate(small.logs)]
    twin = tmp_path / "again.jsonl"
    shutil.copy(small.logs[0], twin)
    names.write_text("file,pseudonym\n" + "\n".join([*rows, "again.jsonl,pupil-x"]) + "\n")
    got = class_report([*small.logs, twin], small.decks, now=NOW, names=names)
    assert got["counts"]["duplicate_logs"] == ["pupil-x"]
    assert "learner-000" not in json.dumps(got)


# ---------------------------------------------------------------------------- the command


def test_report_command_writes_the_json_report(small: SimClass, tmp_path: Path) -> None:
    out = tmp_path / "class.json"
    result = CliRunner().invoke(
        cli,
        ["report", *map(str, small.logs), "--deck", str(small.deck), "--format", "json",
         "-o", str(out), "--now", WHEN],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "6 learners" in result.output
    written = json.loads(out.read_text())
    assert written == json.loads(json.dumps(class_report(small.logs, small.decks, now=NOW)))


def test_report_command_refuses_to_write_over_a_log(small: SimClass) -> None:
    before = small.logs[0].read_bytes()
    result = CliRunner().invoke(
        cli, ["report", str(small.logs[0].parent), "--json", "-o", str(small.logs[0])]
    )
    assert result.exit_code == 2
    assert small.logs[0].read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b'{"format": "bonemets-quiz-review-log", "version": 1, "exported_at": "x', "truncated"),
        (b"card_id,review_time,review_rating,review_state,review_duration\n1,2,3,4,5\n", "CSV"),
        (b"\x00\xff\xfe junk", "binary"),
        ("LINE2_RATING", "unknown rating 7"),
        ("LINE2_FUTURE", "in the future"),
        (b'{"format": "bonemets-quiz-review-log", "version": 99, "exported_at": '
         b'"2026-01-01T00:00:00Z", "decks": []}\n', "newer"),
    ],
)  # fmt: skip
def test_a_hostile_log_is_one_located_line_and_exit_2(
    small: SimClass, tmp_path: Path, content: bytes | str, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    if isinstance(content, str):
        lines = small.logs[0].read_bytes().split(b"\n")
        record = orjson.loads(lines[1])
        if content == "LINE2_RATING":
            record["rating"] = 7
        else:
            record["reviewed_at"] = (NOW + timedelta(days=30)).isoformat()
        content = b"\n".join([lines[0], orjson.dumps(record), *lines[2:]])
    bad.write_bytes(content)
    out = tmp_path / "class.json"
    result = CliRunner().invoke(
        cli, ["report", str(small.logs[1]), str(bad), "--json", "-o", str(out), "--now", WHEN]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert str(bad) in lines[0] and message in lines[0]
    if "rating" in message or "future" in message:
        assert f"{bad}:2:" in lines[0]
    assert not out.exists()


def test_a_bad_names_map_is_one_located_line(small: SimClass, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("a.jsonl,one,two\n")
    result = CliRunner().invoke(
        cli, ["report", str(small.logs[0]), "--json", "--names", str(names), "--now", WHEN]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {names}:1:1: expected 2 columns, found 3 — write one `file,pseudonym` pair "
        "per line"
    ]


def test_a_log_missing_from_the_names_map_is_refused(small: SimClass, tmp_path: Path) -> None:
    names = tmp_path / "names.json"
    names.write_text(json.dumps({small.logs[0].name: "pupil"}))
    result = CliRunner().invoke(
        cli,
        ["report", *map(str, small.logs[:2]), "--json", "--names", str(names), "--now", WHEN],
    )
    assert result.exit_code == 2
    assert "not in the names map" in result.output and len(result.output.splitlines()) == 1


def test_fit_parameters_needs_one_deck_file(small: SimClass) -> None:
    result = CliRunner().invoke(
        cli, ["report", str(small.logs[0]), "--json", "--fit-parameters", "--now", WHEN]
    )
    assert result.exit_code == 2
    assert "one --deck" in result.output


def test_the_simulation_starts_where_it_says(small: SimClass) -> None:
    first = orjson.loads(small.logs[0].read_bytes().split(b"\n")[1])
    assert first["reviewed_at"] >= START.isoformat().replace("+00:00", "")


def test_a_log_the_lean_reader_declines_is_read_strictly_to_the_same_figures(
    small: SimClass, tmp_path: Path
) -> None:
    """Times with "+00:00" are valid (``read_log`` reads them) but not as our exporter writes
    them: the report falls back to ``read_log`` and finds the same figures."""
    lines = small.logs[0].read_bytes().split(b"\n")
    out = [lines[0]]
    for line in lines[1:]:
        if line:
            record = orjson.loads(line)
            record["reviewed_at"] = record["reviewed_at"].replace("Z", "+00:00")
            out.append(orjson.dumps(record))
    other = tmp_path / small.logs[0].name
    other.write_bytes(b"\n".join(out) + b"\n")
    lean = class_report(small.logs, small.decks, now=NOW)
    strict = class_report([other, *small.logs[1:]], small.decks, now=NOW)
    assert strict["questions"] == lean["questions"] and strict["facts"] == lean["facts"]


def test_class_records_are_the_reports_reviews_for_the_cohort_fit(
    small: SimClass, tmp_path: Path
) -> None:
    """What ``--fit-parameters`` fits on: each review once, the duplicate log left out, other
    decks' reviews left out, renamed ids under their successor."""
    from bonemets_quiz.bank.generate import generate_bank
    from bonemets_quiz.insight.records import class_records

    twin = tmp_path / "twin.jsonl"
    shutil.copy(small.logs[0], twin)
    other = tmp_path / "other.jsonl"
    rewrite(small.logs[1], other, {"bone-metastasis/": "another-deck/"})
    logs = [*small.logs[2:], small.logs[0], twin, other]
    by_learner = class_records(logs, generate_bank(small.decks, 0), now=NOW)
    report = class_report(logs, small.decks, now=NOW)
    records = [r for learner in by_learner.values() for r in learner]
    assert len(records) == report["counts"]["reviews"]
    assert sorted(by_learner) == sorted(p.stem for p in [*small.logs[2:], small.logs[0]])
    assert {r.question_id.split("/")[0] for r in records} == {"bone-metastasis"}


def test_an_option_nobody_chose_is_an_unused_distractor(sim: SimClass, tmp_path: Path) -> None:
    stats = by_id(class_report(sim.logs, sim.decks, now=NOW))
    qid = "bone-metastasis/bone-pain-first-symptom/multiple_choice/q-first-symptom"
    question = next(q for q in sim.questions if q.id == qid)
    options = question.options or ()
    unused = next(t for n, t in enumerate(options) if n != question.correct_option)
    assert next(o["chosen"] for o in stats[qid]["options"] if o["text"] == unused) > 0

    def change(record: dict[str, Any]) -> None:
        if record["question_id"] == qid and record["answer"] == unused:
            record["answer"] = options[question.correct_option or 0]

    logs = rewritten(sim.logs, tmp_path, change)
    flags = class_report(logs, sim.decks, now=NOW)["flags"]
    found = [f for f in flags if f["kind"] == "unused-distractor"]
    assert [(f["question_id"], f["option"], f["severity"]) for f in found] == [
        (qid, unused, "review")
    ]
    assert not [f for f in class_report(sim.logs, sim.decks, now=NOW)["flags"]
                if f["kind"] == "unused-distractor"]  # fmt: skip


def test_the_given_away_question_names_its_cue_and_is_too_easy(
    sim: SimClass, report: ClassReport
) -> None:
    mine = {f["kind"]: f for f in report["flags"] if f["question_id"] == sim.given_away}
    assert set(mine) >= {"given-away", "too-easy"}
    assert mine["too-easy"]["severity"] == "info"
    assert "writes its answer in its prompt" in mine["given-away"]["reason"]


def test_recall_today_is_py_fsrs_retrievability_of_each_last_review(small: SimClass) -> None:
    """One learner: a fact's recall is the mean, over its questions they saw, of py-fsrs's
    retrievability at ``now`` of the state after their last review."""
    from datetime import datetime

    import fsrs

    log = small.logs[0]
    last: dict[str, dict] = {}  # type: ignore[type-arg]
    for line in log.read_bytes().split(b"\n")[1:]:
        if line:
            record = orjson.loads(line)
            if record["reviewed_at"] >= last.get(record["question_id"], {}).get("reviewed_at", ""):
                last[record["question_id"]] = record
    scheduler = fsrs.Scheduler()
    by_fact: dict[str, list[float]] = {}
    for qid, record in last.items():
        card = fsrs.Card()
        card.last_review = datetime.fromisoformat(record["reviewed_at"])
        card.stability = record["after"]["stability"]
        by_fact.setdefault(qid.split("/")[1], []).append(
            scheduler.get_card_retrievability(card, NOW)
        )
    got = class_report([log], small.decks, now=NOW, min_learners=1)
    facts = {f["fact_id"]: f["recall"] for f in got["facts"] if f["learners"]}
    assert facts.keys() == by_fact.keys()
    for fact, values in by_fact.items():
        assert facts[fact] == pytest.approx(sum(values) / len(values), abs=1e-4)
    assert got["retention_over_time"][0]["points"][-1]["day"] == NOW.date().isoformat()


def test_discrimination_ranks_learners_by_the_other_questions_only() -> None:
    """Upper-minus-lower groups by the rest score: with the item itself counted, every learner
    here would score the same; without it, those right on X are those wrong on everything else."""
    from bonemets_quiz.insight.discrimination import discrimination, groups, totals

    x = {"a": True, "b": True, "c": False, "d": False}
    y = {"a": False, "b": False, "c": True, "d": True}
    sums = totals([x, y])
    split = groups(x, sums)
    assert split is not None and sorted(split.upper) == ["d"] and sorted(split.lower) == ["a"]
    assert discrimination(x, split) == -1.0
    assert discrimination(y, groups(y, sums)) == -1.0
    assert groups({"a": True}, totals([{"a": True}])) is None  # no rest score, no groups


def test_a_typed_question_strong_learners_miss_is_flagged_broken(
    sim: SimClass, tmp_path: Path
) -> None:
    """Every answer to an honest typed question marked the other way round: the strong learners
    now miss it, and it is broken on discrimination alone (no options to point at)."""
    qid = "bone-metastasis/primary-tumour/reversed"
    assert qid in sim.difficulties

    def change(record: dict[str, Any]) -> None:
        if record["question_id"] == qid:
            record["rating"] = 1 if record["rating"] > 1 else 3

    logs = rewritten(sim.logs, tmp_path, change)
    got = class_report(logs, sim.decks, now=NOW)
    mine = [f for f in got["flags"] if f["question_id"] == qid]
    assert [(f["kind"], f["severity"], f["option"]) for f in mine] == [
        ("negative-discrimination", "broken", None)
    ]
    assert by_id(got)[qid]["discrimination"] <= -0.2


def test_report_command_writes_the_html_page(sim: SimClass, tmp_path: Path) -> None:
    out = tmp_path / "class.html"
    logs = str(sim.logs[0].parent)
    result = CliRunner().invoke(
        cli, ["report", logs, "--deck", str(sim.deck), "-o", str(out), "--now", WHEN]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html>")
    assert "the key is likely wrong" in page and "the answer is given away" in page


def test_fit_parameters_writes_the_cohort_parameters_into_the_deck(
    sim: SimClass, tmp_path: Path
) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_bytes(sim.deck.read_bytes())
    out = tmp_path / "class.json"
    result = CliRunner().invoke(
        cli,
        ["report", str(sim.logs[0].parent), "--deck", str(deck), "--fit-parameters",
         "--json", "-o", str(out), "--now", WHEN],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote cohort parameters" in result.output and "60 learners" in result.output
    assert load_decks([deck])[0].parameters is not None
    assert json.loads(out.read_text())["counts"]["learners"] == 60
