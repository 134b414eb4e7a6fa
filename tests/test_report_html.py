"""The class report's HTML page and its SVG charts: structure, escaping, no network, Chromium."""

from __future__ import annotations

import copy
import itertools
import json
import random
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from chromium_kit import CHROMIUM, DESKTOP, PHONE, chromium, decode_png, ink

from bonemets_quiz.deck.png import encode_png
from bonemets_quiz.insight.html import svg
from bonemets_quiz.insight.html.page import CSP, render_html
from bonemets_quiz.insight.shape import (
    FORMAT,
    VERSION,
    ClassReport,
    FactStats,
    Flag,
    OptionCount,
    QuestionStats,
    TopicRetention,
    TopicStats,
    WrongAnswer,
)

TOPICS = ("basics", "causes", "treatment")
KINDS = ("multiple_choice", "basic", "cloze")
SECTIONS = ("summary", "flags", "topics", "retention", "map", "forgotten", "questions")
HOSTILE = """</style><script>alert("x")</script><img src=x onerror='alert(1)'> & </title>"""


# --- a small builder of ClassReport dicts ---------------------------------------------------------


def make_question(
    index: int, rng: random.Random, hidden: bool, show_answers: bool
) -> QuestionStats:
    kind = KINDS[index % len(KINDS)]
    options = [
        OptionCount(text=f"Choice {letter}", correct=letter == "A", chosen=rng.randint(0, 40))
        for letter in "ABCD"
    ]
    wrong = [WrongAnswer(text="osteoblast", count=4, learners=3)]
    figures = not hidden
    return QuestionStats(
        question_id=f"fact-{index // 2}/{kind}/q{index}",
        fact_id=f"fact-{index // 2}",
        topic=TOPICS[index % len(TOPICS)],
        kind=kind,
        prompt=f"Question {index}: which cell resorbs bone?",
        learners=3 if hidden else 20 + index,
        reviews=7 if hidden else 90 + 3 * index,
        hidden=hidden,
        facility=round(rng.uniform(0.2, 0.98), 3) if figures else None,
        later_success=round(rng.uniform(0.4, 0.99), 3) if figures else None,
        difficulty={"median": 5.2, "p25": 4.1, "p75": 6.3} if figures else None,
        stability={"median": 12.0, "p25": 4.5, "p75": 31.0} if figures else None,
        discrimination=round(rng.uniform(-0.3, 0.7), 3) if figures else None,
        options=options if figures and kind == "multiple_choice" else None,
        wrong_answers=wrong if figures and kind == "basic" and show_answers else None,
        wrong_answer_count=4 if kind == "basic" else 0,
    )


def build_report(
    questions: int = 12,
    *,
    hidden: tuple[int, ...] = (),
    flags: tuple[Flag, ...] = (),
    days: int = 6,
    min_learners: int = 5,
    show_answers: bool = False,
    seed: int = 1,
) -> ClassReport:
    """A varied report: ``hidden`` question indexes rest on too few learners; the last topic too."""
    rng = random.Random(seed)
    qs = [make_question(i, rng, i in hidden, show_answers) for i in range(questions)]
    facts = [
        FactStats(fact_id=f"fact-{i}", topic=TOPICS[i % 3], learners=20, hidden=i == 1,
                  recall=None if i == 1 else round(rng.uniform(0.3, 0.95), 3))
        for i in range((questions + 1) // 2)
    ]  # fmt: skip
    topics = [
        TopicStats(topic=t, facts=4, learners=3 if t == TOPICS[-1] else 20,
                   hidden=t == TOPICS[-1], recall=None if t == TOPICS[-1] else 0.4 + 0.2 * n)
        for n, t in enumerate(TOPICS)
    ] if questions else []  # fmt: skip
    retention = [
        TopicRetention(topic=t, points=[
            {"day": f"2026-03-{d + 1:02d}", "learners": 2 if d == 2 else 20,
             "recall": None if d == 2 else round(0.9 - 0.05 * d - 0.1 * n, 3)}
            for d in range(days)])
        for n, t in enumerate(TOPICS)
    ] if questions else []  # fmt: skip
    return ClassReport(
        format=FORMAT, version=VERSION, generated_at="2026-03-07T09:00:00Z", today="2026-03-07",
        decks=["bone-metastasis"] if questions else [], min_learners=min_learners,
        show_answers=show_answers,
        counts={"logs": 31, "learners": 30, "reviews": 4321, "duplicate_logs": ["ana"],
                "other_deck_reviews": 12, "renamed_reviews": 5, "retired_reviews": 3},
        questions=qs, facts=facts, topics=topics, retention_over_time=retention,
        flags=copy.deepcopy(list(flags)),  # tests change them
    )  # fmt: skip


def flag(question: int, kind: str, severity: str, option: str | None = None) -> Flag:
    return Flag(question_id=f"fact-{question // 2}/{KINDS[question % 3]}/q{question}",
                kind=kind, severity=severity, reason=f"{kind} because of figures.",  # type: ignore[typeddict-item]
                option=option)  # fmt: skip


FLAGS = (
    flag(3, "negative-discrimination", "broken"),
    flag(4, "too-easy", "info"),
    flag(6, "unused-distractor", "review", option="Choice D"),
    flag(7, "given-away", "broken"),
)


class Page(HTMLParser):
    """The parsed page: tags with their attributes, and the text a reader sees."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def ids(self) -> set[str]:
        return {str(attrs["id"]) for _, attrs in self.tags if attrs.get("id")}

    def charts(self) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == "svg" and "chart" in (a.get("class") or "")]


def section(html: str, ident: str) -> str:
    start = html.index(f'<section id="{ident}"')
    return html[start : html.index("</section>", start)]


# --- structure ------------------------------------------------------------------------------------


def test_every_section_and_chart_is_there_with_a_table_beside_it() -> None:
    html = render_html(build_report(flags=FLAGS, hidden=(1,)))
    page = Page(html)
    sections = SECTIONS
    assert set(sections) <= page.ids()
    headings = [t for t, _ in page.tags if t in ("h1", "h2")]
    assert headings[0] == "h1" and headings.count("h2") == len(sections)
    charts = page.charts()
    assert len(charts) == 3
    for chart in charts:
        assert chart["role"] == "img" and chart["aria-label"], chart
    for name in ("topics", "retention", "map"):
        part = section(html, name)
        assert f'<figure id="chart-{name}">' in part and "<title>" in part
        assert "<table>" in part.split("</figure>", 1)[1], f"no data table beside the {name} chart"
    assert html.count("<title>Class report: bone-metastasis (2026-03-07)</title>") == 1


def test_summary_counts_every_figure_it_rests_on() -> None:
    text = " ".join(Page(section(render_html(build_report()), "summary")).text)
    for expected in ("Learners 30", "from 31 log files", "Reviews used 4321", "Duplicate logs 1",
                     "counted once: ana", "Other decks' reviews 12", "Retired questions' reviews 3",
                     "Renamed questions' reviews 5", "Minimum learners 5"):  # fmt: skip
        assert expected in " ".join(text.split()), expected


def test_flags_are_grouped_by_severity_with_their_reason_and_link_to_the_row() -> None:
    html = render_html(build_report(flags=FLAGS))
    flags = section(html, "flags")
    broken, review, info = (flags.index(t) for t in ("Broken", "Worth a look", "For information"))
    assert broken < review < info
    broken_group = flags[broken:review]
    assert "(2)" in broken_group and "given-away because of figures." in broken_group
    assert "Distractor nobody picks" in flags[review:info] and "“Choice D”" in flags[review:info]
    page = Page(html)
    targets = {str(a["href"])[1:] for t, a in Page(flags).tags if t == "a"}
    assert len(targets) == 4 and targets <= page.ids()
    assert 'id="q4"' in html and "Negative discrimination</span>" in section(html, "questions")


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("negative-discrimination", "Chosen by strong learners"),
        ("unused-distractor", "Option"),
        ("synonym-candidate", "Typed"),
    ],
)
def test_a_flag_s_option_is_never_called_the_answer(kind: str, label: str) -> None:
    report = build_report(flags=[flag(1, kind, "broken", "the spine")])
    flags = section(render_html(report), "flags")
    assert f"<em>{label}:</em> “the spine”" in flags and "Answer:" not in flags


def test_no_flags_says_so() -> None:
    assert "No question is flagged." in render_html(build_report())


def test_question_map_marks_the_broken_questions_only() -> None:
    report = build_report(flags=FLAGS)
    chart = section(render_html(report), "map")
    chart = chart[chart.index("<svg") : chart.index("</svg>") + 6]
    root = ET.fromstring(chart)
    broken = [e for e in root.iter("path") if e.get("class") == "broken"]
    assert sorted(str(e.findtext("title")).split(":")[0] for e in broken) == sorted(
        f["question_id"] for f in FLAGS if f["severity"] == "broken"
    )
    assert len([e for e in root.iter("circle") if e.get("class") == "review"]) == 1
    assert len(list(root.iter("circle"))) + len(broken) == 12


def test_hidden_figures_read_fewer_than_n_learners() -> None:
    report = build_report(hidden=(0, 5), min_learners=7)
    html = render_html(report)
    rows = section(html, "questions")
    assert rows.count("fewer than 7 learners: figures hidden") == 2
    hidden_row = rows[rows.index('id="q6"') :].split("</tr>", 1)[0]  # q index 5 is row 6
    assert "%" not in hidden_row and "Choice" not in hidden_row
    assert "fewer than 7 learners" in section(html, "topics")  # in the bar chart and its table
    assert "1 fact rests on fewer than 7 learners and is not" in section(html, "forgotten")
    assert "2 questions not placed" in section(html, "map")
    assert "fewer than 7 learners" in section(html, "retention")  # day 3 rests on 2


def test_a_figure_marked_hidden_or_resting_on_too_few_never_shows() -> None:
    """Privacy does not depend on the analysis blanking every hidden figure."""
    report = build_report(hidden=(0,))
    report["questions"][0].update(facility=0.031, later_success=0.071, discrimination=0.789)
    report["topics"][-1]["recall"] = 0.111
    report["retention_over_time"][0]["points"][2]["recall"] = 0.131  # rests on 2 learners
    report["facts"][1]["recall"] = 0.171
    html = render_html(report)
    assert "+0.79" not in html
    for leaked in (3, 7, 11, 13, 17):  # the builder's own figures are all 20% or more
        assert not re.search(rf"(?<!\d){leaked}%", html), leaked


def test_per_question_figures_and_answers() -> None:
    report = build_report(show_answers=True)
    q0 = report["questions"][0]
    q0.update(facility=0.857, later_success=None, discrimination=-0.25)
    rows = section(render_html(report), "questions")
    first = rows[rows.index('id="q1"') :].split("</tr>", 1)[0]
    assert ">86%<" in first and "no data" in first and "−0.25" in first
    seen = re.sub(r"<[^>]+>", "", first)
    assert "5.2 (4.1–6.3)" in seen and "12 d (4.5–31)" in seen
    assert "Choice A · " in first and "(key)" in first and first.count("<li") == 4
    second = rows[rows.index('id="q2"') :].split("</tr>", 1)[0]
    assert "“osteoblast” · 4× by 3" in second
    no_answers = section(render_html(build_report(show_answers=False)), "questions")
    assert "osteoblast" not in no_answers
    assert "4 wrong typed answers (texts not shown)" in no_answers


def test_most_forgotten_lists_the_lowest_recall_first() -> None:
    report = build_report(questions=30)
    part = section(render_html(report), "forgotten")
    listed = re.findall(r"<th scope=row>(fact-\d+)</th>", part)
    ranked = sorted((f for f in report["facts"] if not f["hidden"]), key=lambda f: f["recall"] or 0)
    assert listed == [f["fact_id"] for f in ranked[:10]]


def test_an_empty_report_still_renders_every_section() -> None:
    html = render_html(build_report(questions=0))
    page = Page(html)
    assert set(SECTIONS) <= page.ids()
    assert len(page.charts()) == 3
    for message in ("No topics", "No reviews to plot yet", "No question has enough learners"):
        assert message in html
    assert "No fact has enough learners to rank." in html


# --- safety ---------------------------------------------------------------------------------------


def test_every_string_from_the_report_is_escaped() -> None:
    report = build_report(flags=FLAGS, show_answers=True)
    q = report["questions"][0]
    q.update(prompt=HOSTILE, topic=HOSTILE, question_id=HOSTILE, kind=HOSTILE)
    assert q["options"] is not None
    q["options"][1]["text"] = HOSTILE
    wrong = report["questions"][1]["wrong_answers"]
    assert wrong is not None
    wrong[0]["text"] = HOSTILE
    report["flags"][0].update(question_id=HOSTILE, reason=HOSTILE, option=HOSTILE)
    report["counts"]["duplicate_logs"] = [HOSTILE]
    report["decks"] = [HOSTILE]
    report["topics"][0]["topic"] = HOSTILE
    report["facts"][0].update(fact_id=HOSTILE, topic=HOSTILE, recall=0.01)
    report["retention_over_time"][0]["topic"] = HOSTILE
    report["today"] = report["generated_at"] = HOSTILE
    html = render_html(report)
    page = Page(html)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "img" not in tags
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert html.count("<style>") == html.count("</style>") == 1
    assert html.count("<title>Class report: ") == 1
    assert html.count("<script") == 0 and "onerror='" not in html
    seen = "".join(page.text)
    assert seen.count(HOSTILE) >= 12, "each hostile string shows as the text it is"
    for chart in page.charts():
        assert "<script" not in str(chart["aria-label"])


def test_the_page_loads_nothing_and_runs_nothing() -> None:
    html = render_html(build_report(flags=FLAGS, hidden=(2,), show_answers=True))
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert not re.search(r"https?:|//[a-z]|\ssrc=|url\(|@import|<script|<link|<iframe", html, re.I)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(href.startswith("#") for href in hrefs)
    assert set(hrefs) - {f"#{i}" for i in Page(html).ids()} == set(), "every link lands"


def test_the_same_report_gives_the_same_bytes() -> None:
    assert render_html(build_report(flags=FLAGS, seed=3)) == render_html(
        build_report(flags=FLAGS, seed=3)
    )
    assert render_html(build_report(seed=3)) != render_html(build_report(seed=4))


def test_a_large_report_stays_a_reasonable_size() -> None:
    """160 questions with options, flags and 60 days of retention: one file well under 1 MB."""
    many = tuple(flag(i, "too-easy", "info") for i in range(0, 160, 9))
    html = render_html(build_report(questions=160, flags=FLAGS + many, days=60))
    assert 100_000 < len(html.encode()) < 600_000
    assert html.count("<tr id=") == 160


# --- charts ---------------------------------------------------------------------------------------


def parse(chart: str) -> ET.Element:
    """A chart as XML (it must be well-formed), with its viewBox checked."""
    root = ET.fromstring(chart)
    assert root.tag == "svg" and root.get("role") == "img" and root.get("aria-label")
    assert root.findtext("title") == root.get("aria-label")
    return root


def inside(root: ET.Element) -> bool:
    """Every coordinate drawn lies inside the viewBox."""
    _, _, width, height = (float(v) for v in str(root.get("viewBox")).split())
    xs: list[float] = []
    ys: list[float] = []
    for element in root.iter():
        for key in ("x", "x1", "x2", "cx"):
            if element.get(key):
                xs.append(float(str(element.get(key))))
        for key in ("y", "y1", "y2", "cy"):
            if element.get(key):
                ys.append(float(str(element.get(key))))
        for pair in re.findall(r"(-?[\d.]+),(-?[\d.]+)", element.get("points") or ""):
            xs.append(float(pair[0]))
            ys.append(float(pair[1]))
    return all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)


def test_line_chart_with_none_one_or_many_points() -> None:
    empty = parse(svg.line_chart([], "Nothing"))
    assert "No reviews to plot yet" in ET.tostring(empty, encoding="unicode")
    all_none = svg.line_chart([svg.Series("a", [("2026-01-01", None)])], "None")
    assert "No reviews to plot yet" in all_none
    one = parse(svg.line_chart([svg.Series("a", [("2026-01-01", 0.5)])], "One"))
    assert not list(one.iter("polyline")) and len(list(one.iter("circle"))) == 1 and inside(one)
    gap = [("2026-01-01", 0.5), ("2026-01-02", 0.6), ("2026-01-04", None), ("2026-01-09", 0.2),
           ("2026-01-10", 1.4)]  # fmt: skip
    many = [svg.Series(f"topic {n}", [(d, v) for d, v in gap]) for n in range(10)]
    root = parse(svg.line_chart(many, "Many"))
    assert len(list(root.iter("polyline"))) == 20, "a None breaks each line in two"
    assert inside(root), "values beyond 0..1 are clamped into the plot"
    strokes = [(p.get("stroke"), p.get("stroke-dasharray")) for p in root.iter("polyline")]
    assert len(set(strokes[::2][:8])) == 8, "the first 8 series differ in colour and dash"


def test_line_chart_axis_starts_below_the_lowest_value_so_lines_near_100_stay_apart() -> None:
    high = [svg.Series(f"t{n}", [("2026-01-01", 0.99 - n / 100), ("2026-01-09", 0.95)])
            for n in range(3)]  # fmt: skip
    root = parse(svg.line_chart(high, "High"))
    labels = [t.text for t in root.iter("text") if str(t.text).endswith("%")]
    assert labels == ["75%", "80%", "85%", "90%", "95%", "100%"]
    starts = [float(str(p.get("points")).split()[0].split(",")[1]) for p in root.iter("polyline")]
    assert max(starts) - min(starts) > 15, "two points of recall apart are visibly apart"
    low = parse(svg.line_chart([svg.Series("a", [("2026-01-01", 0.2), ("2026-01-02", 1)])], "L"))
    assert next(t.text for t in low.iter("text") if str(t.text).endswith("%")) == "0%"


def test_line_chart_spaces_days_by_date_and_labels_do_not_collide() -> None:
    days = [f"2026-01-{d:02d}" for d in (1, 2, 3, 20, 31)]
    root = parse(svg.line_chart([svg.Series("a", [(d, 0.5) for d in days])], "Spacing"))
    line = next(root.iter("polyline"))
    xs = [float(pair.split(",")[0]) for pair in str(line.get("points")).split()]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)
    assert xs[3] - xs[2] > 10 * (xs[1] - xs[0]) - 1
    labels = [float(str(t.get("x"))) for t in root.iter("text") if str(t.text).startswith("2026")]
    assert labels[0] == xs[0] and labels[-1] == xs[-1]
    assert all(b - a >= 125 for a, b in itertools.pairwise(labels))


def test_scatter_map_clamps_and_draws_flagged_dots_on_top() -> None:
    dots = [svg.Dot("broken one", 0.9, -0.4, "broken"), svg.Dot("fine", 0.5, 0.3, "ok"),
            svg.Dot("odd", 1.5, -2.0, "review")]  # fmt: skip
    root = parse(svg.scatter_map(dots, "Map"))
    assert inside(root)
    drawn = [e.findtext("title") for e in root.iter() if e.findtext("title") in {"broken one",
             "fine", "odd"}]  # fmt: skip
    assert drawn == ["fine", "odd", "broken one"]
    assert "No question has enough learners" in svg.scatter_map([], "Map")


def test_bar_chart_draws_a_note_for_a_missing_value() -> None:
    bars = [svg.Bar("basics", 0.72, ""), svg.Bar("a very long topic name indeed, really", None,
            "fewer than 5 learners"), svg.Bar("zero", 0.0, "")]  # fmt: skip
    root = parse(svg.bar_chart(bars, "Bars"))
    rects = list(root.iter("rect"))
    assert len(rects) == 2 and float(str(rects[1].get("width"))) == 0
    texts = [t.text for t in root.iter("text")]
    assert "72%" in texts and "fewer than 5 learners" in texts
    assert "a very long topic nam…" in texts and inside(root)
    assert "No topics" in svg.bar_chart([], "Bars")


def test_chart_labels_are_escaped() -> None:
    for chart in (
        svg.line_chart([svg.Series(HOSTILE, [(HOSTILE, 0.5)])], HOSTILE),
        svg.scatter_map([svg.Dot(HOSTILE, 0.5, 0.5, "ok")], HOSTILE),
        svg.bar_chart([svg.Bar(HOSTILE, None, HOSTILE)], HOSTILE),
    ):
        root = parse(chart)  # parses: nothing broke out of its attribute or element
        assert "<script" not in chart and root.get("aria-label") == HOSTILE


# --- headless Chromium ----------------------------------------------------------------------------

CHARTS = ("topics", "retention", "map")
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# Where the browser laid a chart out, whether it shows, and what sits at its middle (evaluated from
# outside the page, so the page keeps its CSP and runs no script of its own).
MEASURE = """const measure = (chart) => {
  const box = chart.getBoundingClientRect(), style = getComputedStyle(chart);
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = y >= 0 && y < innerHeight ? document.elementFromPoint(x, y) : null;
  const drawn = [...chart.querySelectorAll("polyline, circle, rect, path, text")]
    .filter((e) => { const b = e.getBBox(); return b.width > 0 && b.height > 0; }).length;
  return {figure: chart.closest("figure").id, left: box.left, top: box.top, width: box.width,
    height: box.height, display: style.display, visibility: style.visibility,
    opacity: Number(style.opacity), hit: hit !== null && chart.contains(hit), drawn};
};"""
PROBE = f"""(() => {{ {MEASURE}
  return {{innerWidth, innerHeight, scrollWidth: document.documentElement.scrollWidth,
    charts: [...document.querySelectorAll("svg.chart")].map(measure)}}; }})()"""
SCROLL_TO = f"""(() => {{ {MEASURE}
  const figure = document.getElementById(%s);
  figure.scrollIntoView({{block: "start"}});
  return measure(figure.querySelector("svg.chart")); }})()"""


class Rendered(NamedTuple):
    top: bytes  # the screenshot as the page opens
    layout: dict[str, Any]  # PROBE's figures
    charts: dict[str, tuple[dict[str, Any], bytes]]  # scrolled into view: its box, a screenshot
    console: list[str]
    requests: list[str]


@pytest.fixture(scope="module", params=list(SIZES))
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A 40-question report (hostile prompt included) opened in Chromium at desktop or phone size;
    the screenshots are left in the work directory."""
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium")
    size: str = request.param
    work = tmp_path_factory.mktemp(f"chromium-{size}")
    report = build_report(questions=40, flags=FLAGS, hidden=(5,), days=30, show_answers=True)
    report["questions"][0]["prompt"] = HOSTILE
    page = work / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    with chromium(work) as tab:
        tab.load(page, SIZES[size], mobile=size == "phone")
        top = tab.screenshot()
        (work / f"{size}.png").write_bytes(top)
        layout = tab.evaluate(PROBE)
        charts = {}
        for name in CHARTS:
            box = tab.evaluate(SCROLL_TO % json.dumps(f"chart-{name}"))
            charts[name] = (box, tab.screenshot())
            (work / f"{size}-{name}.png").write_bytes(charts[name][1])
        return Rendered(top, layout, charts, tab.console(), tab.requests())


@pytest.mark.slow
def test_chromium_screenshot_of_the_page_is_not_blank(rendered: Rendered) -> None:
    image = decode_png(rendered.top)
    assert (image.width, image.height) == (rendered.layout["innerWidth"],
                                           rendered.layout["innerHeight"])  # fmt: skip
    assert (image.width, image.height) in SIZES.values()
    drawn = ink(image)
    assert drawn.colours >= 16 and drawn.share > 0.03, f"blank screenshot? {drawn}"


@pytest.mark.slow
def test_chromium_page_logs_nothing_and_requests_nothing(rendered: Rendered) -> None:
    assert rendered.console == [], "console messages, errors or CSP violations"
    assert rendered.requests == [], "the page asked the network for something"


@pytest.mark.slow
def test_chromium_lays_out_every_chart_visible_and_nothing_scrolls_sideways(
    rendered: Rendered,
) -> None:
    width = rendered.layout["innerWidth"]
    assert rendered.layout["scrollWidth"] == width, "wide tables must scroll in their own box"
    charts = rendered.layout["charts"]
    assert [c["figure"] for c in charts] == [f"chart-{name}" for name in CHARTS]
    for chart in charts:
        assert chart["display"] == "block" and chart["visibility"] == "visible", chart
        assert chart["opacity"] == 1 and chart["drawn"] >= 10, chart
        assert chart["width"] >= min(width - 40, 600) and chart["height"] >= 60, chart
        assert chart["left"] >= 0 and chart["left"] + chart["width"] <= width, chart


@pytest.mark.slow
@pytest.mark.parametrize("name", CHARTS)
def test_chromium_screenshot_of_each_chart_is_not_blank(rendered: Rendered, name: str) -> None:
    """Scrolled to: the chart is on screen, nothing covers its middle, its pixels hold a drawing."""
    box, png = rendered.charts[name]
    assert box["hit"], f"the middle of the {name} chart is covered or off screen: {box}"
    image = decode_png(png, max_rows=int(box["top"] + box["height"]))
    left, top = int(box["left"]), int(box["top"])
    right, bottom = int(box["left"] + box["width"]), int(box["top"] + box["height"])
    assert top >= 0 and bottom <= image.height, f"the {name} chart does not fit the screen: {box}"
    drawn = ink(image, (left, top, right, bottom))
    assert drawn.colours >= 6 and drawn.share > 0.04, f"{name} chart blank: {drawn}"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_chromium_checks_catch_a_page_that_fetches_and_logs(tmp_path: Path) -> None:
    """The harness's own control: a request (even one the CSP blocks) and a console error show."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="img-src data:">'
        '<p>hi</p><img src="http://example.invalid/x.png"><script>console.error("boom")</script>',
        encoding="utf-8",
    )
    with chromium(tmp_path) as tab:
        tab.load(page, PHONE, mobile=True)
        assert tab.requests() == ["http://example.invalid/x.png"]
        said = tab.console()
        assert "console.error: boom" in said and any("Content Security Policy" in s for s in said)


def test_ink_tells_a_blank_image_from_a_drawing() -> None:
    white, blue = (255, 255, 255), (0, 114, 178)
    blank = decode_png(encode_png([[white] * 40 for _ in range(30)]))
    assert ink(blank) == (1, 0.0)
    rows = [[blue if 10 <= x < 20 and 5 <= y < 15 else white for x in range(40)] for y in range(30)]
    drawing = decode_png(encode_png(rows))
    assert drawing.rows[7][30:33] == bytes(blue) and ink(drawing).colours == 2
    assert ink(drawing, (10, 5, 20, 15)).share == 1.0
    assert ink(drawing).share == pytest.approx(100 / 1200)


def _filtered_png(rows: list[bytes], width: int, kinds: list[int]) -> bytes:
    """A PNG whose rows use the given filter types (Chromium's encoder mixes all five)."""
    out, prior = b"", bytes(width * 3)
    for row, kind in zip(rows, kinds, strict=True):
        line = bytearray()
        for x, value in enumerate(row):
            a = row[x - 3] if x >= 3 else 0
            b, c = prior[x], (prior[x - 3] if x >= 3 else 0)
            p = a + b - c
            paeth = min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]
            guess = (0, a, b, (a + b) // 2, paeth)[kind]
            line.append((value - guess) & 255)
        out += bytes([kind]) + bytes(line)
        prior = row
    plain = encode_png([[(0, 0, 0)] * width] * len(rows))
    header = plain[: plain.index(b"IDAT") - 4]
    body = zlib.compress(out)
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + body))
    idat = struct.pack(">I", len(body)) + b"IDAT" + body + crc
    return header + idat + plain[plain.index(b"IEND") - 4 :]


def test_png_reader_undoes_every_row_filter() -> None:
    rng = random.Random(7)
    width = 9
    rows = [bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(10)]
    image = decode_png(_filtered_png(rows, width, [0, 1, 2, 3, 4, 4, 3, 2, 1, 0]))
    assert image.rows == rows
