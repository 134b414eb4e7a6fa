"""The Anki exporter without Anki: identities, determinism, escaping, the file, the command."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import types
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki_testkit import NOW, TEST_DECK, load
from click.testing import CliRunner, Result
from deck_files import write_deck

from bonemets_quiz.cli import cli
from bonemets_quiz.errors import UsageError
from bonemets_quiz.export import anki, anki_ids, anki_stamps
from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_notes import note_specs
from bonemets_quiz.export.anki_stamps import read_stamps
from bonemets_quiz.export.anki_templates import NOTE_TYPES
from bonemets_quiz.export.sanitize import field_html

GENANKI_BUILTIN_MODEL_IDS = {1559383000, 1485830179, 1382232460, 1305534440, 1550428389}


def _notes(apkg: Path) -> dict[str, tuple[object, ...]]:
    """The notes table of a package, by GUID: (note type, mod, tags, fields)."""
    with zipfile.ZipFile(apkg) as archive:
        data = archive.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    rows = conn.execute("SELECT guid, mid, mod, tags, flds FROM notes").fetchall()
    conn.close()
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[list, list]:
    return load(write_deck(tmp_path, TEST_DECK))


# ---------------------------------------------------------------- identities


def test_note_type_ids_are_stable_distinct_and_in_range() -> None:
    ids = {anki_ids.model_id(spec.name) for spec in NOTE_TYPES.values()}
    assert len(ids) == len(NOTE_TYPES)
    assert all((1 << 30) <= i < (1 << 31) for i in ids)
    assert not ids & GENANKI_BUILTIN_MODEL_IDS
    assert anki_ids.model_id("bonemets-quiz: Basic") == anki_ids.model_id("bonemets-quiz: Basic")
    assert anki_ids.model_id("bonemets-quiz: Basic", 2) != anki_ids.model_id("bonemets-quiz: Basic")


def test_reserved_ids_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    natural = anki_ids.stable_id("x")
    monkeypatch.setattr(anki_ids, "RESERVED_IDS", frozenset({natural}))
    assert anki_ids.stable_id("x") not in (natural,)
    assert (1 << 30) <= anki_ids.stable_id("x") < (1 << 31)


def test_deck_ids_differ_per_deck_and_topic() -> None:
    ids = {
        anki_ids.deck_id("a"),
        anki_ids.deck_id("a", "t1"),
        anki_ids.deck_id("a", "t2"),
        anki_ids.deck_id("b", "t1"),
    }
    assert len(ids) == 4


def test_guids_follow_question_ids_not_text(loaded: tuple[list, list]) -> None:
    _, questions = loaded
    q = questions[0]
    reworded = q._replace(prompt="Something else entirely?", answer="Different.")
    assert anki_ids.guid_key(reworded) == anki_ids.guid_key(q) == (q.deck_id, q.id)
    renamed = q._replace(id="test-deck/new/basic", replaces=(q.id, "test-deck/older/basic"))
    assert anki_ids.guid_key(renamed) == anki_ids.guid_key(q)
    other_deck = q._replace(deck_id="other", id=q.id.replace("test-deck", "other", 1))
    assert anki_ids.guid_key(other_deck) != anki_ids.guid_key(q)


def test_two_decks_with_the_same_fact_ids_never_share_a_guid(tmp_path: Path) -> None:
    write_deck(tmp_path, TEST_DECK.replace("id: test-deck", "id: twin-deck"), "twin.yaml")
    decks, questions = load(tmp_path / "twin.yaml")
    _, ours = load(write_deck(tmp_path, TEST_DECK))
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_apkg(decks, questions, a, now=NOW)
    export_apkg(decks, ours, b, now=NOW)
    assert len(_notes(a)) == len(questions)
    assert not set(_notes(a)) & set(_notes(b))


# ---------------------------------------------------------------- determinism and stamps


def test_same_bank_and_time_give_identical_bytes(loaded: tuple[list, list], tmp_path: Path) -> None:
    decks, questions = loaded
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    export_apkg(decks, questions, first, now=NOW)
    export_apkg(decks, questions, second, now=NOW)
    assert first.read_bytes() == second.read_bytes()


def test_the_package_never_depends_on_what_only_grading_reads(tmp_path: Path) -> None:
    """``export`` builds its bank without grading's vocabulary and near misses (it never uses
    them): the built-in deck's package is the same byte for byte either way."""
    from bonemets_quiz import generate_bank, load_decks

    decks = load_decks()
    graded, plain = tmp_path / "graded.apkg", tmp_path / "plain.apkg"
    export_apkg(decks, generate_bank(decks, 0), graded, now=NOW)
    export_apkg(decks, generate_bank(decks, 0, grading=False), plain, now=NOW)
    assert any(q.vocabulary for q in generate_bank(decks, 0))  # there is something to leave out
    assert graded.read_bytes() == plain.read_bytes()


def test_unchanged_notes_keep_their_stamp_across_exports(
    loaded: tuple[list, list], tmp_path: Path
) -> None:
    decks, questions = loaded
    apkg = tmp_path / "deck.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    before = _notes(apkg)
    assert {row[1] for row in before.values()} == {int(NOW.timestamp())}
    export_apkg(decks, questions, apkg, now=NOW + timedelta(days=3), previous=read_stamps(apkg))
    assert _notes(apkg) == before  # same GUIDs, note types, stamps, tags and fields


def test_changed_notes_get_the_new_stamp(loaded: tuple[list, list], tmp_path: Path) -> None:
    decks, questions = loaded
    apkg = tmp_path / "deck.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    changed = [
        q._replace(prompt=q.prompt + " (reworded)") if i == 2 else q
        for i, q in enumerate(questions)
    ]
    later = NOW + timedelta(days=1)
    export_apkg(decks, changed, apkg, now=later, previous=read_stamps(apkg))
    stamps = {row[1] for row in _notes(apkg).values()}
    mods = sorted(row[1] for row in _notes(apkg).values())
    assert stamps == {int(NOW.timestamp()), int(later.timestamp())}
    assert mods.count(int(later.timestamp())) == 1


def test_a_missing_or_foreign_previous_file_gives_no_stamps(tmp_path: Path) -> None:
    assert not read_stamps(tmp_path / "absent.apkg").notes
    (tmp_path / "text.apkg").write_text("not a zip")
    assert not read_stamps(tmp_path / "text.apkg").notes


def test_now_must_carry_a_time_zone(loaded: tuple[list, list], tmp_path: Path) -> None:
    decks, questions = loaded
    with pytest.raises(ValueError, match="timezone-aware"):
        export_apkg(decks, questions, tmp_path / "d.apkg", now=NOW.replace(tzinfo=None))
    assert not (tmp_path / "d.apkg").exists()


def test_progress_is_reported_per_note(loaded: tuple[list, list], tmp_path: Path) -> None:
    decks, questions = loaded
    steps: list[int] = []
    summary = export_apkg(decks, questions, tmp_path / "d.apkg", now=NOW, progress=steps.append)
    assert sum(steps) == summary.notes == len(questions)


# ---------------------------------------------------------------- escaping


def test_text_fields_are_escaped_and_html_fields_sanitised() -> None:
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)> & <b>bold</b>"
    escaped = field_html(payload, allow_html=False)
    assert "<" not in escaped and "&lt;script&gt;" in escaped and "&amp;" in escaped
    cleaned = field_html(payload, allow_html=True)
    assert cleaned == " &amp; <b>bold</b>"


def test_every_stored_field_of_the_test_deck_is_free_of_its_payload(
    loaded: tuple[list, list], tmp_path: Path
) -> None:
    decks, questions = loaded
    apkg = tmp_path / "d.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    for _, _, _, fields in _notes(apkg).values():
        assert "<script" not in str(fields) and "<img" not in str(fields)
    assert any("&lt;script&gt;" in str(fields) for *_, fields in _notes(apkg).values())


def test_tags_anki_cannot_hold_are_refused(loaded: tuple[list, list]) -> None:
    _, questions = loaded
    with pytest.raises(UsageError, match="no spaces"):
        note_specs(questions, tags=["two words"])


def test_retired_questions_already_in_the_bank_are_not_doubled(loaded: tuple[list, list]) -> None:
    _, questions = loaded
    specs = note_specs(
        questions, retired=[questions[0], questions[1]._replace(id="test-deck/x/basic")]
    )
    assert len(specs) == len(questions) + 1
    assert specs[-1].suspended and "retired" in specs[-1].tags


# ---------------------------------------------------------------- the file


def test_package_is_deflated_and_much_smaller_than_its_collection(
    loaded: tuple[list, list], tmp_path: Path
) -> None:
    decks, questions = loaded
    apkg = tmp_path / "d.apkg"
    summary = export_apkg(decks, questions, apkg, now=NOW)
    with zipfile.ZipFile(apkg) as archive:
        assert archive.testzip() is None
        info = archive.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size / 3
        assert json.loads(archive.read("media")) == {}
    assert summary.size == apkg.stat().st_size


def test_a_failed_export_leaves_the_old_file_and_no_temporary_files(
    loaded: tuple[list, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks, questions = loaded
    apkg = tmp_path / "d.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    old = apkg.read_bytes()

    def broken(handle: object, database: bytes, now: object, *media: object) -> None:
        handle.write(b"PK half a zip")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(anki, "write_package", broken)
    with pytest.raises(UsageError, match="the disk is full"):
        export_apkg(decks, questions, apkg, now=NOW + timedelta(days=1))
    assert apkg.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.apkg", "test-deck.yaml"]


def test_nothing_is_written_to_the_system_temp_dir(
    loaded: tuple[list, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks, questions = loaded
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = tmp_path / "out"
    out.mkdir()
    export_apkg(decks, questions, out / "d.apkg", now=NOW)
    assert list(system_temp.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["d.apkg"]


# ---------------------------------------------------------------- the command


def test_export_command_writes_the_builtin_deck_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--store", "no-store.sqlite3", "export", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["path"] == "bone-metastasis.apkg"
    assert (tmp_path / "bone-metastasis.apkg").stat().st_size == summary["bytes"]
    assert summary["notes"] == summary["cards"] > 100
    assert summary["suspended"] == 0
    assert all(name.startswith("Bone Metastasis::") for name in summary["decks"])
    assert not (tmp_path / "no-store.sqlite3").exists()  # exporting never creates a store


def test_export_command_options(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, TEST_DECK)
    out = tmp_path / "x.apkg"
    args = ["export", "--deck", str(deck), "-o", str(out), "--topic", "beta", "--kind", "cloze"]
    args += ["--title", "My::Title", "--tag", "extra::tag", "--limit", "3"]
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none.sqlite3"), *args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["notes"] == 3
    assert summary["decks"] == ["My:Title::Beta Topic"]
    tags = {row[2] for row in _notes(out).values()}
    assert all("extra::tag" in t and "bonemets::kind::cloze" in t for t in tags)
    human = CliRunner().invoke(cli, ["--store", str(tmp_path / "none.sqlite3"), *args])
    assert human.exit_code == 0
    assert f"Wrote {out}: 3 notes, 3 cards in 1 subdeck (" in human.output
    assert summary["questions"] == 3 and summary["format"] == "apkg"


def _export(tmp_path: Path, *args: str) -> Result:
    """`export` of the test deck, with a progress store that does not exist."""
    deck = write_deck(tmp_path, TEST_DECK)
    return CliRunner().invoke(
        cli, ["--store", str(tmp_path / "none.sqlite3"), "export", "--deck", str(deck), *args]
    )


@pytest.mark.parametrize(
    ("args", "written", "first_line"),
    [
        (["-o", "q.csv"], "q.csv", "#separator:comma"),
        (["-o", "q.gift.txt"], "q.gift.txt", "// "),
        (["--format", "gift", "-o", "q.gift"], "q.gift", "// "),
    ],
)
def test_export_format_follows_the_output_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], written: str, first_line: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _export(tmp_path, *args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / written).read_text().startswith(first_line)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "apkg", "-o", "q.csv"], "names a .csv file but --format is apkg"),
        (["-o", "q.txt"], "cannot tell the format from 'q.txt'"),
        (["-o", "-"], "an .apkg is a binary file"),
    ],
)
def test_export_refuses_an_ambiguous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _export(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.glob("q.*")) == []


def test_export_text_formats_to_standard_output(tmp_path: Path) -> None:
    result = _export(tmp_path, "-o", "-", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.startswith("#separator:comma\n")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tag", "two words"], "tag 'two words' cannot be used in Anki"),
        (["--topic", "nope"], "unknown topic nope"),
        (["-o", "missing-dir/x.apkg"], "folder missing-dir does not exist"),
    ],
)
def test_export_command_refuses_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    deck = write_deck(tmp_path, TEST_DECK)
    args = ["--store", "no-store.sqlite3", "export", "--deck", str(deck), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-deck.yaml"]


def test_command_module_loads_no_export_libraries() -> None:
    code = (
        "import sys, bonemets_quiz.cli.export as e; "
        "print(sorted(m for m in ('genanki', 'nh3', 'anki') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


# ---------------------------------------------------------------- stamps remembered per deck


def _mods(apkg: Path) -> dict[str, int]:
    with zipfile.ZipFile(apkg) as archive:
        data = archive.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    rows = conn.execute("SELECT flds, mod FROM notes").fetchall()
    conn.close()
    return {flds.split("\x1f")[-1]: mod for flds, mod in rows}


def test_an_export_to_a_new_file_keeps_the_stamps_of_unchanged_notes(
    loaded: tuple[list, list], tmp_path: Path
) -> None:
    decks, questions = loaded
    memory = tmp_path / "user-data" / "anki-stamps"
    export_apkg(decks, questions, tmp_path / "a.apkg", now=NOW, stamp_dir=memory)
    changed_id = questions[2].id
    changed = [
        q._replace(prompt=q.prompt + " (reworded)") if q.id == changed_id else q for q in questions
    ]
    later = NOW + timedelta(days=2)
    export_apkg(decks, changed, tmp_path / "b.apkg", now=later, stamp_dir=memory)
    mods = _mods(tmp_path / "b.apkg")
    assert mods[changed_id] == int(later.timestamp())
    assert {qid: mod for qid, mod in mods.items() if qid != changed_id} == {
        q.id: int(NOW.timestamp()) for q in questions if q.id != changed_id
    }
    assert sorted(p.name for p in memory.iterdir()) == ["test-deck.json"]


def test_the_export_command_remembers_stamps_in_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    deck = write_deck(tmp_path, TEST_DECK)
    base = ["--store", str(tmp_path / "none.sqlite3"), "export", "--deck", str(deck)]
    first = CliRunner().invoke(
        cli, [*base, "-o", str(tmp_path / "a.apkg"), "--now", "2025-03-01T12:00Z"]
    )
    assert first.exit_code == 0, first.output
    deck.write_text(TEST_DECK.replace("Which planet is called", "Which planet is known as"))
    later = ["-o", str(tmp_path / "b.apkg"), "--now", "2025-03-05T12:00Z"]
    second = CliRunner().invoke(cli, [*base, *later])
    assert second.exit_code == 0, second.output
    mods = _mods(tmp_path / "b.apkg")
    planet = "test-deck/boiling/multiple_choice/q-planet"
    assert mods.pop(planet) == int(datetime(2025, 3, 5, 12, tzinfo=UTC).timestamp())
    assert set(mods.values()) == {int(NOW.timestamp())}
    assert (tmp_path / "xdg" / "bonemets-quiz" / "anki-stamps" / "test-deck.json").is_file()


def test_a_damaged_stamp_memory_is_ignored_with_a_warning(
    loaded: tuple[list, list], tmp_path: Path
) -> None:
    decks, questions = loaded
    memory = tmp_path / "anki-stamps"
    memory.mkdir()
    (memory / "test-deck.json").write_text("{not json")
    summary = export_apkg(decks, questions, tmp_path / "a.apkg", now=NOW, stamp_dir=memory)
    assert any("damaged" in warning for warning in summary.warnings)
    assert json.loads((memory / "test-deck.json").read_text())["format"] == 1  # rewritten


# ---------------------------------------------------------------- an old .apkg read within bounds


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def test_a_zip_bomb_at_the_output_path_is_never_inflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _zip(tmp_path / "bomb.apkg", {"collection.anki2": bytes(20 * 1024 * 1024)})
    inflated: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def counting(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = real_read(self, n)
        inflated.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    stamps = read_stamps(bomb)
    assert not stamps.notes and "zip bomb" in stamps.problem
    assert sum(inflated) == 0


def test_odd_archives_are_ignored_with_a_reason(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.apkg", {f"entry-{i}": b"x" for i in range(40)})
    assert "entries" in read_stamps(many).problem
    big = tmp_path / "big.apkg"
    with big.open("wb") as handle:
        handle.truncate(anki_stamps.MAX_PACKAGE_BYTES + 1)  # sparse: costs no disk
    assert "larger than" in read_stamps(big).problem
    foreign = _zip(tmp_path / "foreign.apkg", {"collection.anki2": b"not sqlite" * 10})
    assert "not an Anki package" in read_stamps(foreign).problem
    fifo = tmp_path / "fifo.apkg"
    os.mkfifo(fifo)
    assert read_stamps(fifo) == anki_stamps.Stamps()  # not opened for a blocking read


def test_export_over_a_zip_bomb_warns_and_writes(tmp_path: Path) -> None:
    out = _zip(tmp_path / "out.apkg", {"collection.anki2": bytes(20 * 1024 * 1024)})
    result = _export(tmp_path, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output and "zip bomb" in result.output
    assert _notes(out)


# ---------------------------------------------------------------- the progress bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "terminal", "shown"),
    [
        ({}, True, True),
        ({"NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({}, False, False),
    ],
)
def test_the_progress_bar_is_drawn_only_on_a_terminal_without_no_color(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    terminal: bool,
    shown: bool,
) -> None:
    from bonemets_quiz.cli import export as export_cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stderr = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(export_cli, "sys", types.SimpleNamespace(stderr=stderr))
    monkeypatch.setattr(export_cli, "PROGRESS_THRESHOLD", 1)
    result = _export(tmp_path, "-o", str(tmp_path / "p.apkg"))
    assert result.exit_code == 0, result.output
    assert ("Writing notes" in stderr.getvalue()) is shown
    if not shown:
        assert stderr.getvalue() == ""
