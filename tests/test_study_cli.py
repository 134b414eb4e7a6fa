"""``study``, ``stats`` and ``undo`` through the command line (CliRunner, piped input)."""

from __future__ import annotations

import json
import re
import sqlite3
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest_study import DECK, by_id
from deck_files import write_deck

from bonemets_quiz.bank import cache as bank_cache
from bonemets_quiz.bank.cache import build_bank
from bonemets_quiz.cli import cli
from bonemets_quiz.cli import study_run as study_cli
from bonemets_quiz.cli.common import safe_text

NOW = "2026-03-10T09:00:00+00:00"

# The mini deck, seed 1, at NOW: new questions in deck order, one per fact (siblings buried).
FIRST_FOUR = [
    "What is bone metastasis?",  # basic: reveal, then rate
    "Name the 4 cancers that commonly spread to bone.",  # list recall: typed
    "Cancers that start in bone itself are [...].",  # short cloze: typed
    "How does bone metastasis differ from primary bone cancer?",  # basic
]


def assert_no_crash(result: Result) -> None:
    """CliRunner catches exceptions (no traceback reaches ``output``): only SystemExit is a
    clean ending (the exit code, 2 for a usage error); anything else is a crash."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command crashed: {result.exception!r}") from result.exception


class Quiz:
    """Runs the CLI against one store and one deck in ``tmp_path``."""

    def __init__(self, tmp_path: Path, deck: str = DECK) -> None:
        self.tmp = tmp_path
        self.store = tmp_path / "progress.sqlite3"
        self.deck = write_deck(tmp_path, deck)
        self.env = {
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "BONEMETS_QUIZ_NOW": NOW,
            "BONEMETS_QUIZ_TZ": "Europe/London",
            "BONEMETS_QUIZ_SEED": "1",
            "BONEMETS_QUIZ_STORE": None,
            "COLUMNS": "100",
        }

    def run(self, *args: str, input: str | None = None, **env: str | None) -> Result:
        result = CliRunner().invoke(
            cli, ["--store", str(self.store), *args], input=input, env={**self.env, **env}
        )
        assert_no_crash(result)
        return result

    def study(self, input: str, *args: str, **env: str | None) -> Result:
        return self.run("study", "--deck", str(self.deck), *args, input=input, **env)

    def stats(self, *args: str) -> dict[str, Any]:
        result = self.run("stats", "--json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    def ratings(self) -> list[int]:
        conn = sqlite3.connect(self.store)
        return [r[0] for r in conn.execute("SELECT rating FROM reviews ORDER BY id")]


@pytest.fixture
def quiz(tmp_path: Path) -> Quiz:
    return Quiz(tmp_path)


def test_a_piped_session_grades_explains_and_saves_every_answer(quiz: Quiz) -> None:
    answers = [
        "",  # reveal
        "",  # Enter: Good
        "prostate cancer, breast cancer, lung",
        "",  # keep the suggested Hard (3 of 4)
        "uncommn",  # a typo: almost
        "4",  # override to Easy
        "",  # reveal
        "1",  # Again
    ]
    result = quiz.study("\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    positions = [out.index(prompt) for prompt in FIRST_FOUR]
    assert positions == sorted(positions)
    assert "Answer: Cancer that started elsewhere and has spread to bone." in out
    assert "Clinical note: it keeps the name of its primary cancer." in out
    assert "Section: What is it?" in out
    shown = re.findall(
        r"1 Again \(1 min\)  2 Hard \(5.5 min\)  3 Good \(10 min\)  4 Easy \((\d+) days\)", out
    )
    assert len(shown) == 4  # four new questions
    assert "Partly right: 3 of 4." in out
    assert "  - kidney cancer" in out and "  + lung cancer" in out
    assert "Almost (a small typo)" in out
    assert "Rate 1–4 [Enter = 2 Hard]: 4" in out  # piped input is echoed
    saved = re.findall(r"Saved: (\w+), back (.+)\.", out)
    assert [s for s in saved if s[0] != "Easy"] == [
        ("Good", "in 10 min"),
        ("Hard", "in 5.5 min"),
        ("Again", "in 1 min"),
    ]
    # the interval shown beside Easy is the one saved (8 days, fuzzed)
    assert re.fullmatch(rf"in {shown[2]} days \(\w{{3}} \d+ Mar 2026\)", saved[2][1])
    assert 6 <= int(shown[2]) <= 11
    assert "Session: 4 answered (Again 1 · Hard 1 · Good 1 · Easy 1)" in out
    assert quiz.ratings() == [3, 2, 4, 1]
    figures = quiz.stats()
    assert figures["reviews_total"] == 4
    assert figures["counts"] == {"new": 10, "learning": 3, "review": 1, "retired": 0, "leeches": 0}
    assert figures["due_today"] == 3


def test_stats_json_reflects_every_answer_of_several_sessions(quiz: Quiz) -> None:
    total = 0
    for round_ in range(3):
        result = quiz.study("\n" * 6)
        assert result.exit_code == 0, result.output
        total += result.output.count("Saved:")
        figures = quiz.stats()
        assert figures["reviews_total"] == total == len(quiz.ratings()), round_
        counts = figures["counts"]
        assert counts["new"] + counts["learning"] + counts["review"] == 14


def test_choices_by_number_letter_and_true_false(quiz: Quiz) -> None:
    bank = build_bank([quiz.deck], 0)
    mc = by_id(bank, "mets/multiple_choice/term")
    letter = "abcd"[mc.correct_option]  # type: ignore[index]
    result = quiz.study(f"9\n{letter}\n\n", "--kind", "multiple_choice")
    assert "Please answer 1–4 or a–d." in result.output  # 9 is no option: asked again
    assert "Right." in result.output and quiz.ratings() == [3]
    quiz.store = quiz.tmp / "other.sqlite3"  # a new store: the fact's siblings are buried today
    result = quiz.study("y\n\n", "--kind", "true_false", "--topic", "basics")
    assert "True or false: Bone metastasis is cancer that started elsewhere" in result.output
    assert "Right." in result.output and quiz.ratings() == [3]


def test_end_of_input_at_any_prompt_keeps_everything(quiz: Quiz) -> None:
    result = quiz.study("")
    assert result.exit_code == 0
    assert "Session: 0 answered" in result.output
    result = quiz.study("\n\n\n")  # one answer, then input ends at the next question
    assert result.exit_code == 0
    assert result.output.count("Saved:") == 1
    assert "Session: 1 answered" in result.output
    assert len(quiz.ratings()) == 1


def test_fsrs_starts_loading_once_the_first_prompt_is_shown(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started before the prompt, the preload thread (grading's verdicts, then fsrs) competed
    for the GIL with showing it."""
    events: list[str] = []
    real = study_cli.read_line

    def read(prompt: str, **options: Any) -> str:
        events.append("prompt")
        return real(prompt, **options)

    class Thread:
        def __init__(self, target: Any, daemon: bool) -> None:
            assert target is study_cli._load_answering and daemon

        def start(self) -> None:
            events.append("preload")

    monkeypatch.setattr(study_cli, "read_line", read)
    monkeypatch.setattr(study_cli, "threading", types.SimpleNamespace(Thread=Thread))
    result = quiz.study("\n\n\n")
    assert result.exit_code == 0, result.output
    assert events[:3] == ["prompt", "preload", "prompt"] and events.count("preload") == 1


def test_ctrl_c_keeps_everything_and_prints_a_summary(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = study_cli.read_line

    def interrupted(prompt: str, **options: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(prompt, **options)

    monkeypatch.setattr(study_cli, "read_line", interrupted)
    result = quiz.study("\n\n\n\n\n")
    assert result.exit_code == 130
    assert "Session: 1 answered" in result.output
    assert "every answer is saved in" in result.output
    assert len(quiz.ratings()) == 1


def test_no_colour_or_escapes_off_a_terminal_and_deck_text_is_made_safe(tmp_path: Path) -> None:
    hostile = DECK.replace(
        "term: bone metastasis\n", 'term: "bone \\e[31mmetastasis\\e]0;pwned\\a\\e[2J"\n', 1
    )
    quiz = Quiz(tmp_path, hostile)
    result = quiz.study("\n\n")
    # The loader refuses control characters with a located message; nothing raw is echoed.
    assert result.exit_code == 2
    assert f"{quiz.deck}:18:11: term contains a control character" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert not quiz.store.exists()


def test_terminal_text_is_stripped_of_escape_sequences() -> None:
    """A second line of defence for text that did not come through the loader (old snapshots)."""
    raw = "bone \x1b[31mmetastasis\x1b]0;pwned\x07\x1b[2J\x9b\x00 ok"
    assert safe_text(raw) == "bone metastasis ok"


def test_text_that_is_printable_has_nothing_safe_text_or_safe_path_would_remove() -> None:
    """Their patterns are skipped for printable text (compiled on first use, off the start-up):
    every character the patterns match, in any text, is one that is not printable."""
    from bonemets_quiz.cli import common

    printable = "".join(c for c in map(chr, range(0x110000)) if c.isprintable())
    assert re.search(common._CONTROL, printable) is None
    assert re.search(common._PATH_UNSAFE, printable) is None
    assert safe_text(printable) == printable and common.safe_path(printable) == printable
    assert common.safe_path("a\udcffb\u202e") == "a\\udcffb\\u202e"


def test_long_text_wraps_to_the_terminal_width(tmp_path: Path) -> None:
    long_definition = " ".join(["cancer that started elsewhere and has spread to bone"] * 8)
    quiz = Quiz(
        tmp_path,
        DECK.replace("cancer that started elsewhere and has spread to bone", long_definition, 1),
    )
    result = quiz.study("\n\n", COLUMNS="40")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "spread to bone cancer that started" in " ".join(result.output.split())


def test_undo_command_takes_back_the_last_answer_exactly(quiz: Quiz) -> None:
    quiz.study("\n\nprostate cancer\n\n")
    assert quiz.ratings() == [3, 1]
    before = quiz.stats()
    result = quiz.run("undo")
    assert result.exit_code == 0
    assert "Took back your answer (Again, 2026-03-10" in result.output
    assert "Name the 4 cancers that commonly spread to bone." in " ".join(result.output.split())
    after = quiz.stats()
    assert quiz.ratings() == [3]
    assert after["reviews_total"] == before["reviews_total"] - 1
    assert after["counts"]["new"] == before["counts"]["new"] + 1
    assert quiz.run("undo").exit_code == 0
    result = quiz.run("undo")
    assert "Nothing to undo" in result.output
    assert quiz.stats()["counts"]["new"] == 14


def test_undo_key_inside_a_session(quiz: Quiz) -> None:
    result = quiz.study("\n\n:u\n\n4\n")
    out = result.output
    assert "Took back your last answer (Good) to: What is bone metastasis?" in out
    assert out.count("What is bone metastasis?") == 3  # asked, undone, asked again
    assert quiz.ratings() == [4]
    assert "Session: 1 answered (Easy 1)" in out


def test_quit_key_ends_the_session(quiz: Quiz) -> None:
    result = quiz.study("\n\n:q\n\n\n")
    assert result.exit_code == 0
    assert "Session: 1 answered" in result.output
    assert quiz.ratings() == [3]


def test_cram_does_not_change_the_schedule(quiz: Quiz) -> None:
    quiz.study("\n\n")
    before = quiz.stats()
    result = quiz.study("\n1\n" * 20, "--cram")
    assert result.exit_code == 0
    assert "Cram: not saved; it comes back later in this cram session." in result.output
    assert "cram practice, the schedule is unchanged" in result.output
    assert quiz.stats() == before
    assert quiz.ratings() == [3]


def test_new_and_limit_options(quiz: Quiz) -> None:
    result = quiz.study("\n\n" * 10 + "x\n\n" * 10, "--new", "1")
    assert result.output.count("· new ·") == 1
    assert "Today's limit of 1 new question is reached" in result.output


def test_retired_questions_are_announced_and_counted(quiz: Quiz) -> None:
    quiz.study("\n\n" * 8)
    write_deck(quiz.tmp, DECK.split("  - id: versus")[0])
    result = quiz.study("")
    assert "Deck updated: 3 retired from the deck (history kept)." in result.output
    assert quiz.stats()["counts"]["retired"] == 3


def test_settings_are_remembered_and_checked(quiz: Quiz) -> None:
    assert quiz.study("", "--retention", "0.85", "--day-starts", "5").exit_code == 0
    settings = quiz.stats()["settings"]
    assert (settings["desired_retention"], settings["day_start_hour"]) == (0.85, 5)
    result = quiz.study("", "--learning-steps", "1m 10q")
    assert result.exit_code == 2 and "--learning-steps" in result.output
    assert quiz.study("", "--retention", "2").exit_code == 2


def test_stats_draws_the_forecast_and_history(quiz: Quiz) -> None:
    quiz.study("\n4\n" + "x\n4\n" * 3)
    result = quiz.run("stats")
    assert result.exit_code == 0
    out = result.output
    assert "Questions: 10 new · 0 learning · 4 review · 0 retired · 0 leeches" in out
    forecast = re.findall(r"^  (?:today )?\w{3} \d\d \w{3}\s+\d+", out, re.MULTILINE)
    assert len(forecast) == 14
    assert "Reviews per day, 2026-02-09 to 2026-03-10" in out
    assert "4 in 30 days" in out
    assert "last 7 days: —" in out  # no learned question reviewed yet


def test_bad_store_and_bad_options_are_one_line_errors(quiz: Quiz) -> None:
    quiz.store.write_text("not a database at all\n" * 20)
    result = quiz.study("")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {quiz.store}: not a bonemets-quiz progress store")
    assert quiz.store.read_text().startswith("not a database")
    quiz.store.unlink()
    result = quiz.study("", "--topic", "nonsense")
    assert result.exit_code == 2 and "unknown topic nonsense" in result.output
    assert quiz.run("study", "--now", "yesterday").exit_code == 2


def test_the_bank_cache_is_used_and_follows_deck_edits(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert quiz.study("").exit_code == 0
    cached = list((quiz.tmp / "cache" / "bonemets-quiz").glob("bank-*.marshal"))
    assert len(cached) == 1

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the deck was parsed again")

    monkeypatch.setattr(bank_cache, "build_bank", no_yaml)
    assert "What is bone metastasis?" in quiz.study("").output
    monkeypatch.undo()
    write_deck(quiz.tmp, DECK.replace("{{rare|uncommon}}.", "{{rare|uncommon}} in {{adults}}."))
    result = quiz.study("")
    assert "Deck updated: 1 new question." in result.output
    cached[0].write_text("{ damaged")
    write_deck(quiz.tmp, DECK)
    assert quiz.study("").exit_code == 0


def test_a_store_failure_mid_session_keeps_earlier_answers_and_says_why(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonemets_quiz.errors import StoreError
    from bonemets_quiz.study.store.store import Store

    real = Store.record
    calls = {"n": 0}

    def record(self: Store, *args: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreError(f"{self.path}: the disk is full while saving; the last change ...")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "record", record)
    result = quiz.study("\n\n" + "prostate cancer\n\n" * 3)
    assert result.exit_code == 2
    assert "Session: 1 answered" in result.output
    assert f"Error: {quiz.store}: the disk is full" in result.output
    assert quiz.ratings() == [3]


def test_bare_study_uses_the_built_in_deck_and_the_default_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "BONEMETS_QUIZ_STORE": None,
    }
    result = CliRunner().invoke(cli, ["study"], input="", env=env)
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    assert "── 1 · new ·" in result.output
    assert (tmp_path / "data" / "bonemets-quiz" / "progress.sqlite3").is_file()
    assert bank_cache.builtin_deck() == str(__import__("bonemets_quiz").builtin_deck_path())


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--learning-steps", "3000000d"),
        ("--learning-steps", "1e9d"),
        ("--learning-steps", "nan"),
        ("--relearning-steps", "366d"),
        ("--max-interval", "10000000000"),
        ("--max-interval", "36501"),
    ],
)
def test_an_out_of_range_setting_is_a_usage_error_and_never_saved(
    quiz: Quiz, option: str, value: str
) -> None:
    """Before: saved, then every later study crashed with an OverflowError (finding 1.4)."""
    result = quiz.study("", option, value)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a usage error, not a crash
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error: Invalid value for") and option in error
    later = quiz.study("\n\n")
    assert later.exit_code == 0, later.output
    assert "Saved: Good, back in 10 min." in later.output  # the defaults still apply
    assert quiz.stats()["settings"]["maximum_interval"] == 36500


def test_a_bad_setting_already_in_the_store_falls_back_to_the_defaults(quiz: Quiz) -> None:
    assert quiz.study("").exit_code == 0
    conn = sqlite3.connect(quiz.store)
    with conn:
        bad = '{"learning_steps": [259200000000.0], "maximum_interval": 1e12}'
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (bad,))
    conn.close()
    result = quiz.study("\n\n")
    assert result.exit_code == 0, result.output
    assert "Saved: Good, back in 10 min." in result.output


def test_undo_key_at_the_start_of_a_session_leaves_earlier_answers_alone(quiz: Quiz) -> None:
    assert quiz.study("\n\n").exit_code == 0  # an answer nine days ago
    result = quiz.study(":u\n", BONEMETS_QUIZ_NOW="2026-03-19T09:00:00+00:00")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Nothing to undo in this session (`bonemets-quiz undo` takes back" in out
    assert quiz.ratings() == [3]
    assert "── 1 ·" in result.output and "── 2 ·" not in result.output  # same question, same number


def test_undo_key_refuses_an_answer_changed_by_another_session(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonemets_quiz.study.store.store import Store

    real = Store.undo_review

    def answered_elsewhere(self: Store, review_id: int) -> Any:
        (qid,) = self._conn.execute("SELECT question_id FROM reviews WHERE id = ?", (review_id,))
        self._conn.execute(
            "UPDATE cards SET reps = reps + 1, due = due + 1 WHERE question_id = ?", qid
        )
        return real(self, review_id)

    monkeypatch.setattr(Store, "undo_review", answered_elsewhere)
    result = quiz.study("\n\n:u\n")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Cannot take back your answer to: What is bone metastasis? — the question was" in out
    assert "answered again since. It stays saved." in out
    assert quiz.ratings() == [3]


def test_a_list_with_a_wrong_extra_is_partly_right_and_hard_at_best(quiz: Quiz) -> None:
    typed = "prostate cancer, breast cancer, lung, kidney cancer, thyroid cancer"
    result = quiz.study(f"{typed}\n\n", "--kind", "list_recall")
    assert result.exit_code == 0, result.output
    assert "Partly right: 4 of 4, and 1 not in the list." in result.output
    assert "Not in the list: thyroid cancer" in result.output
    assert "Rate 1–4 [Enter = 2 Hard]:" in result.output
    assert quiz.ratings() == [2]


def test_numeric_options_are_chosen_by_typing_the_number(tmp_path: Path) -> None:
    authored = (
        "      - kidney cancer\n"
        "    questions:\n"
        "      - id: spine\n"
        '        prompt: "How many sections of spine are there, not counting the tailbone?"\n'
        '        answer: "4"\n'
        '        options: ["7", "5", "3"]\n'
    )
    quiz = Quiz(tmp_path, DECK.replace("      - kidney cancer\n", authored, 1))
    question = by_id(build_bank([quiz.deck], 0), "primaries/multiple_choice/q-spine")
    assert question.options is not None and question.correct_option is not None
    result = quiz.study("2\n4\n\n", "--kind", "multiple_choice", "--topic", "causes")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Answer (a–d, or the number itself): 2" in out
    assert "Please answer a–d, or the number itself." in out  # 2 is no option: asked again
    letter = "abcd"[question.correct_option]
    assert f"  {letter}) 4\n" in out and "Right." in out
    assert f"Answer: {letter}) 4" in out
    assert quiz.ratings() == [3]


@pytest.mark.parametrize(
    "mark", [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
)
def test_bidirectional_overrides_are_stripped(mark: str) -> None:
    """They can make text read backwards on screen ("Trojan Source"; finding 4.1)."""
    assert safe_text(f"bone{mark} metastasis\u202c") == "bone metastasis"


def test_the_quiz_helper_notices_a_crash(quiz: Quiz, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside a command must fail the test, traceback or not in the output (5.1)."""
    from bonemets_quiz.study.store.store import Store

    def broken(self: Store) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Store, "settings", broken)
    with pytest.raises(AssertionError, match="crashed: RuntimeError"):
        quiz.study("")


def test_limit_caps_the_reviews_of_the_day_across_sessions(quiz: Quiz) -> None:
    quiz.study("\n4\n" + "x\n4\n" * 3)  # four questions learned (Easy: back in a week or so)
    assert quiz.stats()["counts"]["review"] == 4
    month = {"BONEMETS_QUIZ_NOW": "2026-04-10T09:00:00+00:00"}
    first = quiz.study("\n\n" * 6, "--limit", "1", "--new", "0", **month)
    assert first.exit_code == 0, first.output
    assert first.output.count("· review ·") == 1
    assert "(due: 0 learning, 1 review, 0 new)" in first.output
    second = quiz.study("\n\n" * 6, "--limit", "3", "--new", "0", **month)
    assert second.output.count("· review ·") == 2  # 3 a day, 1 done already
    assert "Nothing more is due now." in second.output
    assert len(quiz.ratings()) == 4 + 3


def test_the_core_never_imports_click_or_the_cli() -> None:
    """Arrows point one way (cli → core): terminal helpers live under cli/ (finding 6)."""
    import ast

    import bonemets_quiz

    package = Path(bonemets_quiz.__file__).parent
    core = [
        p
        for p in package.rglob("*.py")
        if p.name != "__main__.py" and p.relative_to(package).parts[0] != "cli"
    ]
    assert len(core) > 100
    for path in core:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert name.split(".")[0] != "click", f"{path.name} imports click"
                assert not name.lstrip(".").startswith("cli"), f"{path.name} imports the CLI"


def test_stats_names_the_leech_threshold_in_use(quiz: Quiz) -> None:
    from datetime import datetime

    from bonemets_quiz.study.scheduling import CardState, Rating, Settings, Status
    from bonemets_quiz.study.store.store import Store

    now = datetime.fromisoformat(NOW)
    with Store.open(quiz.store) as store:
        store.save_settings(Settings(leech_lapses=3))
        card = CardState("mini/mets/basic", Status.REVIEW, None, 2.0, 9.0, now, now, 9, 3)
        with store.transaction():
            store.record(card._replace(lapses=2), card, Rating.AGAIN)
    result = quiz.run("stats")
    assert result.exit_code == 0, result.output
    assert "Leeches (3 or more lapses)" in result.output
    assert "  mini/mets/basic" in result.output.split("Leeches")[1]
    assert "8 or more" not in result.output


def test_undo_shows_the_answers_time_in_the_given_zone(quiz: Quiz) -> None:
    quiz.study("\n\n")  # answered at 09:00 UTC, 05:00 in New York (EDT since 8 March)
    result = quiz.run("undo", "--tz", "America/New_York")
    assert result.exit_code == 0, result.output
    assert "Took back your answer (Good, 2026-03-10 05:00) to:" in result.output


def test_stats_has_no_seed_option(quiz: Quiz) -> None:
    result = quiz.run("stats", "--seed", "3")
    assert result.exit_code == 2 and "No such option '--seed'" in result.output


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["undo"]])
def test_read_only_commands_create_no_store_at_a_mistyped_path(
    quiz: Quiz, command: list[str]
) -> None:
    quiz.store = quiz.tmp / "typo" / "progres.sqlite3"
    result = quiz.run(*command)
    assert result.exit_code == 0, result.output
    assert not (quiz.tmp / "typo").exists()
    if command == ["stats", "--json"]:
        figures = json.loads(result.stdout)
        assert figures["store_exists"] is False and figures["reviews_total"] == 0
        from bonemets_quiz import generate_bank, load_decks

        built_in = len(generate_bank(load_decks()))  # no progress yet: every question is new
        assert figures["counts"] == {
            **dict.fromkeys(("learning", "review", "retired", "leeches"), 0),
            "new": built_in,
        }
    else:
        assert f"No progress yet at {quiz.store}" in " ".join(result.output.split())


def test_stats_with_a_deck_and_no_store_counts_its_questions_as_new(quiz: Quiz) -> None:
    quiz.store = quiz.tmp / "none.sqlite3"
    figures = quiz.stats("--deck", str(quiz.deck))
    assert figures["counts"]["new"] == 14 and figures["store_exists"] is False
    assert not quiz.store.exists()


@pytest.mark.parametrize(
    ("tz", "local"),
    [
        ("EST+5", "04:00"),  # POSIX: 5 hours west of UTC
        ("CET-1CEST,M3.5.0,M10.5.0/3", "10:00"),  # winter time on 10 March
        ("<+0330>-3:30", "12:30"),
        (":Europe/London", "09:00"),
        ("Asia/Tokyo", "18:00"),
    ],
)
def test_a_posix_tz_string_is_honoured(quiz: Quiz, tz: str, local: str) -> None:
    """Low finding: a POSIX ``TZ`` string was silently ignored (the system's zone was used)."""
    quiz.study("\n\n")  # answered at 09:00 UTC
    result = quiz.run("undo", TZ=tz, BONEMETS_QUIZ_TZ=None)
    assert result.exit_code == 0, result.output
    assert f"Took back your answer (Good, 2026-03-10 {local}) to:" in result.output
    assert result.stderr == ""


def test_an_unknown_tz_is_named_with_the_zone_used_and_a_bad_tz_option_is_an_error(
    quiz: Quiz,
) -> None:
    result = quiz.run("stats", TZ="Mars/Base", BONEMETS_QUIZ_TZ=None)
    assert result.exit_code == 0
    assert "TZ='Mars/Base' is neither a zone name nor a POSIX TZ string; using" in result.stderr
    result = quiz.study("", BONEMETS_QUIZ_TZ="Mars/Base")
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Base'" in result.output
    assert quiz.study("", BONEMETS_QUIZ_TZ="EST+5").exit_code == 0


def test_a_learning_question_shown_before_it_is_due_says_so(quiz: Quiz) -> None:
    """Learn-ahead (as in Anki): with nothing else left, a learning question comes early."""
    result = quiz.study("\n3\n", "--new", "1")
    headers = [line for line in result.output.splitlines() if line.startswith("──")]
    assert "new" in headers[0] and "early" not in headers[0]
    assert "learning, early: due in 10 min" in headers[1]


# ---------------------------------------------------------------------------- issue 8 (study)


def test_cram_asks_again_what_was_rated_again_and_shows_no_intervals(quiz: Quiz) -> None:
    """Finding 16: cram never repeated a question rated Again and showed intervals it does not
    use. Two questions: the first rated Again comes back after the other."""
    result = quiz.study("\n1\n" + "\n3\n" * 3, "--cram", "--kind", "basic")
    assert result.exit_code == 0, result.output
    out = result.output
    prompts = re.findall(r"^(What is bone metastasis\?|How does .+\?)$", out, re.M)
    assert len(prompts) == 3 and prompts[0] == prompts[2] != prompts[1]
    assert out.count("1 Again  2 Hard  3 Good  4 Easy  (cram: not scheduled)") == 3
    assert " min)" not in out and " days)" not in out
    assert out.count("Cram: not saved; it comes back later in this cram session.") == 1
    assert out.count("Cram: not saved.") == 2
    assert "Session: 3 answered (Again 1 · Good 2); cram practice" in " ".join(out.split())
    assert quiz.ratings() == []


def test_a_spent_new_limit_says_so_and_how_to_raise_it(quiz: Quiz) -> None:
    """Finding 16: ``--new N`` after today's new limit was used said only "Nothing more is due"."""
    quiz.study("\n4\n", "--new", "1")
    result = quiz.study("", "--new", "1")
    assert result.exit_code == 0
    assert (
        "Today's limit of 1 new question is reached (1 done today, 3 more waiting): study "
        "again with `--new 4` to allow 3 more today."
    ) in " ".join(result.output.split())
    raised = quiz.study("\n4\n" * 3, "--new", "4")
    assert raised.output.count("· new ·") == 3 and "Today's limit" not in raised.output


def test_a_spent_review_limit_says_so_and_how_to_raise_it(quiz: Quiz) -> None:
    quiz.study("\n4\n" + "x\n4\n" * 3)  # four questions learned
    month = {"BONEMETS_QUIZ_NOW": "2026-04-10T09:00:00+00:00"}
    result = quiz.study("\n\n", "--limit", "1", "--new", "0", **month)
    assert (
        "Today's limit of 1 review is reached (1 done today, 3 more waiting): study again "
        "with `--limit 4` to allow 3 more today."
    ) in " ".join(result.output.split())


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+01:00", "1969-12-31T23:00Z"]
)
@pytest.mark.parametrize("command", ["study", "stats"])
def test_a_clock_outside_the_supported_years_is_a_usage_error(
    quiz: Quiz, moment: str, command: str
) -> None:
    """Low finding: ``--now`` at year 9999 or 0001 gave an OverflowError traceback."""
    result = quiz.run(command, "--now", moment)
    assert result.exit_code == 2, result.output
    assert "Invalid value for --now: give a time from 1970 to 8999" in result.output
    assert not quiz.store.exists()


def test_the_latest_supported_clock_schedules_a_century_without_overflow(quiz: Quiz) -> None:
    late = {"BONEMETS_QUIZ_NOW": "8999-12-31T23:59:59+00:00"}
    result = quiz.study("\n4\n", "--max-interval", "36500", **late)
    assert result.exit_code == 0, result.output
    assert "Saved: Easy, back in" in result.output and quiz.ratings() == [4]


def test_a_second_ctrl_c_while_finishing_still_exits_130_and_keeps_everything(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Low finding: Ctrl-C twice exited 1 (click's "Aborted!")."""
    real_read, real_summary = study_cli.read_line, study_cli.StudyRun.summary
    calls = {"read": 0, "summary": 0}

    def read(prompt: str, **options: Any) -> str:
        calls["read"] += 1
        if calls["read"] == 4:
            raise KeyboardInterrupt
        return real_read(prompt, **options)

    def summary(self: study_cli.StudyRun) -> None:
        calls["summary"] += 1
        raise KeyboardInterrupt  # the second Ctrl-C, while the summary is written

    monkeypatch.setattr(study_cli, "read_line", read)
    monkeypatch.setattr(study_cli.StudyRun, "summary", summary)
    result = quiz.study("\n\n\n\n\n")
    assert result.exit_code == 130, result.output
    assert "Aborted" not in result.output and calls["summary"] == 1
    assert len(quiz.ratings()) == 1
    monkeypatch.setattr(study_cli.StudyRun, "summary", real_summary)
    assert "Session: 0 answered" in quiz.study("").output  # the store is fine


def _cells(text: str) -> int:
    import unicodedata

    return sum(
        0
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(c) in "WF"
        else 1
        for c in text
    )


@pytest.mark.parametrize(
    "definition",
    [
        "体の別の場所で始まったがんが骨に広がったもの。乳がん、前立腺がん、肺がんに多い。" * 2,
        "cancer 🦴🦴 that started 😀😀😀 elsewhere 🧑‍⚕️ and has spread to bone " * 3,
        "가 다른 장기에서 시작되어 뼈로 퍼진 암 " * 6,
    ],
)
def test_wide_text_wraps_by_display_width(tmp_path: Path, definition: str) -> None:
    """Low finding: CJK and emoji were wrapped by characters, overflowing the terminal."""
    quiz = Quiz(
        tmp_path,
        DECK.replace("cancer that started elsewhere and has spread to bone", definition, 1),
    )
    result = quiz.study("\n\n", "--kind", "basic", COLUMNS="40")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(_cells(line) for line in lines) <= 39
    assert any(_cells(line) >= 36 for line in lines if "Answer" in line)  # lines are filled
    squeezed = "".join(result.output.split()).lower()
    assert "".join(definition.split()).lower() in squeezed  # nothing lost


@pytest.mark.parametrize(
    ("text", "columns"),
    [("abc", 3), ("日本語", 6), ("😀", 2), ("e\u0301", 1), ("❤️", 2), ("ｶ", 1), ("Ｆ", 2)],
)
def test_display_width_in_columns(text: str, columns: int) -> None:
    from bonemets_quiz.cli.terminal import cells

    assert cells(text) == columns


def test_the_not_medical_advice_line_greets_a_first_run_and_is_in_study_help(quiz: Quiz) -> None:
    """Low finding: the terminal never showed the "educational, not medical advice" line."""
    line = "Educational, not medical advice: the questions teach the facts of their source"
    first = quiz.study("\n\n")
    assert first.output.count("Educational, not medical advice") == 1
    assert line in " ".join(first.output.split())
    assert "not medical advice" not in quiz.study("\n\n").output  # once, on the first run
    assert line in " ".join(quiz.run("study", "--help").output.split())


def test_true_false_shows_the_words_not_numbers(quiz: Quiz) -> None:
    """Low finding: a true/false answer showed as "1. True"; t/f keys still answer."""
    result = quiz.study("f\n\n", "--kind", "true_false", "--topic", "basics")
    out = result.output
    assert "\n  True   False\n" in out
    assert "1/a)" not in out and "1. True" not in out
    assert "Wrong." in out and "\nAnswer: True\n" in out
    assert quiz.ratings() == [1]


def test_the_header_counts_only_learning_due_now(quiz: Quiz) -> None:
    """Low finding: the header's "learning" count included questions due later today."""
    result = quiz.study("\n3\nprostate cancer, breast cancer, lung cancer, kidney cancer\n\n")
    headers = [line for line in result.output.splitlines() if line.startswith("──")]
    assert "(due: 0 learning, 0 review, 4 new)" in headers[0]
    assert "(due: 0 learning (1 later today), 0 review, 3 new)" in headers[1]


def test_the_stores_check_runs_while_the_first_question_is_read_not_after_it_is_answered(
    quiz: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page check before a store's first write took ~50 ms of the first "Saved" on a
    100,000-review store; it now runs once the first prompt is out, before input is read."""
    from bonemets_quiz.cli import study_run
    from bonemets_quiz.study.store import base

    events: list[str] = []
    real_check, real_read = base.quick_check, study_run.read_line

    def check(*args: object) -> None:
        events.append("check")
        real_check(*args)  # type: ignore[arg-type]

    def read_line(prompt: str, stream: object = None, shown: object = None) -> str:
        def on_shown() -> None:
            events.append("shown")
            shown()  # type: ignore[operator]
            events.append("reading")

        return real_read(prompt, None, on_shown)

    assert quiz.study("\n3\n", "--new", "1").exit_code == 0  # the store made, the bank recorded
    monkeypatch.setattr(base, "quick_check", check)
    monkeypatch.setattr(study_run, "read_line", read_line)
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0
    assert events[:3] == ["shown", "check", "reading"] and events.count("check") == 1
