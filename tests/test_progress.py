"""Progress travels: the review log (export, merge-import, replay) and what the learner answered."""

from __future__ import annotations

import io
import itertools
import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest_study import DECK, NOW
from deck_files import write_deck

from bonemets_quiz.bank.cache import build_bank
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.model import Question
from bonemets_quiz.export.anki_ids import guid_key
from bonemets_quiz.progress.logs import export_log, import_log, replay
from bonemets_quiz.progress.review_log import LogError, read_log
from bonemets_quiz.study.scheduling import Rating, Settings
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store import schema as store_schema
from bonemets_quiz.study.store.store import Store

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = START + timedelta(days=400)  # "now" for exports and imports
RATINGS = [Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY, Rating.GOOD]


def study(store: Store, questions: list[Question], days: list[int], seed: int) -> None:
    """Study on each of ``days`` (offsets from START), a fresh session with its own seed a day."""
    for day in days:
        now = START + timedelta(days=day, minutes=seed % 50)
        s = Session(store, questions, UTC, now, seed=seed * 1000 + day)
        for n in range(12):
            q = s.next(now)
            if q is None:
                break
            s.answer(q, RATINGS[(n + day + seed) % len(RATINGS)], now, "right", 2500, f"a{n}")
            now += timedelta(minutes=3)


def opened(path: Path, questions: list[Question]) -> Store:
    store = Store.open(path)
    store.sync(questions, START)
    return store


def content(store: Store) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    """What a store knows, without row ids: its reviews in time order and its cards."""
    rows = store._rows(
        "SELECT question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, "
        "status_before, status_after, due_after, before FROM reviews "
        "ORDER BY question_id, reviewed_at, rating"
    )
    return rows, dict(store.cards())


def exported(store: Store, questions: list[Question], path: Path) -> Path:
    export_log(store, questions, path, now=START + timedelta(days=30))
    return path


# ---------------------------------------------------------------------------- point 2: answers


def test_a_review_saves_the_answer_given_and_the_verdict(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "s.sqlite3", questions) as store:
        s = Session(store, questions, UTC, START, seed=7)
        q = s.next(START)
        assert q is not None
        s.answer(q, Rating.GOOD, START, "almost", 1200, "bone metz")
        row = store._rows("SELECT answer, verdict, duration_ms, seed FROM reviews")[0]
    assert row == ("bone metz", "almost", 1200, 7)


def test_the_terminal_saves_what_was_typed_or_chosen(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, DECK)
    path = tmp_path / "p.sqlite3"
    env = {"BONEMETS_QUIZ_NOW": NOW.isoformat(), "BONEMETS_QUIZ_TZ": "UTC", "COLUMNS": "100"}
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--store", str(path), "study", "--deck", str(deck), "--new", "4", "--seed", "3"],
        input="1\n3\n" * 8,
        env={**env, "XDG_CACHE_HOME": str(tmp_path / "c")},
    )
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT q.snapshot, r.answer, r.verdict FROM reviews r JOIN questions q ON q.id = "
        "r.question_id"
    ).fetchall()
    assert rows
    for snapshot, answer, verdict in rows:
        options = json.loads(snapshot)["options"]
        if verdict == "revealed":
            assert answer == ""
        elif options:  # a choice: the option chosen ("1" is the first option), not the key typed
            assert answer == options[0]
        else:
            assert answer == "1"


def test_a_schema_1_store_migrates_with_its_reviews_intact(
    tmp_path: Path, questions: list[Question], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:1])
        with opened(path, questions) as store:
            for n, q in enumerate(questions[:3]):  # schema 1's columns, as its record wrote them
                store._write(
                    "INSERT INTO reviews (question_id, reviewed_at, rating, verdict, duration_ms,"
                    " status_before, status_after, due_after, before) VALUES (?, ?, 3, 'right',"
                    " 900, 'new', 'learning', ?, NULL)",
                    (q.id, 10**15 + n, 10**15 + 600_000_000),
                )
            before = store._rows("SELECT * FROM reviews ORDER BY id")
            cards = store.cards()
    with Store.open(path) as store:
        after = store._rows("SELECT * FROM reviews ORDER BY id")
        assert store.cards() == cards
    assert before and [(*row, "", None) for row in before] == after
    assert (tmp_path / "old.sqlite3.schema1.bak").exists()


# ---------------------------------------------------------------------------- replay


def test_after_study_sessions_the_stored_cards_equal_a_replay_of_the_log(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 1, 3, 7, 8], seed=5)  # a different fuzz seed every day
        assert store.reviews_total() > 20
        assert replay(store, Settings()) == store.cards()
        wrong = replay(store, Settings(desired_retention=0.8))
        assert wrong != store.cards()  # the comparison can fail


def test_replay_with_write_restores_a_damaged_card(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 2], seed=2)
        cards = store.cards()
        qid = next(iter(cards))
        store._write("UPDATE cards SET stability = 999 WHERE question_id = ?", (qid,))
        assert store.cards() != cards
        replay(store, Settings(), [qid], write=True)
        assert store.cards() == cards


# ---------------------------------------------------------------------------- export


def test_the_jsonl_log_has_a_versioned_header_and_every_review(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 1], seed=1)
        total, cards = store.reviews_total(), store.cards()
        out = io.StringIO()
        assert export_log(store, questions, out, now=START + timedelta(days=2)) == total
    lines = out.getvalue().splitlines()
    header = json.loads(lines[0])
    assert header == {
        "format": "bonemets-quiz-review-log",
        "version": 1,
        "exported_at": "2026-01-07T09:00:00.000000Z",
        "decks": ["mini"],
    }
    records = [json.loads(line) for line in lines[1:]]
    assert len(records) == total
    first = records[0]
    assert set(first) == {
        "question_id", "guid", "reviewed_at", "rating", "duration_ms", "answer", "verdict",
        "seed", "before", "after",
    }  # fmt: skip
    assert first["before"]["status"] == "new" and first["answer"].startswith("a")
    assert first["reviewed_at"].endswith("Z") and len(first["reviewed_at"]) == 27
    by_question: dict[str, list[dict]] = {}
    for record in records:
        by_question.setdefault(record["question_id"], []).append(record)
    for qid, history in by_question.items():
        for earlier, later in itertools.pairwise(history):
            assert earlier["after"] == later["before"]  # the states chain
        assert history[-1]["after"]["reps"] == cards[qid].reps == len(history)


def test_the_guid_is_the_apkg_guid_of_the_oldest_id(tmp_path: Path) -> None:
    import genanki

    renamed = DECK.replace("  - id: rare\n", "  - id: rarity\n    replaces: [rare]\n")
    old = list(build_bank([write_deck(tmp_path, DECK, "a.yaml")], 0).questions)
    new = list(build_bank([write_deck(tmp_path, renamed, "b.yaml")], 0).questions)
    with opened(tmp_path / "s.sqlite3", old) as store:
        study(store, old, list(range(6)), seed=1)
        store.sync(new, START + timedelta(days=9))
        out = io.StringIO()
        export_log(store, new, out, now=LATER)
    records = [json.loads(line) for line in out.getvalue().splitlines()[1:]]
    moved = [r for r in records if "/rarity/" in r["question_id"]]
    assert moved, "the renamed question's history moved to its new id"
    by_id = {q.id: q for q in new}
    for record in records:
        assert record["guid"] == genanki.guid_for(*guid_key(by_id[record["question_id"]]))
    assert all(guid_key(by_id[r["question_id"]])[1].split("/")[1] == "rare" for r in moved)


def test_the_csv_log_has_the_fsrs_revlog_layout(tmp_path: Path, questions: list[Question]) -> None:
    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 1], seed=1)
        out = io.StringIO()
        export_log(store, questions, out, "csv", now=LATER)
        first = store._rows("SELECT reviewed_at FROM reviews ORDER BY question_id, reviewed_at")
    lines = out.getvalue().splitlines()
    assert lines[0] == "card_id,review_time,review_rating,review_state,review_duration"
    rows = [line.split(",") for line in lines[1:]]
    assert rows[0][3] == "0"  # the state BEFORE: new
    assert {r[3] for r in rows} <= {"0", "1", "2", "3"} and "1" in {r[3] for r in rows}
    assert int(rows[0][1]) == first[0][0] // 1000 and rows[0][4] == "2500"
    assert len({r[0] for r in rows}) == len({json.dumps(r[0]) for r in rows})


# ---------------------------------------------------------------------------- merge


def test_two_machines_merge_in_either_order_to_the_same_result(
    tmp_path: Path, questions: list[Question]
) -> None:
    with (
        opened(tmp_path / "a.sqlite3", questions) as a,
        opened(tmp_path / "b.sqlite3", questions) as b,
    ):
        study(a, questions, [0, 2, 4, 6], seed=1)
        study(b, questions, [1, 3, 5, 7], seed=2)
        log_a, log_b = (
            exported(a, questions, tmp_path / "a.jsonl"),
            exported(b, questions, tmp_path / "b.jsonl"),
        )
        total = a.reviews_total() + b.reviews_total()
        summary = import_log(a, questions, log_b, Settings(), now=LATER)
        assert summary.added == b.reviews_total() and summary.duplicates == 0
        import_log(b, questions, log_a, Settings(), now=LATER)
        assert content(a) == content(b)
        assert a.reviews_total() == total
        assert replay(a, Settings()) == a.cards()  # the merged states are a replay
    with (
        opened(tmp_path / "x.sqlite3", questions) as x,
        opened(tmp_path / "y.sqlite3", questions) as y,
    ):
        import_log(x, questions, [log_a, log_b], Settings(), now=LATER)
        import_log(y, questions, log_b, Settings(), now=LATER)
        import_log(y, questions, log_a, Settings(), now=LATER)
        assert content(x) == content(y) == content(Store.open(tmp_path / "a.sqlite3"))


def test_importing_the_same_log_twice_changes_nothing(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "a.sqlite3", questions) as a:
        study(a, questions, [0, 1, 2], seed=3)
        log = exported(a, questions, tmp_path / "a.jsonl")
    with opened(tmp_path / "b.sqlite3", questions) as b:
        first = import_log(b, questions, log, Settings(), now=LATER)
        once = content(b)
        again = import_log(b, questions, log, Settings(), now=LATER)
        assert content(b) == once
    assert first.added == first.reviews > 0 and first.recomputed > 0
    assert (again.added, again.duplicates, again.recomputed) == (0, first.reviews, 0)


def test_imported_reviews_of_a_renamed_question_follow_replaces(tmp_path: Path) -> None:
    renamed = DECK.replace("  - id: rare\n", "  - id: rarity\n    replaces: [rare]\n")
    old = list(build_bank([write_deck(tmp_path, DECK, "a.yaml")], 0).questions)
    new = list(build_bank([write_deck(tmp_path, renamed, "b.yaml")], 0).questions)
    with opened(tmp_path / "a.sqlite3", old) as a:
        study(a, old, list(range(6)), seed=1)
        log = exported(a, old, tmp_path / "a.jsonl")
        rare = {qid for (qid,) in a._rows("SELECT question_id FROM reviews") if "/rare/" in qid}
    assert rare
    with opened(tmp_path / "b.sqlite3", new) as b:
        summary = import_log(b, new, log, Settings(), now=LATER)
        ids = {str(qid) for (qid,) in b._rows("SELECT DISTINCT question_id FROM reviews")}
    assert summary.retired == 0
    assert not any("/rare/" in qid for qid in ids) and any("/rarity/" in qid for qid in ids)


def test_reviews_of_questions_the_bank_no_longer_has_are_kept_as_retired(
    tmp_path: Path, questions: list[Question]
) -> None:
    with opened(tmp_path / "a.sqlite3", questions) as a:
        study(a, questions, [0, 1], seed=1)
        log = exported(a, questions, tmp_path / "a.jsonl")
        total = a.reviews_total()
    fewer = [q for q in questions if "/rare/" not in q.id]
    with opened(tmp_path / "b.sqlite3", fewer) as b:
        summary = import_log(b, fewer, log, Settings(), now=LATER)
        assert b.reviews_total() == total
        assert summary.retired == sum(
            1 for line in log.read_text().splitlines() if "/rare/" in line
        )
        assert summary.retired > 0


def test_a_review_of_a_question_never_known_is_kept_under_its_id(
    tmp_path: Path, questions: list[Question]
) -> None:
    line = json.dumps(
        {"question_id": "other/ghost/basic", "reviewed_at": "2026-01-05T09:00:00.000000Z",
         "rating": 3, "before": None, "after": None}
    )  # fmt: skip
    log = tmp_path / "ghost.jsonl"
    log.write_text(_header() + line + "\n")
    with opened(tmp_path / "b.sqlite3", questions) as b:
        summary = import_log(b, questions, log, Settings(), now=LATER)
        assert (summary.added, summary.retired) == (1, 1)
        assert b.card("other/ghost/basic").reps == 1
        assert "other/ghost/basic" not in b.questions()
        out = io.StringIO()
        export_log(b, questions, out, now=LATER)
    assert json.loads(out.getvalue().splitlines()[1])["question_id"] == "other/ghost/basic"


def _header(version: int = 1) -> str:
    return (
        json.dumps(
            {
                "format": "bonemets-quiz-review-log",
                "version": version,
                "exported_at": "2026-01-05T09:00:00Z",
                "decks": ["mini"],
            }
        )
        + "\n"
    )


# ---------------------------------------------------------------------------- hostile logs

GOOD = json.dumps(
    {
        "question_id": "mini/rare/cloze/c1",
        "reviewed_at": "2026-01-05T09:00:00.000000Z",
        "rating": 3,
        "duration_ms": 1000,
    }
)


def _line(**fields: object) -> str:
    return json.dumps({**json.loads(GOOD), **fields}) + "\n"


HOSTILE: dict[str, tuple[bytes, int, str]] = {
    "zero-byte": (b"", 1, "empty file"),
    "truncated": ((_header() + GOOD + "\n" + GOOD[:30]).encode(), 3, "cut short"),
    "binary": (b"SQLite format 3\x00\xff\xfe" + bytes(range(256)), 1, "binary"),
    "not-a-log-json": (b'{"name": "package", "version": 1}\n', 1, "not a bonemets-quiz review"),
    "a-json-array": (b"[1, 2, 3]\n", 1, "not a bonemets-quiz review"),
    "plain-text": (b"hello\nworld\n", 1, "not a bonemets-quiz review"),
    "future-date": ((_header() + _line(reviewed_at="2099-01-01T00:00:00Z")).encode(), 2, "future"),
    "unknown-rating": ((_header() + _line(rating=5)).encode(), 2, "unknown rating 5"),
    "rating-as-text": ((_header() + _line(rating="3")).encode(), 2, "unknown rating '3'"),
    "newer-version": (_header(version=2).encode(), 1, "newer bonemets-quiz"),
    "bad-json-line": ((_header() + GOOD + "\n{oops\n" + GOOD + "\n").encode(), 3, "bad JSON"),
    "missing-field": ((_header() + '{"rating": 3}\n').encode(), 2, "missing field"),
    "naive-time": ((_header() + _line(reviewed_at="2026-01-05T09:00:00")).encode(), 2, "bad field"),
    "fsrs-csv": (b"card_id,review_time,review_rating,review_state,review_duration\n1,2,3,0,5\n", 1,
                 "cannot be imported"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_log_is_one_located_line_and_changes_nothing(
    tmp_path: Path, questions: list[Question], name: str
) -> None:
    data, line, what = HOSTILE[name]
    log = tmp_path / f"{name}.jsonl"
    log.write_bytes(data)
    store = tmp_path / "p.sqlite3"
    with opened(store, questions) as s:
        study(s, questions, [0], seed=1)
    saved = store.read_bytes()
    result = CliRunner().invoke(cli, ["--store", str(store), "progress", "import", str(log)])
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"{log}:{line}:" in message and what in message and " — " in message
    assert store.read_bytes() == saved
    with pytest.raises(LogError, match=re.escape(what)):
        read_log(log, START)


def test_a_header_only_log_adds_nothing(tmp_path: Path, questions: list[Question]) -> None:
    log = tmp_path / "empty.jsonl"
    log.write_text(_header())
    with opened(tmp_path / "p.sqlite3", questions) as store:
        summary = import_log(store, questions, log, Settings(), now=LATER)
    assert (summary.reviews, summary.added, summary.recomputed) == (0, 0, 0)


def test_a_bad_second_file_keeps_the_first_from_being_imported(
    tmp_path: Path, questions: list[Question]
) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text(_header() + GOOD + "\n")
    bad.write_text(_header() + _line(rating=0))
    with opened(tmp_path / "p.sqlite3", questions) as store:
        with pytest.raises(LogError, match=r"bad\.jsonl:2:1: unknown rating 0"):
            import_log(store, questions, [good, bad], Settings(), now=LATER)
        assert store.reviews_total() == 0


# ---------------------------------------------------------------------------- CLI


def test_cli_counts_one_review_in_the_singular(tmp_path: Path, questions: list[Question]) -> None:
    deck = write_deck(tmp_path, DECK)
    path = tmp_path / "one.sqlite3"
    with opened(path, questions) as store:
        session = Session(store, questions, UTC, START, seed=1)
        question = session.next(START)
        assert question is not None
        session.answer(question, RATINGS[0], START, "right", 2500, "an answer")
        assert store.reviews_total() == 1
    out = tmp_path / "one.jsonl"
    args = ["--store", str(path), "progress", "export", "-o", str(out), "--deck", str(deck)]
    result = CliRunner().invoke(cli, args, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.exit_code == 0 and f"Wrote 1 review to {out}" in result.output


def test_cli_export_then_import_round_trip(tmp_path: Path, questions: list[Question]) -> None:
    deck = write_deck(tmp_path, DECK)
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with opened(a, questions) as store:
        study(store, questions, [0, 1], seed=1)
        total = store.reviews_total()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = CliRunner().invoke
    out = tmp_path / "a.jsonl"
    result = run(
        cli, ["--store", str(a), "progress", "export", "-o", str(out), "--deck", str(deck)], env=env
    )
    assert result.exit_code == 0 and f"Wrote {total} reviews" in result.output
    result = run(
        cli,
        [
            "--store",
            str(a),
            "progress",
            "export",
            "-o",
            "-",
            "--format",
            "csv",
            "--deck",
            str(deck),
        ],
        env=env,
    )
    assert (
        result.output.startswith("card_id,review_time")
        and len(result.output.splitlines()) == total + 1
    )
    args = ["--store", str(b), "progress", "import", str(out), "--deck", str(deck), "--json"]
    first = json.loads(run(cli, args, env=env).output)
    second = json.loads(run(cli, args, env=env).output)
    assert (first["added"], second["added"], second["duplicates"]) == (total, 0, total)
    with Store.open(a) as sa, Store.open(b) as sb:
        assert content(sa) == content(sb)


def test_cli_export_format_must_agree_with_the_suffix(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "s"), "progress", "export", "-o", "x.csv", "--format", "jsonl"],
    )
    assert result.exit_code == 2 and "make them agree" in result.output
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "s"), "progress", "export", "-o", "x.txt"]
    )
    assert result.exit_code == 2 and "--format jsonl|csv" in result.output


def test_the_library_exports_the_progress_api() -> None:
    import bonemets_quiz

    assert bonemets_quiz.export_log is export_log and bonemets_quiz.import_log is import_log
    assert bonemets_quiz.replay is replay and "import_log" in bonemets_quiz.__all__


# ---------------------------------------------------------------------------- crash safety


def fill(store: Store, questions: list[Question], reviews: int, seed: int) -> None:
    """``reviews`` answers spread over the questions, an hour apart, straight through the store."""
    import random

    from bonemets_quiz.study.scheduling import CardState, Scheduler

    rng = random.Random(seed)
    scheduler = Scheduler(Settings(), seed)
    cards = {q.id: CardState(q.id) for q in questions}
    ids = sorted(cards)
    with store.transaction():
        for n in range(reviews):
            qid = ids[n % len(ids)]
            rating = Rating(rng.choice([1, 2, 3, 3, 3, 4]))
            after = scheduler.review(cards[qid], rating, START + timedelta(hours=n))
            store.record(cards[qid], after, rating, "right", 1000, "x", seed)
            cards[qid] = after


def import_to_kill(
    tmp_path: Path, questions: list[Question], fill_seed: int, study_seed: int, **options: Any
) -> tuple[Path, Path, bytes, object, object]:
    """What a SIGKILL-during-import test kills: a log of 3,000 reviews (``a.jsonl``) to import
    into a store studied a little (``b.sqlite3``). The deck, the log, that store's bytes, its
    content, and its content once the log is imported (with ``options``)."""
    deck = write_deck(tmp_path, DECK)
    with opened(tmp_path / "a.sqlite3", questions) as a:
        fill(a, questions, 3000, seed=fill_seed)
        log = exported(a, questions, tmp_path / "a.jsonl")
    with opened(tmp_path / "b.sqlite3", questions) as b:
        study(b, questions, [0, 1], seed=study_seed)
        before = content(b)
    original = (tmp_path / "b.sqlite3").read_bytes()
    (tmp_path / "merged.sqlite3").write_bytes(original)
    with Store.open(tmp_path / "merged.sqlite3") as m:
        import_log(m, questions, log, m.settings(), now=LATER, **options)
        merged = content(m)
    return deck, log, original, before, merged


def killed_importing(
    args: list[str], target: Path, original: bytes, lines: int, env: dict[str, str] | None = None
) -> object:
    """``target`` put back to ``original``, an import (``args``) run on it and SIGKILLed after
    ``lines`` lines of its progress: the store's content then (its integrity checked)."""
    import signal
    import subprocess

    target.write_bytes(original)
    child = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert child.stderr is not None
    for _ in range(lines):
        line = child.stderr.readline()
        assert line.startswith(b"progress"), line
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stderr.close()
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store.open(target) as store:
        return content(store)


@pytest.mark.slow
def test_a_sigkill_during_import_leaves_the_store_as_before_or_fully_merged(
    tmp_path: Path, questions: list[Question]
) -> None:
    import os
    import random
    import sys

    deck, log, original, before, merged = import_to_kill(tmp_path, questions, 11, 2)
    every = 100
    events = 2 * 3000 // every  # one per N merged rows, then one per N replayed reviews
    rng = random.Random(20261130)
    env = {**os.environ, "BONEMETS_QUIZ_PROGRESS_EVERY": str(every),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # fmt: skip
    entry = "import sys; from bonemets_quiz.__main__ import launch; sys.exit(launch())"
    outcomes = []
    target = tmp_path / "b.sqlite3"
    args = [sys.executable, "-c", entry, "--store", str(target), "progress", "import",
            str(log), "--deck", str(deck)]  # fmt: skip
    for _ in range(6):
        now = killed_importing(args, target, original, rng.randint(1, events - 5), env)
        assert now in (before, merged)  # one transaction: never half of it
        outcomes.append(now == before)
    assert any(outcomes)  # killed mid-import at least once (and then nothing of it is there)


def test_the_fast_jsonl_export_equals_the_typed_records(
    tmp_path: Path, questions: list[Question]
) -> None:
    from bonemets_quiz.progress.logs import log_records
    from bonemets_quiz.progress.review_log import record_to_json

    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 1, 2, 5], seed=4)
        out = io.StringIO()
        export_log(store, questions, out, now=LATER)
        typed = [record_to_json(r) for r in log_records(store, questions)]
    assert [json.loads(line) for line in out.getvalue().splitlines()[1:]] == typed


def test_the_fast_csv_export_equals_the_typed_records(
    tmp_path: Path, questions: list[Question]
) -> None:
    from bonemets_quiz.progress.logs import log_records
    from bonemets_quiz.progress.review_log import write_csv

    with opened(tmp_path / "s.sqlite3", questions) as store:
        study(store, questions, [0, 1, 2, 5], seed=4)
        fast, typed = io.StringIO(), io.StringIO()
        export_log(store, questions, fast, "csv", now=LATER)
        write_csv(typed, log_records(store, questions))
    assert fast.getvalue() == typed.getvalue() and fast.getvalue().count("\n") > 20


# ---------------------------------------------------------------------------- undo after import


def test_undo_after_an_import_takes_back_the_latest_review_not_the_last_inserted(
    tmp_path: Path, questions: list[Question]
) -> None:
    """An import inserts older reviews with higher row ids; ``undo`` must still take back the
    learner's latest answer, and leave the card equal to a replay of what remains."""
    with opened(tmp_path / "a.sqlite3", questions) as a:
        study(a, questions, [0, 1], seed=5)  # the other machine, earlier days
        log = exported(a, questions, tmp_path / "a.jsonl")
    with opened(tmp_path / "b.sqlite3", questions) as b:
        study(b, questions, [3, 4], seed=6)  # this machine, later days
        (latest,) = b._rows("SELECT id, question_id FROM reviews ORDER BY reviewed_at DESC LIMIT 1")
        import_log(b, questions, log, b.settings(), now=LATER)
        total = b.reviews_total()
        undone = b.undo_last()
        assert undone is not None and (undone.id, undone.question_id) == latest
        assert b.reviews_total() == total - 1
        assert replay(b, b.settings()) == b.cards()
