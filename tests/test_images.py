"""Pictures in decks: the format, strict checks of the files, and every front end but Anki."""

from __future__ import annotations

import builtins
import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from deck_files import write_deck

from bonemets_quiz.bank import cache as bank_cache
from bonemets_quiz.bank.cache import load_bank
from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.lint.lint import lint_deck
from bonemets_quiz.bank.loading import check_decks, load_decks
from bonemets_quiz.cli import cli
from bonemets_quiz.cli import picture as picture_cli
from bonemets_quiz.deck import file_bytes as deck_bytes
from bonemets_quiz.deck import image_files as image_files_module
from bonemets_quiz.deck.model import Question
from bonemets_quiz.deck.png import encode_png, long_bone_diagram
from bonemets_quiz.educators.worksheet.html import render_html
from bonemets_quiz.educators.worksheet.sheet import build_worksheet
from bonemets_quiz.errors import DeckError
from bonemets_quiz.export.csv_export import render_csv
from bonemets_quiz.export.gift import render_gift

HEAD = """\
deck: {id: pics, title: Pictures, description: Pictures., source: {title: Src}}
topics: [{id: t, title: T}]
facts:
"""
FACT = """\
  - id: f{n}
    kind: definition
    topic: t
    section: S
    term: term {n}
    definition: meaning number {n}
    image: {image}
"""
PNG = encode_png([[(255, 0, 255)] * 8 for _ in range(6)])
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40
GIF = b"GIF89a" + b"\0" * 40
WEBP = b"RIFF\x20\0\0\0WEBPVP8 " + b"\0" * 40


def deck(folder: Path, *images: str, name: str = "deck.yaml") -> Path:
    text = HEAD + "".join(FACT.format(n=n, image=img) for n, img in enumerate(images, start=1))
    return write_deck(folder, text, name)


def problems(path: Path) -> list[str]:
    return [str(p) for p in check_decks([path]).problems]


def only_problem(path: Path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


# --- point 1: the format -------------------------------------------------------------------------


def test_a_fact_s_picture_goes_with_its_questions_and_an_authored_one_can_have_its_own(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.gif").write_bytes(GIF)
    text = HEAD + (
        "  - id: f\n    kind: definition\n    topic: t\n    section: S\n    term: bone\n"
        "    definition: hard tissue\n"
        "    image: {file: a.png, alt: A bone, caption: Cap, credit: Me, side: answer}\n"
        "    questions:\n"
        "      - id: q\n"
        '        prompt: "What is shown?"\n'
        "        answer: a bone\n"
        "        image: {file: b.gif, alt: A moving bone}\n"
    )
    (tmp_path / "d.yaml").write_text(text)
    (loaded,) = load_decks([tmp_path / "d.yaml"])
    image = loaded.facts[0].image
    assert image is not None
    assert (image.file, image.alt, image.caption, image.credit, image.side) == (
        "a.png",
        "A bone",
        "Cap",
        "Me",
        "answer",
    )
    assert image.path == str(tmp_path / "a.png")
    questions = {q.id: q for q in generate_bank([loaded])}
    assert questions["pics/f/basic"].image == image
    assert questions["pics/f/reversed"].image == image
    own = questions["pics/f/basic/q-q"].image
    assert own is not None and own.file == "b.gif" and own.side == "question"


@pytest.mark.parametrize(
    ("data", "name"),
    [(PNG, "x.png"), (JPEG, "x.jpg"), (JPEG, "x.JPEG"), (GIF, "x.gif"), (WEBP, "x.webp")],
)
def test_png_jpeg_gif_and_webp_are_accepted(tmp_path: Path, data: bytes, name: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert problems(deck(tmp_path, f"{{file: {name}, alt: A picture}}")) == []


def test_pictures_in_a_folder_inside_the_deck_s_folder_and_links_inside_it_are_fine(
    tmp_path: Path,
) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(PNG)
    (tmp_path / "link.png").symlink_to(tmp_path / "img" / "a.png")
    path = deck(tmp_path, "{file: img/a.png, alt: A}", "{file: link.png, alt: B}")
    assert problems(path) == []


# --- point 2: validation, one located error each -------------------------------------------------


def test_a_missing_picture_is_a_located_error(tmp_path: Path) -> None:
    path = deck(tmp_path, "{file: gone.png, alt: A picture}")
    assert only_problem(path) == (
        f"{path}:10:19: picture 'gone.png': no such file — check the path"
    )


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("../outside.png", "leaves the deck's folder"),
        ("img/../../outside.png", "leaves the deck's folder"),
        ("ABSOLUTE", "is not relative to the deck's folder"),
        ("img\\\\..\\\\..\\\\outside.png", "is not relative to the deck's folder"),
    ],
)
def test_paths_that_leave_the_deck_s_folder_are_refused(
    tmp_path: Path, file: str, says: str
) -> None:
    (tmp_path / "outside.png").write_bytes(PNG)
    folder = tmp_path / "deck"
    (folder / "img").mkdir(parents=True)
    file = str(tmp_path / "outside.png") if file == "ABSOLUTE" else file
    message = only_problem(deck(folder, f'{{file: "{file}", alt: A picture}}'))
    assert says in message and ":10:19:" in message


def test_a_link_to_a_file_outside_is_refused_and_that_file_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "inside.png").symlink_to(secret)
    (folder / "dir").symlink_to(tmp_path)
    path = deck(folder, "{file: inside.png, alt: A}", "{file: dir/secret.png, alt: B}")
    opened: list[str] = []
    real_open, real_builtin_open = os.open, builtins.open

    def record_os_open(name: object, *args: object, **kwargs: object) -> int:
        opened.append(os.path.realpath(os.fspath(name)))  # type: ignore[arg-type]
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    def record_open(name: object, *args: object, **kwargs: object) -> object:
        if isinstance(name, (str, os.PathLike)):
            opened.append(os.path.realpath(os.fspath(name)))
        return real_builtin_open(name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(deck_bytes.os, "open", record_os_open)
    monkeypatch.setattr(builtins, "open", record_open)
    found = problems(path)
    assert len(found) == 2
    assert all("is a link to a file outside the deck's folder" in p for p in found)
    assert str(path) in opened  # the recorder sees the deck being read…
    assert str(secret) not in opened  # …and never the file outside


def test_unreadable_pictures_are_located_errors(tmp_path: Path) -> None:
    (tmp_path / "folder.png").mkdir()
    os.mkfifo(tmp_path / "pipe.png")
    locked = tmp_path / "locked.png"
    locked.write_bytes(PNG)
    locked.chmod(0)
    images = [
        "{file: folder.png, alt: A}",
        "{file: pipe.png, alt: B}",
        "{file: locked.png, alt: C}",
    ]
    found = problems(deck(tmp_path, *images))
    assert any("folder.png': is a directory" in p for p in found)
    assert any("pipe.png': is not a regular file (it is a FIFO" in p for p in found)
    if os.geteuid() != 0:  # root reads any file
        assert any("locked.png': cannot read: Permission denied" in p for p in found)
    assert all(re.match(r".*deck\.yaml:\d+:19: ", p) for p in found)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("x.png", JPEG, "named as PNG but holds a JPEG image — rename it to end in .jpg"),
        ("x.jpg", PNG, "named as JPEG but holds a PNG image"),
        ("x.gif", b"just text", "is not a GIF image"),
        ("x.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not a PNG"),
        ("x.bmp", b"BM" + b"\0" * 20, "is not a PNG, JPEG, GIF or WebP file name"),
        ("x.png", b"", "is not a PNG image"),
    ],
)
def test_bytes_that_are_not_the_type_the_name_claims_are_refused(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    (tmp_path / name).write_bytes(data)
    assert says in only_problem(deck(tmp_path, f"{{file: {name}, alt: A picture}}"))


@pytest.mark.parametrize("name", ["x.svg", "x.SVG", "x.svgz"])
def test_svg_is_refused_even_when_it_is_well_formed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    message = only_problem(deck(tmp_path, f"{{file: {name}, alt: A picture}}"))
    assert "is SVG, which can carry scripts — convert it to PNG" in message


def test_a_picture_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.write(PNG)
        handle.truncate(image_files_module.MAX_IMAGE_BYTES + 1)  # sparse: nothing to read
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(deck_bytes.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    message = only_problem(deck(tmp_path, "{file: big.png, alt: A picture}"))
    assert "file is" not in message
    assert f"{image_files_module.MAX_IMAGE_BYTES + 1} bytes, over the 2 MiB limit" in message
    assert "make the picture smaller" in message
    assert len(reads) == 2  # the deck's bytes, then its end: the picture is never read


def test_two_different_pictures_that_would_share_a_media_name_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.png").write_bytes(encode_png([[(0, 0, 0)]]))
    (tmp_path / "same.png").write_bytes(PNG)
    monkeypatch.setattr(image_files_module, "media_name", lambda data, kind: "clash.png")
    path = deck(
        tmp_path, "{file: a.png, alt: A}", "{file: same.png, alt: S}", "{file: b.png, alt: B}"
    )
    message = only_problem(path)  # the same bytes under two names are one media file: fine
    assert ":24:19: picture 'b.png' would take the name clash.png in Anki's media folder" in message
    assert "as the different picture 'a.png' does" in message


@pytest.mark.parametrize(
    ("image", "says"),
    [
        ("{file: a.png}", "image is missing the required key 'alt'"),
        ('{file: a.png, alt: ""}', "image alt text is empty"),
        ("{file: a.png, alt: A, side: back}", "unknown image side 'back' — use question or answer"),
        ("{alt: A}", "image is missing the required key 'file'"),
        ("{file: a.png, alt: A, colour: red}", "unknown key 'colour' in image"),
    ],
)
def test_missing_alt_text_and_other_mistakes_are_errors(
    tmp_path: Path, image: str, says: str
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    assert says in only_problem(deck(tmp_path, image))


def test_alt_text_repeating_the_file_name_is_a_lint_warning(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "spine-xray.png").write_bytes(PNG)
    images = [
        "{file: img/spine-xray.png, alt: spine-xray.png}",
        "{file: img/spine-xray.png, alt: Spine xray}",
        "{file: img/spine-xray.png, alt: Side view of the spine on an X-ray}",
    ]
    path = deck(tmp_path, *images)
    (loaded,) = load_decks([path])
    warnings = [p for p in lint_deck(loaded, generate_bank([loaded])) if "alt text" in p.message]
    assert [(p.line, p.severity) for p in warnings] == [(4, "warning"), (11, "warning")]
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert "only repeats its file name" in result.output


def test_validate_reports_every_picture_problem_located_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.svg").write_text("<svg/>")
    path = deck(
        tmp_path, "{file: gone.png, alt: A}", "{file: ../up.png, alt: B}", "{file: x.svg, alt: C}"
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:10:19",
        f"{path}:17:19",
        f"{path}:24:19",
    ]


def test_no_command_runs_on_a_deck_whose_picture_is_refused(tmp_path: Path) -> None:
    path = deck(tmp_path, "{file: gone.png, alt: A}")
    for args in (["export", "-o", str(tmp_path / "x.apkg")], ["worksheet"], ["study"]):
        result = CliRunner().invoke(
            cli, ["--store", str(tmp_path / "s.db"), *args, "--deck", str(path)], input=":q\n"
        )
        assert result.exit_code == 2, args
        assert "picture 'gone.png': no such file" in result.output
    assert not (tmp_path / "x.apkg").exists()


# --- point 4: identity ---------------------------------------------------------------------------


def test_changing_a_picture_keeps_every_question_id(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.jpg").write_bytes(JPEG)
    without = HEAD + FACT.format(n=1, image="null").replace("    image: null\n", "")
    (tmp_path / "d.yaml").write_text(without)
    ids = [q.id for q in generate_bank(load_decks([tmp_path / "d.yaml"]))]
    for image in ("{file: a.png, alt: A}", "{file: b.jpg, alt: Other, side: answer}"):
        path = deck(tmp_path, image, name="d.yaml")
        assert [q.id for q in generate_bank(load_decks([path]))] == ids


def test_questions_keep_their_picture_through_to_dict_and_the_bank_cache(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    path = deck(tmp_path, "{file: a.png, alt: A, caption: C, credit: D, side: answer}")
    cache = tmp_path / "cache"
    built = load_bank([path], cache=str(cache))
    assert all(q.image is not None for q in built.questions)
    for question in built.questions:
        assert Question.from_dict(json.loads(json.dumps(question.to_dict()))) == question
    again = load_bank([path], cache=str(cache))
    assert again.questions == built.questions
    pictures = {"deck/question.py", "deck/image.py", "deck/image_files.py"}
    assert pictures <= set(bank_cache.bank_sources())


# --- point 3: terminal ---------------------------------------------------------------------------


def _study(tmp_path: Path, answers: str, **env: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "s.db"), "study", "--deck", str(tmp_path / "deck.yaml")],
        input=answers,
        env={
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "BONEMETS_QUIZ_NOW": "2026-03-10T09:00:00+00:00",
            "BONEMETS_QUIZ_TZ": "UTC",
            "BONEMETS_QUIZ_SEED": "1",
            "COLUMNS": "100",
            **env,
        },
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return " ".join(result.output.split())  # lines are wrapped to the terminal's width


def test_study_marks_the_picture_and_i_opens_it_with_the_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck(tmp_path, "{file: a.png, alt: A magenta square, caption: Not a bone}")
    launched: list[str] = []
    monkeypatch.setattr(picture_cli, "launch", lambda path: launched.append(path) or True)
    output = _study(tmp_path, ":i\n:q\n")
    assert "[Picture: A magenta square] Not a bone" in output
    assert "(:i opens the picture)" in output
    assert launched == [str((tmp_path / "a.png").resolve())]
    assert f"Opened {(tmp_path / 'a.png').resolve()} in the image viewer." in output


def test_study_without_an_image_viewer_says_so_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck(tmp_path, "{file: a.png, alt: A magenta square}")
    monkeypatch.setattr(picture_cli.shutil, "which", lambda name: None)
    monkeypatch.setattr(picture_cli.sys, "platform", "linux")
    output = _study(tmp_path, ":i\n:q\n")
    assert "No image viewer found: the picture is" in output
    assert "Session: 0 answered" in output


def test_study_when_the_picture_is_gone_or_the_viewer_fails_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck(tmp_path, "{file: a.png, alt: A magenta square}")
    _study(tmp_path, ":q\n")  # the bank is cached with the picture
    (tmp_path / "a.png").unlink()
    monkeypatch.setattr(picture_cli, "launch", lambda path: pytest.fail("nothing to launch"))
    output = _study(tmp_path, ":i\n:q\n")
    assert "Cannot open the picture:" in output and "is gone." in output
    (tmp_path / "a.png").write_bytes(PNG)

    def broken(path: str) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(picture_cli, "launch", broken)
    assert "Cannot open the picture: Permission denied." in _study(tmp_path, ":i\n:q\n")


def test_an_answer_side_picture_shows_only_after_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck(tmp_path, "{file: a.png, alt: A magenta square, side: answer}")
    launched: list[str] = []
    monkeypatch.setattr(picture_cli, "launch", lambda path: launched.append(path) or True)
    output = _study(tmp_path, ":i\n\n:i\n:q\n")
    prompt_at = output.index("Press Enter to reveal")
    picture_at = output.index("[Picture: A magenta square]")
    assert picture_at > output.index("Answer:") > prompt_at
    assert "reveal the answer. :i No picture is shown. Press Enter" in output  # not revealed
    assert output.count("No picture is shown.") == 1 and len(launched) == 1  # after: it opens


# --- point 3: worksheets, GIFT, CSV --------------------------------------------------------------


def _sheet_deck(tmp_path: Path) -> Path:
    (tmp_path / "img").mkdir(exist_ok=True)
    (tmp_path / "img" / "q.png").write_bytes(PNG)
    (tmp_path / "img" / "a.png").write_bytes(encode_png([[(0, 200, 200)] * 8] * 6))
    return deck(
        tmp_path,
        "{file: img/q.png, alt: Magenta <square>, caption: Cap & more}",
        "{file: img/a.png, alt: A cyan square, side: answer}",
    )


def test_html_worksheet_embeds_each_picture_with_its_question(tmp_path: Path) -> None:
    decks = load_decks([_sheet_deck(tmp_path)])
    sheet = build_worksheet(decks, generate_bank(decks), 2, 1, "end")
    page = render_html(sheet)
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page)
    assert {alt for _, alt in sources} == {"Magenta &lt;square&gt;", "A cyan square"}
    assert all(src.startswith("data:image/png;base64,") for src, _ in sources)
    question = re.search(r'<li class="question" id="q1">.*?</li>', page, re.DOTALL)
    assert question and "Magenta &lt;square&gt;" in question.group(0)  # inside its question
    assert "Cap &amp; more" in question.group(0)
    key = page[page.index('class="key"') :]
    assert "A cyan square" in key  # the answer-side picture: in the key, not the question
    assert ".picture { break-inside: avoid;" in page and "max-width: 100%" in page


def test_markdown_worksheet_links_pictures_relative_to_its_own_folder(tmp_path: Path) -> None:
    path = _sheet_deck(tmp_path)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.md"
    result = CliRunner().invoke(
        cli, ["worksheet", "--deck", str(path), "--count", "2", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "![Magenta \\<square\\>](<../img/q.png>) *Cap \\& more*" in text
    assert "(after answering) ![A cyan square](<../img/a.png>)" in text


def test_gift_and_csv_carry_the_alt_text(tmp_path: Path) -> None:
    decks = load_decks([_sheet_deck(tmp_path)])
    questions = generate_bank(decks)
    gift = render_gift(questions, "Pictures")
    assert "[Picture\\: Magenta <square>] Cap & more" in gift
    assert "####[Picture\\: A cyan square]" in gift  # answer side: the feedback
    assert "data:" not in gift and "<img" not in gift
    rows = list(csv.reader(io.StringIO(render_csv(questions, anki_headers=False))))
    by_fact = {row[2]: row for row in rows}
    assert any("[Picture: Magenta <square>] Cap & more" in row[0] for row in rows)
    assert any("[Picture: A cyan square]" in row[1] and "Picture" not in row[0] for row in rows)
    assert by_fact


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and PDFTOPPM), reason="needs chromium and poppler-utils")
def test_html_worksheet_with_pictures_prints_with_every_picture_drawn(tmp_path: Path) -> None:
    from test_worksheet import print_to_pdf

    decks = load_decks([_sheet_deck(tmp_path)])
    sheet = build_worksheet(decks, generate_bank(decks), 2, 1, "inline")
    html, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    html.write_text(render_html(sheet), encoding="utf-8")
    print_to_pdf(html, pdf, tmp_path / "profile")
    subprocess.run(
        [PDFTOPPM, "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    ppm = next(tmp_path.glob("page*.ppm")).read_bytes()
    magic, _size, depth, pixels = ppm.split(b"\n", 3)
    assert magic == b"P6" and depth == b"255"
    colours = [tuple(pixels[i : i + 3]) for i in range(0, len(pixels) - 2, 3)]

    def drawn(target: tuple[int, int, int]) -> int:  # pixels of that colour (print may round)
        near = (max(abs(a - b) for a, b in zip(c, target, strict=True)) <= 3 for c in colours)
        return sum(near)

    # a broken-image icon is grey and tiny: these colours appear only where the pictures are
    assert drawn((255, 0, 255)) >= 4, "the magenta question picture is drawn"
    assert drawn((0, 200, 200)) >= 4, "the cyan answer picture is drawn"


# --- point 1: init and the tiny PNG writer --------------------------------------------------------


def test_the_png_writer_makes_valid_pngs() -> None:
    data = long_bone_diagram()
    assert image_files_module.sniffed_type(data) == image_files_module.PNG
    assert data[12:16] == b"IHDR" and int.from_bytes(data[16:20], "big") == 120
    assert len(data) < 2048


def test_init_writes_a_picture_the_starter_deck_shows_once_uncommented(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "long-bone.png").read_bytes() == long_bone_diagram()
    assert "Wrote" in result.output and "long-bone.png" in result.output
    text = target.read_text()
    block = re.search(r"    # image:\n((?:    #   .*\n)+)", text)
    assert block is not None
    shown = text.replace(block.group(0), re.sub(r"(?m)^    # ", "    ", block.group(0)))
    target.write_text(shown)
    (loaded,) = load_decks([target])
    pictured = [f for f in loaded.facts if f.image is not None]
    assert len(pictured) == 1 and pictured[0].image.file == "long-bone.png"  # type: ignore[union-attr]
    again = CliRunner().invoke(cli, ["init", str(tmp_path / "other.yaml")])
    assert again.exit_code == 0  # the picture already there is kept, not overwritten
    assert (tmp_path / "long-bone.png").read_bytes() == long_bone_diagram()


def test_a_deck_error_from_a_picture_is_a_deck_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match=r"gone\.png"):
        load_decks([deck(tmp_path, "{file: gone.png, alt: A}")])
