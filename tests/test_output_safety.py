"""Every command that writes a file goes through one check: nothing an output may not replace is
replaced, streams are written into, and every write error is one line and exit 2."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from anki_testkit import TEST_DECK
from click.testing import CliRunner, Result
from deck_files import write_deck

from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.export import atomic
from bonemets_quiz.export.output import OutputRefused, check_output

# command line (after the global options) that writes to OUT, reading the deck DECK
WRITERS = {
    "export-csv": ["export", "--deck", "DECK", "--format", "csv", "-o", "OUT"],
    "export-gift": ["export", "--deck", "DECK", "--format", "gift", "-o", "OUT"],
    "export-apkg": ["export", "--deck", "DECK", "--format", "apkg", "-o", "OUT"],
    # --count within the deck's facts: no sibling warning beside the one refusal line
    "worksheet": ["worksheet", "--deck", "DECK", "--count", "5", "-o", "OUT"],
    "worksheet-html": [
        "worksheet",
        "--deck",
        "DECK",
        "--count",
        "5",
        "--format",
        "html",
        "-o",
        "OUT",
    ],
    "schema": ["schema", "-o", "OUT"],
}


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    return write_deck(tmp_path, TEST_DECK, "deck.yaml")


def run(tmp_path: Path, writer: str, out: str | Path, deck: Path | None = None) -> Result:
    args = [
        str(deck or tmp_path / "deck.yaml") if a == "DECK" else str(out) if a == "OUT" else a
        for a in WRITERS[writer]
    ]
    return CliRunner().invoke(cli, ["--store", str(tmp_path / "store.sqlite3"), *args])


def assert_refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1, result.output  # one line
    assert result.output.startswith("Error: cannot write "), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output, result.output


# ------------------------------------------------------------ inputs are never outputs


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_equal_to_the_input_deck_is_refused(tmp_path: Path, deck: Path, writer: str) -> None:
    result = run(tmp_path, writer, deck)
    assert_refused(result)
    assert deck.read_text(encoding="utf-8") == TEST_DECK


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet"])
def test_input_deck_under_another_name_is_refused(tmp_path: Path, deck: Path, writer: str) -> None:
    """The same file through a hard link or a symbolic link is still the deck."""
    hard = tmp_path / "hard-link.txt"
    os.link(deck, hard)
    soft = tmp_path / "soft-link.txt"
    soft.symlink_to(deck)
    for out in (hard, soft):
        assert_refused(run(tmp_path, writer, out), "input of this command")
    assert deck.read_text(encoding="utf-8") == TEST_DECK
    assert soft.is_symlink()


def test_deck_files_of_a_deck_directory_are_inputs(tmp_path: Path, deck: Path) -> None:
    result = run(tmp_path, "worksheet", deck, deck=tmp_path)
    assert_refused(result, "input of this command")
    assert deck.read_text(encoding="utf-8") == TEST_DECK


def test_the_progress_store_is_never_an_output(tmp_path: Path, deck: Path) -> None:
    store = tmp_path / "store.sqlite3"
    store.write_bytes(b"SQLite format 3\x00 pretend")
    assert_refused(run(tmp_path, "export-csv", store), "progress store")
    assert store.read_bytes() == b"SQLite format 3\x00 pretend"


def test_the_builtin_deck_is_an_input_when_no_deck_is_given(tmp_path: Path) -> None:
    builtin = builtin_deck_path()
    before = builtin.read_bytes()
    store = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(cli, ["--store", store, "worksheet", "-o", str(builtin)])
    assert_refused(result, "input of this command")
    assert builtin.read_bytes() == before


def test_an_existing_yaml_file_is_never_replaced(tmp_path: Path) -> None:
    """`schema` reads no deck, but a .yaml file is one: it is not replaced."""
    other = tmp_path / "another-deck.yml"
    other.write_text("deck: {}\n")
    assert_refused(run(tmp_path, "schema", other), ".yaml")
    assert other.read_text() == "deck: {}\n"


# ------------------------------------------------------------ what is there already


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_read_only_file_is_not_replaced(tmp_path: Path, deck: Path, writer: str) -> None:
    out = tmp_path / "kept.out"
    out.write_text("the teacher's copy")
    out.chmod(0o444)
    assert_refused(run(tmp_path, writer, out), "read-only")
    assert out.read_text() == "the teacher's copy"


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_symbolic_link_is_refused_and_says_where_it_points(
    tmp_path: Path, deck: Path, writer: str
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "link.out"
    link.symlink_to(target)
    assert_refused(run(tmp_path, writer, link), "symbolic link", str(target))
    assert target.read_text() == "keep me" and link.is_symlink()
    dangling = tmp_path / "dangling.out"
    dangling.symlink_to(tmp_path / "nowhere")
    assert_refused(run(tmp_path, writer, dangling), "symbolic link")
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_device_is_refused(tmp_path: Path, deck: Path, writer: str) -> None:
    assert_refused(run(tmp_path, writer, "/dev/full"), "device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path, deck: Path, writer: str) -> None:
    fifo = tmp_path / "pipe.out"
    os.mkfifo(fifo)
    # the reading end is open first (so the command's open does not wait) and never blocks
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run(tmp_path, writer, fifo)
        assert result.exit_code == 0, result.output
        received = b""
        while chunk := _read_available(reader):
            received += chunk
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received.startswith((b"#separator", b"PK", b"# ", b"<!DOCTYPE", b"{"))
    assert len(received) > 100


def _read_available(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


@pytest.mark.parametrize("name", ["/dev/stdout", "/proc/self/fd/1"])
def test_standard_output_is_written_into(tmp_path: Path, deck: Path, name: str) -> None:
    command = [sys.executable, "-m", "bonemets_quiz", "--store", str(tmp_path / "s.sqlite3")]
    command += ["export", "--deck", str(deck), "--format", "csv", "-o", name]
    done = subprocess.run(command, capture_output=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"#separator:comma\n")
    assert b"Wrote" not in done.stdout and b"Wrote" in done.stderr  # the summary stays apart
    assert os.path.islink("/dev/stdout")


def test_standard_output_that_is_the_deck_is_refused(tmp_path: Path, deck: Path) -> None:
    command = [sys.executable, "-m", "bonemets_quiz", "--store", str(tmp_path / "s.sqlite3")]
    command += ["export", "--deck", str(deck), "--format", "csv", "-o", "/dev/stdout"]
    with deck.open("ab") as appended:  # `… -o /dev/stdout >> deck.yaml`
        done = subprocess.run(command, stdout=appended, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 2
    assert b"input of this command" in done.stderr and b"Traceback" not in done.stderr
    assert deck.read_text(encoding="utf-8") == TEST_DECK


def test_schema_to_standard_output_is_only_the_schema(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bonemets_quiz", "schema", "-o", "/dev/stdout"]
    done = subprocess.run(command, capture_output=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)  # nothing but the schema


# ------------------------------------------------------------ errors while writing


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_name_too_long_for_the_file_system_is_one_line(
    tmp_path: Path, deck: Path, writer: str
) -> None:
    assert_refused(run(tmp_path, writer, tmp_path / ("n" * 300 + ".out")), "too long")
    assert_refused(run(tmp_path, writer, tmp_path / ("d" * 300) / "x.out"), "too long")


def test_init_with_a_name_too_long_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / ("n" * 300 + ".yaml"))])
    assert_refused(result, "too long")
    deeper = CliRunner().invoke(cli, ["init", str(tmp_path / ("d" * 300) / "x.yaml")])
    assert_refused(deeper, "too long")


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_file_where_a_folder_should_be_is_one_line(
    tmp_path: Path, deck: Path, writer: str
) -> None:
    (tmp_path / "plain.txt").write_text("x")
    assert_refused(run(tmp_path, writer, tmp_path / "plain.txt" / "x.out"), "not a folder")
    assert_refused(run(tmp_path, writer, tmp_path / "missing" / "x.out"), "does not exist")


@pytest.mark.parametrize("writer", ["export-csv", "export-apkg", "worksheet", "schema"])
def test_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, deck: Path, writer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = tmp_path / "out.data"
    out.write_text("old")
    assert_refused(run(tmp_path, writer, out), "disk is full")
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml", "out.data"]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_any_error_creating_the_file_is_one_line(
    tmp_path: Path, deck: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    for writer in ("export-csv", "export-apkg", "worksheet", "schema"):
        assert_refused(run(tmp_path, writer, tmp_path / "x.out"), words)
    assert not (tmp_path / "x.out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_without_permission_is_one_line(tmp_path: Path, deck: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert_refused(run(tmp_path, "export-csv", locked / "x.csv"), "permission")


def test_check_output_names_what_it_refuses(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OutputRefused, match="it is a folder"):
        check_output(folder)
    assert check_output(tmp_path / "new.csv").stream is False
    assert check_output("/dev/null").stream is True
