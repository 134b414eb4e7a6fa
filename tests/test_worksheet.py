"""Worksheets: which questions, how each is laid out, escaping, and how the HTML prints."""

from __future__ import annotations

import itertools
import random
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from bonemets_quiz.bank.generate import generate_bank, generate_questions
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.model import Question, QuestionKind
from bonemets_quiz.educators.worksheet.html import render_html
from bonemets_quiz.educators.worksheet.markdown import md_escape, render_markdown
from bonemets_quiz.educators.worksheet.sheet import build_worksheet, layout, pick
from bonemets_quiz.text.normalize import normalize

BUILTIN = load_deck(builtin_deck_path())
BANK = generate_questions(BUILTIN)

HOSTILE = """\
deck:
  id: hostile
  title: "<script>alert('title')</script> & *stars*"
  description: "A deck whose text tries <b>markup</b> and [links](http://x)."
  source:
    title: "<img src=x onerror=alert(1)>"
topics:
  - id: t
    title: T
facts:
  - id: tag-term
    kind: definition
    topic: t
    section: "<i>section</i>"
    term: "<script>alert(1)</script>"
    definition: "a term that is a script tag & *emphasis* | pipe"
    distractors: ["<b>bold</b>", "_under_", "`code`"]
    note: "<iframe src=x></iframe> note"
    html: true
  - id: cloze
    kind: statement
    topic: t
    section: S
    text: "Blank {{<u>here</u>}} and *there*."
"""


def init_deck(tmp_path: Path, deck_id: str, title: str) -> Path:
    path = tmp_path / f"{deck_id}.yaml"
    result = CliRunner().invoke(cli, ["init", str(path), "--id", deck_id, "--title", title])
    assert result.exit_code == 0, result.output
    return path


# --- choosing questions ---------------------------------------------------------------------------


def test_pick_is_deterministic_for_a_seed_and_varies_with_it() -> None:
    first = [q.id for q in pick(BANK, 20, random.Random(1))]
    assert first == [q.id for q in pick(BANK, 20, random.Random(1))]
    assert first != [q.id for q in pick(BANK, 20, random.Random(2))]


def test_pick_takes_one_question_per_fact_while_that_is_enough() -> None:
    facts = len(BUILTIN.facts)
    for seed in range(5):
        chosen = pick(BANK, facts, random.Random(seed))
        assert len(chosen) == facts
        assert len({q.sibling_key for q in chosen}) == facts, "no two siblings"
        order = [BANK.index(q) for q in chosen]
        assert order == sorted(order), "questions stay in deck order"


def test_pick_adds_siblings_only_when_count_needs_them() -> None:
    facts = len(BUILTIN.facts)
    chosen = pick(BANK, facts + 5, random.Random(0))
    per_fact = Counter(q.sibling_key for q in chosen)
    assert len(per_fact) == facts and sorted(per_fact.values())[-5:] == [2] * 5
    everything = pick(BANK, 10_000, random.Random(0))
    assert [q.id for q in everything] == [q.id for q in BANK]


def test_pick_mixes_kinds_instead_of_echoing_the_bank() -> None:
    chosen = pick(BANK, len(BUILTIN.facts), random.Random(3))
    kinds = Counter(q.kind for q in chosen)
    bank_kinds = Counter(q.kind for q in BANK)
    assert len(kinds) == len(bank_kinds), "every kind the bank has appears"
    assert kinds[QuestionKind.CLOZE] / len(chosen) < bank_kinds[QuestionKind.CLOZE] / len(BANK)


def test_layout_of_each_kind() -> None:
    by_kind = {q.kind: q for q in BANK}
    mc = layout(1, by_kind[QuestionKind.MULTIPLE_CHOICE])
    assert mc.choices == by_kind[QuestionKind.MULTIPLE_CHOICE].options
    assert mc.key == f"{'ABCD'[mc.question.correct_option or 0]}. {mc.question.answer}"
    tf = layout(2, by_kind[QuestionKind.TRUE_FALSE])
    assert tf.choices == ("True", "False") and tf.key in ("True", "False")
    cloze = layout(3, by_kind[QuestionKind.CLOZE])
    assert len(cloze.parts) == 2 and "[...]" not in "".join(cloze.parts) and cloze.lines == 0
    recall = layout(4, by_kind[QuestionKind.LIST_RECALL])
    assert recall.lines == len(recall.question.items or ())
    assert layout(5, by_kind[QuestionKind.REVERSED]).lines == 1
    assert layout(6, by_kind[QuestionKind.BASIC]).lines == 3


def _gives_away(a: Question, b: Question) -> bool:
    """Independent of the code under test: siblings, or an answer written in the other prompt."""

    def answers(q: Question) -> list[str]:
        if q.kind is QuestionKind.TRUE_FALSE:
            return []
        return [normalize(t) for t in (q.items or q.accepted or (q.answer,)) if normalize(t)]

    def inside(answer: str, q: Question) -> bool:
        return re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", normalize(q.prompt)) is not None

    return (
        a.sibling_key == b.sibling_key
        or any(inside(x, b) for x in answers(a))
        or any(inside(x, a) for x in answers(b))
    )


@pytest.mark.parametrize("count", [20, 60, 144])
def test_no_two_neighbours_give_each_other_away(count: int) -> None:
    for seed in range(4):
        sheet = build_worksheet([BUILTIN], BANK, count, seed)
        chosen = [item.question for item in sheet.items]
        assert sorted(q.id for q in chosen) == sorted(q.id for q in pick(BANK, count, _rng(seed)))
        clashes = [(a.id, b.id) for a, b in itertools.pairwise(chosen) if _gives_away(a, b)]
        assert not clashes, f"seed {seed}: neighbours that give each other away: {clashes[:3]}"


def _rng(seed: int) -> random.Random:
    return random.Random(f"worksheet:{seed}")


ANSWER_EACH_OTHER = """deck: {id: pair, title: Pair, description: D, source: {title: S}}
topics: [{id: t, title: T}]
facts:
  - {id: a, kind: definition, topic: t, section: S, term: osteoclast,
     definition: a cell that dissolves bone}
  - {id: b, kind: definition, topic: t, section: S, term: bisphosphonate,
     definition: a drug that slows down each osteoclast}
  - {id: c, kind: definition, topic: t, section: S, term: femur, definition: the thigh bone}
  - {id: d, kind: definition, topic: t, section: S, term: marrow, definition: the soft core}
  - {id: e, kind: definition, topic: t, section: S, term: rib, definition: a curved chest bone}
"""


def test_a_question_is_never_next_to_one_whose_prompt_holds_its_answer() -> None:
    deck = parse_deck(ANSWER_EACH_OTHER, "pair.yaml")
    reversed_only = [q for q in generate_bank([deck]) if q.kind is QuestionKind.REVERSED]
    for seed in range(6):
        sheet = build_worksheet([deck], reversed_only, 5, seed)
        order = [item.question.fact_id for item in sheet.items]
        assert sorted(order) == ["a", "b", "c", "d", "e"]
        apart = abs(order.index("a") - order.index("b"))
        assert apart > 1, f"seed {seed}: {order}: b's prompt names a's answer"


def test_siblings_are_used_only_with_a_warning(tmp_path: Path) -> None:
    facts = len(BUILTIN.facts)
    assert build_worksheet([BUILTIN], BANK, facts, 0).warnings == ()
    sheet = build_worksheet([BUILTIN], BANK, facts + 5, 0)
    assert len(sheet.warnings) == 1
    assert f"{facts + 5} questions from {facts} facts: 5 are a second question" in sheet.warnings[0]
    result = CliRunner().invoke(cli, ["worksheet", "--count", str(facts + 5)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {sheet.warnings[0]}." in result.stderr
    assert "Warning" not in result.stdout, "the sheet itself never carries the warning"
    quiet = CliRunner().invoke(cli, ["worksheet", "--count", str(facts)])
    assert quiet.stderr == ""


# --- rendering ------------------------------------------------------------------------------------


def test_html_escapes_deck_text_and_sanitises_html_facts() -> None:
    deck = parse_deck(HOSTILE, "hostile.yaml")
    bank = generate_bank([deck])
    for answers in ("end", "inline"):
        page = render_html(build_worksheet([deck], bank, 50, 0, answers))
        assert "<script" not in page and "<iframe" not in page and "<img" not in page
        assert "alert(1)</" not in page and "iframe" not in page, "dropped with their content"
        assert "<u>" not in page and "<i>" not in page, "text of plain facts stays text"
        assert "&lt;u&gt;here&lt;/u&gt;" in page
        assert answers != "end" or "&lt;i&gt;section&lt;/i&gt;" in page, "key: id · section"
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<li><b>bold</b></li>" in page, "an html: true fact's markup is rendered"
        assert "&lt;b&gt;bold" not in page


def test_markdown_escapes_deck_text() -> None:
    assert md_escape("*a* _b_ <i>c</i> [d](e) `f` a|b") == (
        r"\*a\* \_b\_ \<i\>c\</i\> \[d\](e) \`f\` a\|b"
    )
    deck = parse_deck(HOSTILE, "hostile.yaml")
    text = render_markdown(build_worksheet([deck], generate_bank([deck]), 50, 0))
    assert "<script>" not in text and r"\<script\>" in text
    assert "*stars*" not in text.replace(r"\*stars\*", "")


HTML_FACT = """\
deck: {id: marked, title: Marked, description: D, source: {title: S}}
topics: [{id: t, title: T}]
facts:
  - id: bold
    kind: definition
    topic: t
    section: S
    term: "<b>osteoclast</b>"
    definition: "a cell that <i>dissolves</i> bone &amp; frees calcium<script>x()</script>"
    note: "Low <sub>2</sub> &lt; high"
    html: true
"""


def test_markdown_shows_html_facts_as_plain_text() -> None:
    deck = parse_deck(HTML_FACT, "marked.yaml")
    text = render_markdown(build_worksheet([deck], generate_bank([deck]), 10, 0, "inline"))
    assert "<b>" not in text and r"\<b\>" not in text and "&amp;" not in text
    assert "x()" not in text and "script" not in text
    assert r"a cell that dissolves bone \& frees calcium" in text
    assert "**osteoclast**" in text and r"Low 2 \< high" in text


THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def test_markdown_answer_lines_are_blanks_not_rules() -> None:
    """A line of underscores is a thematic break (a rule) in CommonMark, in a list item too."""
    wanted = {QuestionKind.LIST_RECALL, QuestionKind.BASIC, QuestionKind.REVERSED}
    sheet = build_worksheet([BUILTIN], [q for q in BANK if q.kind in wanted], 12, 0, "end")
    text = render_markdown(sheet)
    numbered = sum(item.lines for item in sheet.items if item.question.items)
    assert numbered > 0, "the sheet has list questions with numbered answer lines"
    rules = [line for line in text.splitlines() if line == "---"]
    assert len(rules) == 2, "only the rules before the key and the footer"
    for line in text.splitlines():
        content = re.sub(r"^\s*(?:\d+[.)]|[-*+])\s+", "", line)  # a list item's own text
        if line != "---":
            assert not THEMATIC_BREAK.match(line) and not THEMATIC_BREAK.match(content), line
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    assert sum(token.type == "hr" for token in tokens) == len(rules)
    html = markdown_it.MarkdownIt("commonmark").render(text)
    assert html.count(f"<li>{'_' * 30}</li>") == numbered, "each numbered line is a blank"


def test_answer_modes() -> None:
    bank = BANK
    end = render_html(build_worksheet([BUILTIN], bank, 10, 4, "end"))
    inline = render_html(build_worksheet([BUILTIN], bank, 10, 4, "inline"))
    none = render_html(build_worksheet([BUILTIN], bank, 10, 4, "none"))
    assert end.count('<section class="key">') == 1 and 'class="answer"' not in end
    assert inline.count('<p class="answer">') == 10 and 'class="key"' not in inline
    assert 'class="key"' not in none and 'class="answer"' not in none
    sheet = build_worksheet([BUILTIN], bank, 10, 4, "none")
    for item in sheet.items:
        if item.question.kind is not QuestionKind.TRUE_FALSE:
            assert f"<strong>{item.key}" not in none
    md_none = render_markdown(sheet)
    assert "Answer key" not in md_none and "> Answer:" not in md_none
    md_end = render_markdown(build_worksheet([BUILTIN], bank, 10, 4, "end"))
    assert md_end.count("\n## Answer key\n") == 1


def test_html_has_a_print_stylesheet_that_keeps_questions_whole() -> None:
    page = render_html(build_worksheet([BUILTIN], BANK, 5, 0))
    assert "@page" in page
    assert re.search(r"\.question \{[^}]*break-inside: avoid", page)
    assert re.search(r"\.key \{[^}]*break-before: page", page)
    assert page.count('<li class="question"') == 5


def test_answer_key_carries_the_clinical_notes() -> None:
    noted = [q for q in BANK if q.note]
    sheet = build_worksheet([BUILTIN], noted, 5, 0)
    page, text = render_html(sheet), render_markdown(sheet)
    for item in sheet.items:
        assert item.note
        assert item.note.replace("'", "&#x27;").replace('"', "&quot;") in page
        assert md_escape(item.note) in text


# --- command line ---------------------------------------------------------------------------------


def test_worksheet_command_is_deterministic_and_infers_html(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sheet.html"
    result = runner.invoke(cli, ["worksheet", "--count", "12", "--seed", "9", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}: 12 questions (html, answers: end).\n"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count('<li class="question"') == 12
    again = runner.invoke(cli, ["worksheet", "--count", "12", "--seed", "9", "--format", "html"])
    assert again.output == page
    other = runner.invoke(cli, ["worksheet", "--count", "12", "--seed", "10", "--format", "html"])
    assert other.output != page
    md = runner.invoke(cli, ["worksheet", "--count", "3"])
    assert md.output.startswith("# Bone Metastasis\n") and "**3.**" in md.output


def test_worksheet_filters_by_topic_and_kind() -> None:
    mc = [q for q in BANK if q.kind is QuestionKind.MULTIPLE_CHOICE]
    topic = Counter(q.topic for q in mc).most_common(1)[0][0]
    result = CliRunner().invoke(
        cli, ["worksheet", "--topic", topic, "--kind", "multiple_choice", "--count", "50"]
    )
    assert result.exit_code == 0, result.output
    expected = [q for q in mc if q.topic == topic]
    assert result.stderr.startswith(
        f"Note: only {len(expected)} questions match; using all of them.\n"
    )
    assert result.stdout.count("   A. ") == len(expected)
    assert result.stdout.count("**") >= 2 * len(expected)


def test_worksheet_takes_several_decks_or_a_directory(tmp_path: Path) -> None:
    init_deck(tmp_path, "anatomy-a", "Anatomy A")
    init_deck(tmp_path, "anatomy-b", "Anatomy B")
    runner = CliRunner()
    both = runner.invoke(cli, ["worksheet", "--deck", str(tmp_path), "--count", "40"])
    assert both.exit_code == 0, both.output
    assert both.stdout.startswith("# Anatomy A / Anatomy B\n")
    assert both.stdout.count("**36.**") == 1 and "**37.**" not in both.stdout
    assert both.stdout.count("“Your textbook, article or lecture notes”") == 1, "sources deduped"
    html = runner.invoke(
        cli,
        ["worksheet", "--deck", str(tmp_path / "anatomy-a.yaml"), "--deck",
         str(tmp_path / "anatomy-b.yaml"), "--count", "40", "--format", "html"],
    )  # fmt: skip
    ids = re.findall(r'<span class="qid">([^ ]+) ·', html.output)
    assert len(ids) == 36 and len(set(ids)) == 36
    assert {i.split("/")[0] for i in ids} == {"anatomy-a", "anatomy-b"}


def test_worksheet_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["worksheet", "--topic", "nope"]).exit_code == 2
    assert runner.invoke(cli, ["worksheet", "--count", "0"]).exit_code == 2
    missing = runner.invoke(cli, ["worksheet", "-o", str(tmp_path / "no" / "x.md")])
    assert missing.exit_code == 2 and "cannot write" in missing.output


# --- printing: headless Chromium → PDF → PNG ------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = shutil.which("pdftoppm") and shutil.which("pdfinfo") and shutil.which("pdftotext")


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    assert CHROMIUM
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and POPPLER), reason="needs Debian's chromium and poppler-utils")
@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize(("count", "seed"), [(20, 1), (20, 5), (25, 1)])
def test_html_worksheet_prints_on_sane_pages(
    tmp_path: Path, paper: str, count: int, seed: int
) -> None:
    """20 questions: 2 pages of questions and 2 of key, as the README says, on both papers;
    no page of questions holds a single one (Letter printed 20 as 10 + 9 + 1, 25 as 14 + 14 + 1)."""
    sheet = build_worksheet([BUILTIN], BANK, count, seed, "end")
    page = render_html(sheet).replace("</style>", f"@page {{ size: {paper}; }}</style>")
    html, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    html.write_text(page, encoding="utf-8")
    print_to_pdf(html, pdf, tmp_path / "profile")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert f"pts ({paper.lower() if paper == 'Letter' else paper})" in info.stdout
    pages = pdf_pages(pdf)
    if count == 20:
        assert len(pages) <= 4, f"{len(pages)} pages for 20 questions and a key"
    key_page = next(i for i, text in enumerate(pages) if "Answer key" in text)
    assert key_page >= 1 and "Answer key" in pages[key_page].lstrip()[:40], "key starts a page"
    flat = [" ".join(text.split()) for text in pages[:key_page]]
    where: list[int] = []  # the page each question starts on, found in order
    for number, item in enumerate(sheet.items, start=1):
        first_words = " ".join(" ".join(item.parts).split()[:6])
        on = next(
            (i for i in range(where[-1] if where else 0, key_page) if first_words in flat[i]), None
        )
        assert on is not None, f"question {number} not found"
        where.append(on)
        if item.choices and [c.casefold() for c in item.choices] != ["true", "false"]:
            last = " ".join(item.choices[-1].split())
            assert last in flat[on], f"question {number} split across pages"
    per_page = Counter(where)
    assert len(per_page) == key_page and min(per_page.values()) >= 2, f"per page: {per_page}"
    for index, text in enumerate(pages, start=1):
        assert re.search(rf"\b{index} ?/ ?{len(pages)}\s*$", text), "page numbers in the footer"
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(png)],
                   check=True)  # fmt: skip
    image = next(tmp_path.glob("page*.png")).read_bytes()
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and 1.2 < height / width < 1.5
