"""Any text survives the report's Markdown literally (property tests with markdown-it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from verweefcli.report.render_markdown import escape, normalise, unlink

MD = MarkdownIt("commonmark").enable("table")

# Markdown-significant characters are over-represented on purpose.
_pieces = st.one_of(
    st.sampled_from(
        [
            *"\\`*_[]<>|~&#!-+=.()0123456789 \t\n\r:/\"'@",
            *("&amp;", "<b>", "](", "```", "1. ", "# "),
            *("www.", "http://", "mailto:", "an@x.be", "\x1b[2J", "\x9b", "\u202e", "\u2066"),
        ]
    ),
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
)
_starts = st.sampled_from(
    ["", "- ", "-", "+ ", "* ", "1. ", "2) ", "# ", "> ", "=", "---", "***", "    ", "```", "<div>"]
)
texts = st.tuples(_starts, st.lists(_pieces, max_size=40).map("".join)).map("".join)


def inline_text(token: Token) -> str:
    children = token.children or []
    assert {c.type for c in children} <= {"text"}, [(c.type, c.content) for c in children]
    return "".join(c.content for c in children)


@settings(max_examples=150)
@given(texts, texts)
def test_table_cells_keep_their_text(first: str, second: str) -> None:
    table_cells_keep_their_text(first, second)


@pytest.mark.slow
@settings(max_examples=3000)
@given(texts, texts)
def test_table_cells_keep_their_text_long(first: str, second: str) -> None:
    table_cells_keep_their_text(first, second)


def table_cells_keep_their_text(first: str, second: str) -> None:
    markdown = f"| h1 | h2 |\n| --- | --- |\n| {escape(first)} | {escape(second)} |\n"
    tokens = MD.parse(markdown)
    cells = [inline_text(t) for t in tokens if t.type == "inline"]
    # unlink: an invisible word joiner before an "@" keeps GFM from linking an e-mail address
    assert cells == ["h1", "h2", unlink(normalise(first)), unlink(normalise(second))]


@settings(max_examples=150)
@given(texts)
@example("-")
@example("- x")
@example("1) x")
@example("> quote")
def test_list_items_and_headings_keep_their_text(text: str) -> None:
    list_items_and_headings_keep_their_text(text)


@pytest.mark.slow
@settings(max_examples=3000)
@given(texts)
def test_list_items_and_headings_keep_their_text_long(text: str) -> None:
    list_items_and_headings_keep_their_text(text)


def list_items_and_headings_keep_their_text(text: str) -> None:
    tokens = MD.parse(f"- {escape(text, block=True)}\n\n#### {escape(text)}\n")
    expected = unlink(normalise(text))
    types = [t.type for t in tokens]
    assert types[:2] == ["bullet_list_open", "list_item_open"]
    inlines = [inline_text(t) for t in tokens if t.type == "inline"]
    if expected:
        assert inlines == [expected, expected]
    assert "heading_open" in types and types.count("bullet_list_open") == 1


@given(texts)
def test_normalise_is_one_clean_line(text: str) -> None:
    line = normalise(text)
    assert "\n" not in line and "\r" not in line and "  " not in line
    assert line == line.strip()
    # no C0, DEL, C1 or bidi control gets into the report (nor onto a terminal showing the Markdown)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", line)
