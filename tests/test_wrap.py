"""The terminal's wrapping: the usual line is filled without importing ``textwrap``, exactly as
``textwrap.fill`` fills it; other lines go to textwrap itself."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from bonemets_quiz.cli.terminal import _fill, _fill_plain

WORD = st.text(alphabet="abcdefghij-.,'()0123456789", min_size=1, max_size=30)
SPACE = st.sampled_from([" ", " ", " ", "  ", "\t", " \t", ""])
INDENT = st.sampled_from(["", "  ", "   ", "    "])


def textwrap_fill(line: str, size: int, indent: str, follow: str) -> str:
    filled = textwrap.fill(
        line, size, initial_indent=indent, subsequent_indent=follow, break_on_hyphens=False
    )
    return filled or indent


@given(
    st.lists(st.tuples(WORD, SPACE), max_size=15),
    st.sampled_from(["", " "]),
    st.integers(
        min_value=8, max_value=60
    ),  # (textwrap loops forever on a line narrower than its indent)
    INDENT,
    INDENT,
)
def test_a_plain_line_is_filled_as_textwrap_fills_it(
    words: list[tuple[str, str]], lead: str, size: int, indent: str, follow: str
) -> None:
    line = lead + "".join(word + space for word, space in words)
    plain = _fill_plain(line, size, indent, follow)
    if plain is not None:
        assert plain == textwrap_fill(line, size, indent, follow)
    assert _fill(line, size, indent, follow) == textwrap_fill(line, size, indent, follow)


def test_the_usual_line_needs_no_textwrap_and_the_others_do() -> None:
    usual = "Bone metastasis is cancer that has spread to the bone from somewhere else."
    assert _fill_plain(usual, 30, "", "  ") == textwrap_fill(usual, 30, "", "  ")
    for other in ("two  spaces", "a\ttab", " leading", "trailing ", "x" * 31):
        assert _fill_plain(other, 30, "", "") is None
